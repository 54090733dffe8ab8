// RtpLegCore in virtual time, no sockets: what the application plays goes
// out as RTP (sequence, timestamps, marker, ptime, hold), what the phone
// sends is recorded, digits arrive as RFC 4733 events or in-band tones, and
// the latch follows the phone's real source.
#include "media/app/rtp_leg_core.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "media/audio/sound_file.hpp"
#include "unit/media/app/rtp_phone.hpp"
#include "unit/media/codec/tone_measure.hpp"
#include "unit/media/dsp/signals.hpp"

namespace switchboard::media::app {
namespace {

using std::chrono::milliseconds;
using test::Bytes;

const rtp::Endpoint kPhone(boost::asio::ip::make_address("127.0.0.1"), 40000);

LegParams pcmu(int te_pt = 101) {
  LegParams p;
  p.remote_address = "127.0.0.1";
  p.remote_rtp_port = 40000;
  p.telephone_event_pt = te_pt;
  return p;
}

PlayRequest sine_prompt(double freq, int ms) {
  auto pcm = std::make_shared<audio::PcmBuffer>();
  pcm->samples = media::test::sine(freq, 8000, 8000, static_cast<std::size_t>(ms) * 8);
  PlayRequest r;
  r.items.push_back(PcmItem{pcm});
  return r;
}

class LegCoreTest : public ::testing::Test {
 protected:
  void make(const LegParams& params, LegBehaviour behaviour = {}) {
    auto info = RtpLegCore::check(params);
    ASSERT_TRUE(info) << info.error().message;
    SessionConfig config;
    config.rate = static_cast<int>(info.value()->sample_rate);
    config.inband_dtmf = params.telephone_event_pt < 0;
    SessionServices services;
    services.on_event = [this](MediaEvent e) { events_.push_back(std::move(e)); };
    session_ = std::make_shared<MediaSession>(config, std::move(services));
    auto core = RtpLegCore::create(params, behaviour, session_, 7);
    ASSERT_TRUE(core) << core.error().message;
    core_ = std::move(core).value();
    core_->start(now_);
  }

  // 20 ms of time: the phone's packets of this frame arrive, then the tick.
  void frame(const std::vector<Bytes>& from_phone = {}, const rtp::Endpoint& from = kPhone) {
    now_ += milliseconds(20);
    for (const auto& p : from_phone) core_->on_packet(p, from, now_);
    core_->on_tick(now_, [this](std::span<const std::uint8_t> p, const rtp::Endpoint& to) {
      sent_.emplace_back(p.begin(), p.end());
      to_.push_back(to);
    });
  }
  void frames(int n) {
    for (int i = 0; i < n; ++i) frame();
  }
  // The phone sends `pcm` (PCMU, 20 ms a packet) in real time.
  void phone_sends(const std::vector<std::int16_t>& pcm) {
    for (std::size_t at = 0; at + 160 <= pcm.size(); at += 160) {
      frame({phone_.audio(std::span(pcm).subspan(at, 160))});
    }
  }
  void phone_presses(const std::string& digits) {
    for (char d : digits) {
      for (const auto& p : phone_.digit(d)) frame({p});
      frames(3);
    }
  }
  template <typename T>
  std::vector<T> events_of() const {
    std::vector<T> out;
    for (const auto& e : events_)
      if (const auto* x = std::get_if<T>(&e)) out.push_back(*x);
    return out;
  }

  TimePoint now_ = TimePoint{} + std::chrono::hours(1);
  std::shared_ptr<MediaSession> session_;
  std::unique_ptr<RtpLegCore> core_;
  test::RtpPhone phone_;
  std::vector<Bytes> sent_;
  std::vector<rtp::Endpoint> to_;
  std::vector<MediaEvent> events_;
};

TEST_F(LegCoreTest, PlaysAPromptAsContinuousRtpAtTheCodecClock) {
  make(pcmu());
  session_->play(1, sine_prompt(440, 600));
  frames(40);
  ASSERT_EQ(events_of<PlayDone>().size(), 1u);
  ASSERT_EQ(sent_.size(), 40u);  // silence goes on after the prompt
  for (const auto& to : to_) EXPECT_EQ(to, kPhone);
  test::expect_continuous(std::vector<Bytes>(sent_.begin() + 1, sent_.end()), 0, 160);
  auto first = rtp::parse_rtp(sent_[0]).packet.header;
  EXPECT_TRUE(first.marker);
  EXPECT_EQ(rtp::parse_rtp(sent_[1]).packet.header.timestamp, first.timestamp + 160);
  EXPECT_EQ(rtp::parse_rtp(sent_[0]).packet.payload.size(), 160u);
  auto pcm = test::decode_pcmu(std::vector<Bytes>(sent_.begin(), sent_.begin() + 30));
  EXPECT_NEAR(media::test::frequency(pcm, 8000), 440, 3);
  EXPECT_GT(media::test::level_db(pcm), -20);
  EXPECT_EQ(core_->stats().packets_sent, 40u);
}

// G.722 and opus: 16/48 kHz PCM in the session, the RTP clock of the rtpmap
// (G.722's 8000) for timestamps; opus sends 20 ms packets whatever the ptime.
TEST_F(LegCoreTest, WidebandCodecsStampByTheirRtpClock) {
  struct Case {
    const char* codec;
    std::uint32_t clock;
    int pt;
    std::uint32_t pcm_rate;
    std::uint32_t step;  // a packet's: ptime 40 is two frames but for opus
    std::size_t packets;
  };
  for (const auto& c :
       {Case{"G722", 8000, 9, 16000, 320, 15}, Case{"opus", 48000, 111, 48000, 960, 30}}) {
    SCOPED_TRACE(c.codec);
    sent_.clear();
    auto p = pcmu();
    p.codec = c.codec;
    p.clock_rate = c.clock;
    p.payload_type = c.pt;
    p.ptime_ms = 40;
    make(p);
    auto pcm = std::make_shared<audio::PcmBuffer>();
    pcm->rate = static_cast<int>(c.pcm_rate);
    pcm->samples = media::test::sine(1000, 8000, c.pcm_rate, c.pcm_rate);
    PlayRequest r;
    r.items.push_back(PcmItem{pcm});
    session_->play(1, r);
    frames(30);
    ASSERT_EQ(sent_.size(), c.packets);
    test::expect_continuous(std::vector<Bytes>(sent_.begin() + 1, sent_.end()),
                            static_cast<std::uint8_t>(c.pt), c.step);
    auto codec = make_codec(c.codec, c.clock).value();
    std::vector<std::int16_t> out, buf(kMaxDecodedSamples);
    for (const auto& packet : sent_) {
      auto n = codec->decode(rtp::parse_rtp(packet).packet.payload, buf).value();
      out.insert(out.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
    }
    ASSERT_EQ(out.size(), 30u * c.pcm_rate / 50);
    auto tail = std::span(out).subspan(out.size() / 2);
    EXPECT_NEAR(media::test::frequency(tail, c.pcm_rate), 1000, 5);
  }
}

TEST_F(LegCoreTest, PtimeFortyPacksTwoFramesAPacket) {
  auto p = pcmu();
  p.ptime_ms = 40;
  make(p);
  frames(20);
  ASSERT_EQ(sent_.size(), 10u);
  EXPECT_EQ(rtp::parse_rtp(sent_[3]).packet.payload.size(), 320u);
  test::expect_continuous(std::vector<Bytes>(sent_.begin() + 1, sent_.end()), 0, 320);
}

TEST_F(LegCoreTest, WithoutSilenceTheFirstPacketAfterAGapIsMarked) {
  LegBehaviour b;
  b.send_silence = false;
  make(pcmu(), b);
  frames(10);
  EXPECT_TRUE(sent_.empty());
  session_->play(1, sine_prompt(440, 100));
  frames(10);
  ASSERT_EQ(sent_.size(), 5u);
  frames(7);
  session_->play(2, sine_prompt(440, 100));
  frames(10);
  ASSERT_EQ(sent_.size(), 10u);
  auto a = rtp::parse_rtp(sent_[4]).packet.header;
  auto b2 = rtp::parse_rtp(sent_[5]).packet.header;
  EXPECT_TRUE(rtp::parse_rtp(sent_[0]).packet.header.marker);
  EXPECT_FALSE(a.marker);
  EXPECT_TRUE(b2.marker);
  EXPECT_EQ(b2.sequence, static_cast<std::uint16_t>(a.sequence + 1));
  EXPECT_EQ(b2.timestamp, a.timestamp + 160 * 13);  // the gap's time counts
}

TEST_F(LegCoreTest, AStallTheClockCannotMakeUpJumpsTheTimestampsWithAMarker) {
  make(pcmu());
  frames(3);
  now_ += milliseconds(1000);  // the media thread stalled for a second
  frames(2);
  // 3 frames, the catch-up (kMaxCatchUp + 1 frames at once), then the clock
  // starts over: one frame 20 ms later.
  const std::size_t burst = mixer::FrameClock::kMaxCatchUp + 1;
  ASSERT_EQ(sent_.size(), 3 + burst + 1);
  test::expect_continuous(std::vector<Bytes>(sent_.begin() + 1, sent_.begin() + 3 + burst), 0, 160);
  auto last = rtp::parse_rtp(sent_[2 + burst]).packet.header;
  auto next = rtp::parse_rtp(sent_[3 + burst]).packet.header;
  EXPECT_TRUE(next.marker);
  EXPECT_EQ(next.sequence, static_cast<std::uint16_t>(last.sequence + 1));
  // The first frame was due at 20 ms, `next`'s at 1100 ms: 54 frames later.
  auto first = rtp::parse_rtp(sent_[0]).packet.header;
  EXPECT_EQ(next.timestamp - first.timestamp, 160u * 54);
}

TEST_F(LegCoreTest, APhoneHoldingUsGetsNothing) {
  auto p = pcmu();
  p.direction = rtp::Direction::kSendOnly;
  make(p);
  session_->play(1, sine_prompt(440, 200));
  frames(20);
  EXPECT_TRUE(sent_.empty());
  EXPECT_EQ(events_of<PlayDone>().size(), 1u);  // the application goes on
}

TEST_F(LegCoreTest, NoAddressYetMeansNoPacketsUntilLatched) {
  auto p = pcmu();
  p.remote_address = "0.0.0.0";
  p.latch = rtp::LatchMode::kAnyHost;
  make(p);
  frames(5);
  EXPECT_TRUE(sent_.empty());
  rtp::Endpoint nat(boost::asio::ip::make_address("192.0.2.7"), 31000);
  frame({phone_.audio(std::vector<std::int16_t>(160, 0))}, nat);
  frames(2);
  ASSERT_EQ(sent_.size(), 3u);
  EXPECT_EQ(to_.back(), nat);
}

TEST_F(LegCoreTest, LatchesOntoThePhonesRealPortAndIgnoresOtherHosts) {
  make(pcmu());
  rtp::Endpoint natted(boost::asio::ip::make_address("127.0.0.1"), 41234);
  rtp::Endpoint stranger(boost::asio::ip::make_address("10.9.9.9"), 40000);
  frame({phone_.audio(std::vector<std::int16_t>(160, 0))}, stranger);
  EXPECT_EQ(core_->stats().packets_ignored, 1u);
  EXPECT_EQ(to_.back(), kPhone);
  frame({phone_.audio(std::vector<std::int16_t>(160, 0))}, natted);
  frame();
  EXPECT_EQ(to_.back(), natted);
  EXPECT_EQ(core_->stats().packets_received, 1u);
}

TEST_F(LegCoreTest, RecordsWhatThePhoneSays) {
  make(pcmu());
  auto path = std::filesystem::temp_directory_path() /
              ("sb_leg_core_" + std::to_string(::getpid()) + ".wav");
  RecordRequest r;
  r.path = path.string();
  session_->record(1, r);
  phone_sends(media::test::sine(1000, 8000, 8000, 8000));  // 1 s
  session_->stop(1);
  auto done = events_of<RecordDone>();
  ASSERT_EQ(done.size(), 1u);
  auto wav = audio::read_sound_file(path.string());
  std::filesystem::remove(path);
  ASSERT_TRUE(wav) << wav.error().message;
  ASSERT_GT(wav->samples.size(), 6000u);
  auto tail = std::span(wav->samples).subspan(wav->samples.size() - 4000);
  EXPECT_NEAR(media::test::frequency(tail, 8000), 1000, 5);
  EXPECT_GT(media::test::level_db(tail), -16);
}

TEST_F(LegCoreTest, CollectsRfc4733Digits) {
  make(pcmu());
  CollectRequest c;
  c.max_digits = 4;
  session_->collect_digits(1, c);
  phone_presses("19*#");
  auto done = events_of<DigitsDone>();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].digits, "19*");
  EXPECT_EQ(done[0].result, CollectResult::kTerminator);
  EXPECT_EQ(core_->stats().digits, 4u);
}

TEST_F(LegCoreTest, CollectsInBandDigitsWhenNoTelephoneEventWasNegotiated) {
  make(pcmu(-1));
  CollectRequest c;
  c.max_digits = 3;
  session_->collect_digits(1, c);
  media::test::DtmfParams d;
  phone_sends(media::test::dtmf_signal("507", d, 8000));
  auto done = events_of<DigitsDone>();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].digits, "507");
}

TEST_F(LegCoreTest, OtherPayloadTypesAreIgnored) {
  make(pcmu(-1));  // telephone-event not negotiated: its packets are unknown
  CollectRequest c;
  session_->collect_digits(1, c);
  phone_presses("5");
  EXPECT_TRUE(events_of<DigitsDone>().empty());
  EXPECT_GT(core_->stats().packets_ignored, 5u);
}

TEST_F(LegCoreTest, AReInviteHoldsResumesAndMovesTheStream) {
  make(pcmu());
  frames(2);
  auto p = pcmu();
  p.direction = rtp::Direction::kSendOnly;  // the phone holds us
  ASSERT_TRUE(core_->update(p));
  frames(5);
  EXPECT_EQ(sent_.size(), 2u);
  p.direction = rtp::Direction::kSendRecv;
  p.remote_rtp_port = 40100;  // resumes from another port
  ASSERT_TRUE(core_->update(p));
  frames(2);
  ASSERT_EQ(sent_.size(), 4u);
  EXPECT_EQ(to_.back().port(), 40100);
  auto before = rtp::parse_rtp(sent_[1]).packet.header;
  auto after = rtp::parse_rtp(sent_[2]).packet.header;
  EXPECT_TRUE(after.marker);
  EXPECT_EQ(after.sequence, static_cast<std::uint16_t>(before.sequence + 1));
  EXPECT_EQ(after.timestamp, before.timestamp + 6 * 160);
  p.codec = "PCMA";
  p.payload_type = 8;
  EXPECT_FALSE(core_->update(p));  // another codec needs another leg
}

TEST(RtpLegCoreCheck, RefusesWhatNoLegCanUse) {
  LegParams p = pcmu();
  p.codec = "L99";
  EXPECT_FALSE(RtpLegCore::check(p));
  p = pcmu();
  p.payload_type = 128;
  EXPECT_FALSE(RtpLegCore::check(p));
  p = pcmu();
  p.telephone_event_pt = 0;
  EXPECT_FALSE(RtpLegCore::check(p));
  p = pcmu();
  p.codec = "G722";
  p.payload_type = 9;
  auto info = RtpLegCore::check(p);
  ASSERT_TRUE(info);
  EXPECT_EQ(info.value()->sample_rate, 16000u);
  // A session at another rate than the codec's is refused.
  SessionConfig config;  // 8000
  auto session = std::make_shared<MediaSession>(config, SessionServices{});
  EXPECT_FALSE(RtpLegCore::create(p, {}, session, 1));
}

}  // namespace
}  // namespace switchboard::media::app
