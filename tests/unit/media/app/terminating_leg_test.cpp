// TerminatingLeg on real loopback UDP: a MediaEngine media thread runs the
// leg, a plain UDP socket is the phone, this thread is the core thread.
// A prompt reaches the phone as continuous RTP of the right frequency, the
// phone's audio is recorded, its digits (RFC 4733 and in-band PCMU) are
// collected, and the ports return to the pool on close and on destruction.
#include "media/app/terminating_leg.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <filesystem>
#include <thread>

#include "media/audio/sound_file.hpp"
#include "unit/media/app/rtp_phone.hpp"
#include "unit/media/codec/tone_measure.hpp"
#include "unit/media/dsp/signals.hpp"
#include "unit/media/rtp/test_ports.hpp"

namespace switchboard::media::app {
namespace {

using boost::asio::ip::udp;
using std::chrono::milliseconds;
using test::Bytes;

const auto kLoopback = boost::asio::ip::make_address("127.0.0.1");

class LegTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rtp::EngineConfig c;
    c.bind_address = "127.0.0.1";
    c.port_first = rtp::test_port_block(0);
    c.port_last = static_cast<std::uint16_t>(c.port_first + 3);  // two pairs
    c.threads = 1;
    auto engine = rtp::MediaEngine::create(c, io_.get_executor());
    ASSERT_TRUE(engine) << engine.error().message;
    engine_ = std::move(engine).value();
    phone_socket_.non_blocking(true);
  }

  Result<std::unique_ptr<TerminatingLeg>> open(int te_pt = 101) {
    LegParams p;
    p.remote_address = "127.0.0.1";
    p.remote_rtp_port = phone_socket_.local_endpoint().port();
    p.telephone_event_pt = te_pt;
    return TerminatingLeg::create(*engine_, p, {}, io_.get_executor(),
                                  [this](const MediaEvent& e) { events_.push_back(e); });
  }

  void to_leg(const TerminatingLeg& leg, const Bytes& packet) {
    phone_socket_.send_to(boost::asio::buffer(packet), udp::endpoint(kLoopback, leg.local_port()));
  }
  // Runs the core thread and reads what the leg sent for `ms`.
  void run_for(int ms) {
    auto until = std::chrono::steady_clock::now() + milliseconds(ms);
    while (std::chrono::steady_clock::now() < until) {
      io_.poll();
      io_.restart();
      drain();
      std::this_thread::sleep_for(milliseconds(2));
    }
  }
  // Sends `packets` 20 ms apart (as a phone does), then runs 200 ms more.
  void send_paced(const TerminatingLeg& leg, const std::vector<Bytes>& packets) {
    auto next = std::chrono::steady_clock::now();
    for (const auto& p : packets) {
      to_leg(leg, p);
      next += milliseconds(20);
      while (std::chrono::steady_clock::now() < next) run_for(2);
    }
    run_for(200);
  }
  template <typename Pred>
  bool eventually(Pred pred, int ms = 3000) {
    for (int i = 0; i < ms / 5 && !pred(); ++i) run_for(5);
    return pred();
  }
  template <typename T>
  std::vector<T> events_of() const {
    std::vector<T> out;
    for (const auto& e : events_)
      if (const auto* x = std::get_if<T>(&e)) out.push_back(*x);
    return out;
  }
  void drain() {
    Bytes buf(2048);
    boost::system::error_code ec;
    for (;;) {
      std::size_t n = phone_socket_.receive(boost::asio::buffer(buf), 0, ec);
      if (ec) return;
      received_.emplace_back(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
    }
  }

  boost::asio::io_context io_;
  std::unique_ptr<rtp::MediaEngine> engine_;
  udp::socket phone_socket_{io_, udp::endpoint(kLoopback, 0)};
  test::RtpPhone phone_;
  std::vector<Bytes> received_;
  std::vector<MediaEvent> events_;
};

TEST_F(LegTest, APromptReachesThePhoneAsContinuousRtp) {
  auto leg = open();
  ASSERT_TRUE(leg) << leg.error().message;
  EXPECT_EQ((*leg)->local_address(), "127.0.0.1");
  auto pcm = std::make_shared<audio::PcmBuffer>();
  pcm->samples = media::test::sine(697, 8000, 8000, 8000);  // 1 s
  PlayRequest r;
  r.items.push_back(PcmItem{pcm});
  received_.clear();
  (*leg)->channel().play(r);
  ASSERT_TRUE(eventually([&] { return !events_of<PlayDone>().empty(); }));
  EXPECT_EQ(events_of<PlayDone>()[0].result, PlayResult::kDone);
  ASSERT_GE(received_.size(), 45u);
  test::expect_continuous(std::vector<Bytes>(received_.begin() + 1, received_.end()), 0, 160);
  // The packets carry the prompt: find a 0.5 s stretch of it.
  auto audio = test::decode_pcmu(received_);
  std::size_t start = 0;
  while (start < audio.size() && std::abs(audio[start]) < 1000) ++start;
  ASSERT_LT(start + 4000, audio.size());
  auto span = std::span(audio).subspan(start, 4000);
  EXPECT_NEAR(media::test::frequency(span, 8000), 697, 3);
  EXPECT_GT((*leg)->stats().packets_sent, 45u);
}

TEST_F(LegTest, RecordsThePhoneAndCollectsRfc4733Digits) {
  auto leg = open();
  ASSERT_TRUE(leg) << leg.error().message;
  auto path =
      std::filesystem::temp_directory_path() / ("sb_leg_" + std::to_string(::getpid()) + ".wav");
  RecordRequest rec;
  rec.path = path.string();
  auto& channel = (*leg)->channel();
  OpId record = channel.record(rec);
  CollectRequest c;
  c.max_digits = 2;
  channel.collect_digits(c);
  auto tone = media::test::sine(1000, 8000, 8000, 8000 * 6 / 10);  // 600 ms
  std::vector<Bytes> packets;
  for (std::size_t at = 0; at + 160 <= tone.size(); at += 160)
    packets.push_back(phone_.audio(std::span(tone).subspan(at, 160)));
  for (char d : std::string("42"))
    for (auto& p : phone_.digit(d)) packets.push_back(std::move(p));
  send_paced(**leg, packets);
  ASSERT_TRUE(eventually([&] { return !events_of<DigitsDone>().empty(); }));
  EXPECT_EQ(events_of<DigitsDone>()[0].digits, "42");
  channel.stop(record);
  ASSERT_TRUE(eventually([&] { return !events_of<RecordDone>().empty(); }));
  auto wav = audio::read_sound_file(path.string());
  std::filesystem::remove(path);
  ASSERT_TRUE(wav) << wav.error().message;
  std::size_t start = 0;
  while (start < wav->samples.size() && std::abs(wav->samples[start]) < 1000) ++start;
  ASSERT_LT(start + 3200, wav->samples.size());
  auto span = std::span(wav->samples).subspan(start, 3200);
  EXPECT_NEAR(media::test::frequency(span, 8000), 1000, 5);
  EXPECT_GT(media::test::level_db(span), -16);
}

TEST_F(LegTest, CollectsInBandDigitsWithoutTelephoneEvent) {
  auto leg = open(-1);
  ASSERT_TRUE(leg) << leg.error().message;
  CollectRequest c;
  c.max_digits = 3;
  (*leg)->channel().collect_digits(c);
  media::test::DtmfParams d;
  auto pcm = media::test::dtmf_signal("8*3", d, 8000);
  std::vector<Bytes> packets;
  for (std::size_t at = 0; at + 160 <= pcm.size(); at += 160)
    packets.push_back(phone_.audio(std::span(pcm).subspan(at, 160)));
  send_paced(**leg, packets);
  ASSERT_TRUE(eventually([&] { return !events_of<DigitsDone>().empty(); }));
  EXPECT_EQ(events_of<DigitsDone>()[0].digits, "8*3");
  EXPECT_EQ(events_of<DigitsDone>()[0].result, CollectResult::kMaxDigits);
}

TEST_F(LegTest, PortsReturnOnCloseAndOnDestruction) {
  ASSERT_EQ(engine_->free_port_pairs(), 2u);
  auto a = open();
  auto b = open();
  ASSERT_TRUE(a && b);
  EXPECT_NE((*a)->local_port(), (*b)->local_port());
  EXPECT_EQ(engine_->free_port_pairs(), 0u);
  auto c = open();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, ErrorCode::kUnavailable);
  // A collection in progress completes as stopped on close.
  (*a)->channel().collect_digits(CollectRequest{});
  (*a)->close();
  EXPECT_TRUE((*a)->closed());
  EXPECT_TRUE(eventually([&] { return engine_->free_port_pairs() == 1u; }));
  EXPECT_TRUE(eventually([&] { return !events_of<DigitsDone>().empty(); }));
  EXPECT_EQ(events_of<DigitsDone>()[0].result, CollectResult::kStopped);
  b->reset();
  EXPECT_TRUE(eventually([&] { return engine_->free_port_pairs() == 2u; }));
  // A failed creation leaks nothing either.
  LegParams bad;
  bad.codec = "nope";
  EXPECT_FALSE(TerminatingLeg::create(*engine_, bad, {}, io_.get_executor(), {}));
  EXPECT_EQ(engine_->free_port_pairs(), 2u);
}

TEST_F(LegTest, LegsOutlivingTheirEngineStillReturnTheirPorts) {
  auto a = open();
  auto b = open();
  ASSERT_TRUE(a && b);
  (*a)->channel().play(PlayRequest{{ToneItem{dsp::ToneKind::kDial, {}}}});
  run_for(60);
  engine_->stop();  // the media thread is gone: a close cannot run there
  EXPECT_EQ(engine_->free_port_pairs(), 0u);
  EXPECT_FALSE(open());
  a->reset();
  EXPECT_EQ(engine_->free_port_pairs(), 1u);
  engine_.reset();  // b outlives the engine itself
  (*b)->close();
  b->reset();
  run_for(20);
}

}  // namespace
}  // namespace switchboard::media::app
