// A conference on real loopback UDP: three terminating legs (one of them
// G.722, mixed in an 8 kHz room) on a two-thread engine, three sockets as
// phones each sending its own tone. Each phone hears the other two and not
// itself; mute and deaf; entry tones reach everyone; the room recording
// holds all three tones; a removed party hears nothing more.
#include "media/app/conference.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <filesystem>
#include <thread>

#include "media/rtp/rtp_packet.hpp"
#include "unit/media/rtp/goertzel.hpp"
#include "unit/media/rtp/test_ports.hpp"

namespace switchboard::media::app {
namespace {

using boost::asio::ip::udp;
using std::chrono::milliseconds;
using test::tone_power;
using Bytes = std::vector<std::uint8_t>;

const auto kLoopback = boost::asio::ip::make_address("127.0.0.1");

struct Phone {
  Phone(std::string codec_name, int pt, double freq)
      : name(std::move(codec_name)),
        payload_type(pt),
        codec(make_codec(name, 8000).value()),
        sine(freq, static_cast<int>(codec->info().sample_rate)) {
    socket.non_blocking(true);
  }
  boost::asio::io_context io;
  udp::socket socket{io, udp::endpoint(kLoopback, 0)};
  std::string name;
  int payload_type;
  std::unique_ptr<Codec> codec;
  test::SineGenerator sine;
  bool talking = true;
  std::uint16_t seq = 1;
  std::uint32_t ts = 0;
  std::vector<Bytes> received;

  LegParams params() const {
    LegParams p;
    p.remote_address = "127.0.0.1";
    p.remote_rtp_port = socket.local_endpoint().port();
    p.codec = name;
    p.clock_rate = 8000;
    p.payload_type = payload_type;
    p.telephone_event_pt = 101;
    return p;
  }
  int rate() const { return static_cast<int>(codec->info().sample_rate); }
  void send(std::uint16_t to) {
    std::vector<std::int16_t> pcm(codec->info().frame_samples(), 0);
    if (talking) sine.fill(pcm);
    Bytes payload(kMaxPayloadBytes);
    payload.resize(codec->encode(pcm, payload).value());
    rtp::RtpHeader h;
    h.payload_type = static_cast<std::uint8_t>(payload_type);
    h.sequence = seq++;
    h.timestamp = ts;
    ts += codec->info().timestamp_step();
    h.ssrc = 0x5000 + static_cast<std::uint32_t>(payload_type);
    Bytes out(rtp::kRtpFixedHeader + payload.size());
    out.resize(rtp::write_rtp(h, {}, payload, 0, out));
    socket.send_to(boost::asio::buffer(out), udp::endpoint(kLoopback, to));
  }
  void drain() {
    Bytes buf(2048);
    for (;;) {
      boost::system::error_code ec;
      std::size_t n = socket.receive(boost::asio::buffer(buf), 0, ec);
      if (ec) return;
      received.emplace_back(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
    }
  }
  // What the phone heard since the last call, decoded.
  std::vector<std::int16_t> heard() {
    auto dec = make_codec(name, 8000).value();
    std::vector<std::int16_t> pcm, buf(kMaxDecodedSamples);
    for (const auto& p : received) {
      auto r = rtp::parse_rtp(p);
      if (!r.ok() || r.packet.header.payload_type != payload_type) continue;
      auto n = dec->decode(r.packet.payload, buf);
      if (n) pcm.insert(pcm.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(*n));
    }
    received.clear();
    return pcm;
  }
};

class ConferenceTest : public ::testing::Test {
 protected:
  static constexpr double kFreq[3] = {500, 900, 1400};

  void SetUp() override {
    rtp::EngineConfig c;
    c.bind_address = "127.0.0.1";
    c.port_first = rtp::test_port_block(40);
    c.port_last = static_cast<std::uint16_t>(c.port_first + 9);
    c.threads = 2;
    auto engine = rtp::MediaEngine::create(c, io_.get_executor());
    ASSERT_TRUE(engine) << engine.error().message;
    engine_ = std::move(engine).value();
    phones_.push_back(std::make_unique<Phone>("PCMU", 0, kFreq[0]));
    phones_.push_back(std::make_unique<Phone>("G722", 9, kFreq[1]));
    phones_.push_back(std::make_unique<Phone>("PCMA", 8, kFreq[2]));
    for (auto& p : phones_) {
      auto leg = TerminatingLeg::create(*engine_, p->params(), {}, io_.get_executor(),
                                        [](const MediaEvent&) {});
      ASSERT_TRUE(leg) << leg.error().message;
      legs_.push_back(std::move(leg).value());
    }
    auto conf = Conference::create(*engine_, {}, io_.get_executor());
    ASSERT_TRUE(conf) << conf.error().message;
    conf_ = std::move(conf).value();
  }

  // Every phone sends for `frames` x 20 ms, paced; the core thread runs.
  void talk(int frames) {
    auto next = std::chrono::steady_clock::now();
    for (int i = 0; i < frames; ++i) {
      for (std::size_t k = 0; k < phones_.size(); ++k) {
        if (legs_[k]) phones_[k]->send(legs_[k]->local_port());
      }
      next += milliseconds(20);
      while (std::chrono::steady_clock::now() < next) {
        io_.restart();
        io_.poll();
        std::this_thread::sleep_for(milliseconds(2));
      }
      for (auto& p : phones_) p->drain();
    }
  }
  // Warms up (jitter buffers, queues), then returns what each phone heard
  // during the next second.
  std::vector<std::vector<std::int16_t>> listen() {
    talk(15);
    for (auto& p : phones_) p->received.clear();
    talk(50);
    std::vector<std::vector<std::int16_t>> out;
    for (auto& p : phones_) out.push_back(p->heard());
    return out;
  }
  double power(std::size_t phone, const std::vector<std::int16_t>& pcm, double f) const {
    return tone_power(pcm, f, phones_[phone]->rate());
  }

  boost::asio::io_context io_;
  std::unique_ptr<rtp::MediaEngine> engine_;
  std::vector<std::unique_ptr<Phone>> phones_;
  std::vector<std::unique_ptr<TerminatingLeg>> legs_;
  std::unique_ptr<Conference> conf_;
};

TEST_F(ConferenceTest, EachPartyHearsTheOtherTwoAndNotItself) {
  for (std::uint32_t k = 0; k < 3; ++k) ASSERT_TRUE(conf_->add_party(k + 1, *legs_[k]).ok());
  EXPECT_EQ(conf_->size(), 3u);
  auto heard = listen();
  for (std::size_t k = 0; k < 3; ++k) {
    ASSERT_GT(heard[k].size(), 20u * 160) << "phone " << k << " got audio";
    double own = power(k, heard[k], kFreq[k]);
    for (std::size_t j = 0; j < 3; ++j) {
      if (j == k) continue;
      double other = power(k, heard[k], kFreq[j]);
      EXPECT_GT(other, 0.005) << "phone " << k << " hears party " << j;
      EXPECT_LT(own, other / 50) << "phone " << k << " does not hear itself";
    }
  }
}

TEST_F(ConferenceTest, MuteDeafAndRemoveTakeEffect) {
  for (std::uint32_t k = 0; k < 3; ++k) ASSERT_TRUE(conf_->add_party(k + 1, *legs_[k]).ok());
  EXPECT_EQ(conf_->add_party(1, *legs_[0]).error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(conf_->add_party(Conference::kFirstReservedId, *legs_[0]).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(conf_->set_muted(42, true).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(conf_->set_muted(1, true).ok());  // nobody hears phone 0
  ASSERT_TRUE(conf_->set_deaf(2, true).ok());   // phone 1 hears nothing
  auto heard = listen();
  EXPECT_LT(power(2, heard[2], kFreq[0]), 1e-4) << "a muted party is not heard";
  EXPECT_GT(power(2, heard[2], kFreq[1]), 0.005) << "a deaf party still talks";
  EXPECT_GT(power(0, heard[0], kFreq[2]), 0.005) << "a muted party still hears";
  for (double f : kFreq) EXPECT_LT(power(1, heard[1], f), 1e-4) << "a deaf party hears nothing";
  ASSERT_TRUE(conf_->set_muted(1, false).ok());
  ASSERT_TRUE(conf_->remove_party(3).ok());
  EXPECT_EQ(conf_->remove_party(3).error().code, ErrorCode::kNotFound);
  heard = listen();
  EXPECT_GT(power(2, heard[2], kFreq[0]), -1.0);  // phone 2's leg plays nothing from the room
  EXPECT_LT(power(2, heard[2], kFreq[0]), 1e-4);
  EXPECT_LT(power(2, heard[2], kFreq[1]), 1e-4);
  EXPECT_LT(power(0, heard[0], kFreq[2]), 1e-4) << "the removed party is not heard";
}

TEST_F(ConferenceTest, TonesReachEveryoneAndTheRecordingHoldsEveryParty) {
  auto dir = std::filesystem::temp_directory_path() / ("sb-conf-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  for (std::uint32_t k = 0; k < 3; ++k) ASSERT_TRUE(conf_->add_party(k + 1, *legs_[k]).ok());
  std::optional<RoomRecordingDone> done;
  std::string path = (dir / "room.wav").string();
  EXPECT_EQ(conf_->start_recording((dir / "no" / "x.wav").string(), nullptr).error().code,
            ErrorCode::kNotFound);
  ASSERT_TRUE(conf_->start_recording(path, [&](const RoomRecordingDone& d) { done = d; }).ok());
  EXPECT_EQ(conf_->start_recording(path, nullptr).error().code, ErrorCode::kFailedPrecondition);
  talk(15);
  // Silence the phones and play a long tone: everybody hears it.
  for (auto& p : phones_) {
    p->talking = false;
    p->received.clear();
  }
  dsp::ToneSpec tone;
  tone.frequencies = {2000, 0};
  conf_->play_tone(tone, milliseconds(800));
  talk(40);
  for (std::size_t k = 0; k < 3; ++k) {
    auto pcm = phones_[k]->heard();
    EXPECT_GT(power(k, pcm, 2000), 0.001) << "phone " << k << " hears the announcement";
  }
  for (auto& p : phones_) p->talking = true;
  talk(40);
  conf_->stop_recording();
  for (int i = 0; i < 300 && !done; ++i) {
    io_.restart();
    io_.poll();
    std::this_thread::sleep_for(milliseconds(10));
  }
  ASSERT_TRUE(done);
  ASSERT_TRUE(done->status.ok()) << done->status.error().message;
  EXPECT_GT(done->seconds, 1.5);
  SF_INFO info{};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  ASSERT_NE(f, nullptr);
  std::vector<std::int16_t> pcm(static_cast<std::size_t>(info.frames));
  sf_read_short(f, pcm.data(), static_cast<sf_count_t>(pcm.size()));
  sf_close(f);
  EXPECT_EQ(info.samplerate, 8000);
  for (double freq : kFreq) EXPECT_GT(tone_power(pcm, freq, 8000), 0.001) << freq;
  EXPECT_GT(tone_power(pcm, 2000, 8000), 0.0005);
  std::filesystem::remove_all(dir);
}

TEST_F(ConferenceTest, EntryTonesAndALegClosedBeforeTheRoom) {
  ASSERT_TRUE(conf_->add_party(1, *legs_[0]).ok());
  ASSERT_TRUE(conf_->add_party(2, *legs_[1]).ok());
  phones_[0]->talking = phones_[1]->talking = false;
  talk(10);
  phones_[0]->received.clear();
  conf_->play_entry_tone();
  talk(25);
  auto pcm = phones_[0]->heard();
  EXPECT_GT(power(0, pcm, 440), 0.0005);
  EXPECT_GT(power(0, pcm, 660), 0.0005);
  // A leg destroyed while in the room: the room goes on, removing it works.
  legs_[1].reset();
  talk(5);
  EXPECT_TRUE(conf_->remove_party(2).ok());
  conf_.reset();  // the room goes while legs are still open
  talk(5);
}

TEST(ConferenceCreate, RejectsABadRateAndAStoppedEngine) {
  boost::asio::io_context io;
  rtp::EngineConfig c;
  c.bind_address = "127.0.0.1";
  c.port_first = rtp::test_port_block(60);
  c.port_last = static_cast<std::uint16_t>(c.port_first + 3);
  c.threads = 1;
  auto engine = rtp::MediaEngine::create(c, io.get_executor()).value();
  ConferenceOptions o;
  o.rate = 11025;
  EXPECT_EQ(Conference::create(*engine, o, io.get_executor()).error().code,
            ErrorCode::kInvalidArgument);
  engine->stop();
  EXPECT_EQ(Conference::create(*engine, {}, io.get_executor()).error().code,
            ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace switchboard::media::app
