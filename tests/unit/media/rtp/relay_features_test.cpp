// Issue 7's relay features on real loopback sockets, two UDP sockets acting
// as phones: injection (music on hold / announcements) toward one side in
// its own codec and RTP stream, with forwarding suppressed and resumed; a
// side moved to another port of the same host (a terminating leg on
// loopback) and back re-latches at once; a recording holds each party's
// tone (stereo: in its own channel; mono: both).
#include <gtest/gtest.h>
#include <sndfile.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <filesystem>
#include <thread>

#include "media/audio/moh_service.hpp"
#include "media/codec/codec.hpp"
#include "media/rtp/media_engine.hpp"
#include "media/rtp/rtp_packet.hpp"
#include "unit/media/rtp/goertzel.hpp"
#include "unit/media/rtp/test_ports.hpp"

namespace switchboard::media::rtp {
namespace {

using boost::asio::ip::udp;
using std::chrono::milliseconds;
using test::SineGenerator;
using test::tone_power;
using Bytes = std::vector<std::uint8_t>;

const auto kLoopback = boost::asio::ip::make_address("127.0.0.1");

// A phone: sends a sine in its codec, 20 ms per packet, and collects what it gets.
struct Phone {
  Phone(PayloadFormat format, double freq)
      : fmt(std::move(format)),
        codec(make_codec(fmt.name, fmt.clock_rate).value()),
        sine(freq, static_cast<int>(codec->info().sample_rate)) {
    socket.non_blocking(true);
  }
  boost::asio::io_context io;
  udp::socket socket{io, udp::endpoint(kLoopback, 0)};
  PayloadFormat fmt;
  std::unique_ptr<Codec> codec;
  SineGenerator sine;
  std::uint16_t seq = 1;
  std::uint32_t ts = 1000;
  std::vector<Bytes> received;

  std::uint16_t port() const { return socket.local_endpoint().port(); }
  SideParams params() const {
    SideParams s;
    s.remote_address = "127.0.0.1";
    s.remote_rtp_port = port();
    s.codecs = {fmt};
    return s;
  }
  void send_frame(std::uint16_t to) {
    std::vector<std::int16_t> pcm(codec->info().frame_samples());
    sine.fill(pcm);
    Bytes payload(kMaxPayloadBytes);
    payload.resize(codec->encode(pcm, payload).value());
    RtpHeader h;
    h.payload_type = static_cast<std::uint8_t>(fmt.payload_type);
    h.sequence = seq++;
    h.timestamp = ts;
    ts += codec->info().timestamp_step();
    h.ssrc = 0xA0000000u + fmt.payload_type;
    Bytes out(kRtpFixedHeader + payload.size());
    out.resize(write_rtp(h, {}, payload, 0, out));
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
  // Decodes the received packets of payload type `pt` (in arrival order).
  std::vector<std::int16_t> decoded(const std::vector<Bytes>& packets, int pt, int* count) {
    auto dec = make_codec(fmt.name, fmt.clock_rate).value();
    std::vector<std::int16_t> pcm, buf(kMaxDecodedSamples);
    *count = 0;
    for (const auto& p : packets) {
      auto r = parse_rtp(p);
      if (!r.ok() || r.packet.header.payload_type != pt) continue;
      auto n = dec->decode(r.packet.payload, buf);
      if (!n) continue;
      ++*count;
      pcm.insert(pcm.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n.value()));
    }
    return pcm;
  }
};

// A producer: a sine at `rate`.
class SineProducer final : public audio::FrameSource {
 public:
  SineProducer(double freq, int rate) : sine_(freq, rate) {}
  bool read(std::span<std::int16_t> frame) override {
    sine_.fill(frame);
    return true;
  }

 private:
  SineGenerator sine_;
};

EngineConfig config(int slot) {
  EngineConfig c;
  c.bind_address = "127.0.0.1";
  c.port_first = test_port_block(slot * 10);
  c.port_last = static_cast<std::uint16_t>(c.port_first + 7);
  c.threads = 1;
  return c;
}

// Both phones talk for `frames` x 20 ms (real time), collecting what they get.
void talk(Phone& a, Phone& b, RelaySession& relay, int frames) {
  auto next = std::chrono::steady_clock::now();
  for (int i = 0; i < frames; ++i) {
    a.send_frame(relay.local_port(Side::kA));
    b.send_frame(relay.local_port(Side::kB));
    next += milliseconds(20);
    std::this_thread::sleep_until(next);
    a.drain();
    b.drain();
  }
  std::this_thread::sleep_for(milliseconds(60));
  a.drain();
  b.drain();
}

PayloadFormat format_named(const std::string& name) {
  if (name == "PCMU") return {0, "PCMU", 8000, 1};
  if (name == "PCMA") return {8, "PCMA", 8000, 1};
  if (name == "G722") return {9, "G722", 8000, 1};
  return {111, "opus", 48000, 2};
}

class RelayInjection : public ::testing::TestWithParam<std::string> {};

TEST_P(RelayInjection, ReplacesTheOtherPartyWithTheProducerThenResumesForwarding) {
  boost::asio::io_context core;
  auto engine = MediaEngine::create(config(0), core.get_executor());
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  auto relay = (*engine)->create_relay({});
  ASSERT_TRUE(relay.ok());
  // G.711 on both sides (PCMA: transcoded by the relay), else the same codec.
  std::string a_codec = GetParam() == "PCMA" ? "PCMU" : GetParam();
  Phone a(format_named(a_codec), 1000), b(format_named(GetParam()), 700);
  // Not configured yet: a clear error, nothing posted.
  auto early = (*relay)->inject(Side::kB, std::make_shared<SineProducer>(440, 8000), 8000);
  EXPECT_EQ(early.error().code, ErrorCode::kFailedPrecondition);
  (*relay)->configure(Side::kA, a.params());
  (*relay)->configure(Side::kB, b.params());
  EXPECT_EQ((*relay)->inject(Side::kB, nullptr, 8000).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(
      (*relay)->inject(Side::kB, std::make_shared<SineProducer>(440, 8000), 11025).error().code,
      ErrorCode::kInvalidArgument);

  // Music on hold toward B: a 440 Hz producer at 8 kHz, whatever B's codec.
  ASSERT_TRUE((*relay)->inject(Side::kB, std::make_shared<SineProducer>(440, 8000), 8000).ok());
  talk(a, b, **relay, 40);
  auto injected = b.received;
  int count = 0;
  int pt = b.fmt.payload_type;
  auto pcm = b.decoded(injected, pt, &count);
  ASSERT_GE(count, 30) << "B hears the injected stream";
  // One stream of our own: one SSRC (not A's), +1 sequence, +step timestamps,
  // the marker on the first packet only.
  auto first = parse_rtp(injected.front()).packet.header;
  EXPECT_TRUE(first.marker);
  EXPECT_NE(first.ssrc, 0xA0000000u + a.fmt.payload_type);
  std::uint32_t step = make_codec(b.fmt.name, b.fmt.clock_rate).value()->info().timestamp_step();
  for (std::size_t i = 1; i < injected.size(); ++i) {
    auto h = parse_rtp(injected[i]).packet.header;
    EXPECT_EQ(h.ssrc, first.ssrc);
    EXPECT_EQ(h.sequence, static_cast<std::uint16_t>(first.sequence + i));
    EXPECT_EQ(h.timestamp, first.timestamp + step * i);
    EXPECT_FALSE(h.marker);
  }
  int rate = static_cast<int>(b.codec->info().sample_rate);
  std::span<const std::int16_t> tail(pcm.data() + pcm.size() / 2, pcm.size() / 2);
  double moh = tone_power(tail, 440, rate);
  double caller = tone_power(tail, 1000, rate);
  EXPECT_GT(moh, 0.01) << "the music reaches B";
  EXPECT_LT(caller, moh / 100) << "A's voice does not reach B while injecting";
  // A still hears B (only the direction toward B is replaced).
  int a_count = 0;
  auto a_pcm = a.decoded(a.received, a.fmt.payload_type, &a_count);
  EXPECT_GE(a_count, 30);
  EXPECT_GT(tone_power(a_pcm, 700, static_cast<int>(a.codec->info().sample_rate)), 0.01);
  auto st = (*relay)->stats();
  EXPECT_GE(st.b().rtp_packets_injected, 30u);
  EXPECT_GE(st.a().suppressed, 30u);

  // Resume: B hears A again, in A's own stream (a clean switch of SSRC).
  (*relay)->stop_inject(Side::kB);
  std::this_thread::sleep_for(milliseconds(30));
  b.drain();
  b.received.clear();
  talk(a, b, **relay, 20);
  ASSERT_FALSE(b.received.empty());
  auto resumed = parse_rtp(b.received.back()).packet.header;
  EXPECT_EQ(resumed.ssrc, 0xA0000000u + a.fmt.payload_type);
  int back_count = 0;
  auto back = b.decoded(b.received, pt, &back_count);
  EXPECT_GE(back_count, 15);
  std::span<const std::int16_t> back_tail(back.data() + back.size() / 2, back.size() / 2);
  EXPECT_GT(tone_power(back_tail, 1000, rate), 0.01);
  EXPECT_LT(tone_power(back_tail, 440, rate), 0.001);
}

INSTANTIATE_TEST_SUITE_P(Codecs, RelayInjection, ::testing::Values("PCMU", "PCMA", "G722", "opus"));

TEST(RelayInjection, TwoHeldCallsHearTheSameMusicOnHoldClass) {
  auto dir =
      std::filesystem::temp_directory_path() / ("sb-relay-moh-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "default");
  {
    SF_INFO info{};
    info.samplerate = 44100;  // a file rate no call uses
    info.channels = 2;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SNDFILE* f = sf_open((dir / "default" / "music.wav").c_str(), SFM_WRITE, &info);
    ASSERT_NE(f, nullptr);
    SineGenerator g(600, 44100);
    std::vector<std::int16_t> mono(44100 * 3), stereo(mono.size() * 2);
    g.fill(mono);
    for (std::size_t i = 0; i < mono.size(); ++i) stereo[2 * i] = stereo[2 * i + 1] = mono[i];
    sf_writef_short(f, stereo.data(), static_cast<sf_count_t>(mono.size()));
    sf_close(f);
  }
  audio::MohServiceOptions mo;
  mo.directory = dir.string();
  auto moh = audio::MohService::create(mo);
  ASSERT_TRUE(moh.ok()) << moh.error().message;

  boost::asio::io_context core;
  auto engine = MediaEngine::create(config(4), core.get_executor());
  ASSERT_TRUE(engine.ok());
  auto r1 = (*engine)->create_relay({});
  auto r2 = (*engine)->create_relay({});
  ASSERT_TRUE(r1.ok() && r2.ok());
  Phone a1(format_named("PCMU"), 1000), b1(format_named("PCMA"), 700);
  Phone a2(format_named("G722"), 1000), b2(format_named("G722"), 700);
  (*r1)->configure(Side::kA, a1.params());
  (*r1)->configure(Side::kB, b1.params());
  (*r2)->configure(Side::kA, a2.params());
  (*r2)->configure(Side::kB, b2.params());
  // A holds B in both calls: B hears the default class, at 8 and 16 kHz.
  ASSERT_TRUE((*r1)->inject(Side::kB, (*moh)->listen("", 8000).value(), 8000).ok());
  ASSERT_TRUE((*r2)->inject(Side::kB, (*moh)->listen("default", 16000).value(), 16000).ok());
  EXPECT_EQ((*moh)->find("default")->listeners(), 2);
  auto next = std::chrono::steady_clock::now();
  for (int i = 0; i < 40; ++i) {
    for (Phone* p : {&a1, &b1}) p->send_frame((*r1)->local_port(p == &a1 ? Side::kA : Side::kB));
    for (Phone* p : {&a2, &b2}) p->send_frame((*r2)->local_port(p == &a2 ? Side::kA : Side::kB));
    next += milliseconds(20);
    std::this_thread::sleep_until(next);
    b1.drain();
    b2.drain();
  }
  for (Phone* b : {&b1, &b2}) {
    int count = 0;
    auto pcm = b->decoded(b->received, b->fmt.payload_type, &count);
    ASSERT_GE(count, 30);
    int rate = static_cast<int>(b->codec->info().sample_rate);
    std::span<const std::int16_t> tail(pcm.data() + pcm.size() / 2, pcm.size() / 2);
    EXPECT_GT(tone_power(tail, 600, rate), 0.01) << b->fmt.name << " hears the music";
    EXPECT_LT(tone_power(tail, 1000, rate), tone_power(tail, 600, rate) / 100);
  }
  (*r1)->stop_inject(Side::kB);
  (*r2)->close();
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_EQ((*moh)->find("default")->listeners(), 0) << "the relays let their listeners go";
  std::filesystem::remove_all(dir);
}

TEST(RelayInjection, AMovedSideRelatchesAtOnceToANewPortOfTheSameHostAndBack) {
  boost::asio::io_context core;
  auto engine = MediaEngine::create(config(1), core.get_executor());
  ASSERT_TRUE(engine.ok());
  auto relay = (*engine)->create_relay({});
  ASSERT_TRUE(relay.ok());
  Phone a(format_named("PCMU"), 1000), phone(format_named("PCMU"), 700),
      leg(format_named("PCMU"), 500);
  (*relay)->configure(Side::kA, a.params());
  (*relay)->configure(Side::kB, phone.params());
  talk(a, phone, **relay, 5);  // the phone sent: side B is latched to it
  ASSERT_FALSE(phone.received.empty());
  ASSERT_TRUE((*relay)->stats().b().latched);
  // Side B moves to a "terminating leg" on another port of 127.0.0.1, which
  // has sent nothing yet: A's very next packets must go there.
  (*relay)->configure(Side::kB, leg.params());
  std::this_thread::sleep_for(milliseconds(30));
  phone.drain();
  phone.received.clear();
  for (int i = 0; i < 3; ++i) a.send_frame((*relay)->local_port(Side::kA));
  std::this_thread::sleep_for(milliseconds(50));
  leg.drain();
  phone.drain();
  EXPECT_EQ(leg.received.size(), 3u);
  EXPECT_TRUE(phone.received.empty());
  // And back to the phone: at once again.
  (*relay)->configure(Side::kB, phone.params());
  std::this_thread::sleep_for(milliseconds(30));
  leg.received.clear();
  for (int i = 0; i < 3; ++i) a.send_frame((*relay)->local_port(Side::kA));
  std::this_thread::sleep_for(milliseconds(50));
  leg.drain();
  phone.drain();
  EXPECT_EQ(phone.received.size(), 3u);
  EXPECT_TRUE(leg.received.empty());
}

struct Wav {
  int rate = 0, channels = 0;
  std::vector<std::int16_t> samples;  // interleaved
};
Wav read_wav(const std::string& path) {
  SF_INFO info{};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  Wav w;
  if (f == nullptr) return w;
  w.rate = info.samplerate;
  w.channels = info.channels;
  w.samples.resize(static_cast<std::size_t>(info.frames * info.channels));
  sf_read_short(f, w.samples.data(), static_cast<sf_count_t>(w.samples.size()));
  sf_close(f);
  return w;
}
std::vector<std::int16_t> channel(const Wav& w, int c) {
  std::vector<std::int16_t> out;
  for (std::size_t i = static_cast<std::size_t>(c); i < w.samples.size();
       i += static_cast<std::size_t>(w.channels))
    out.push_back(w.samples[i]);
  return out;
}

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '_');  // parameterised tests
    path = std::filesystem::temp_directory_path() /
           ("sb-relay-rec-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

class RelayRecording : public ::testing::TestWithParam<RecordingMode> {};

TEST_P(RelayRecording, HoldsBothPartiesTonesAligned) {
  TempDir dir;
  boost::asio::io_context core;
  auto engine = MediaEngine::create(config(2), core.get_executor());
  ASSERT_TRUE(engine.ok());
  auto relay = (*engine)->create_relay({});
  ASSERT_TRUE(relay.ok());
  // A in PCMU at 500 Hz, B in G.722 (wideband: decoded at 16 kHz, recorded at 8) at 1200 Hz.
  Phone a(format_named("PCMU"), 500), b(format_named("G722"), 1200);
  (*relay)->configure(Side::kA, a.params());
  (*relay)->configure(Side::kB, b.params());

  RecordingRequest req;
  req.path = (dir.path / "call.wav").string();
  req.mode = GetParam();
  std::optional<RecordingDone> done;
  RecordingRequest missing;
  missing.path = (dir.path / "missing" / "x.wav").string();
  EXPECT_EQ((*relay)->start_recording(missing, nullptr).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE((*relay)->start_recording(req, [&](const RecordingDone& d) { done = d; }).ok());
  EXPECT_EQ((*relay)->start_recording(req, nullptr).error().code, ErrorCode::kFailedPrecondition);
  std::this_thread::sleep_for(milliseconds(20));
  talk(a, b, **relay, 50);  // 1 s
  (*relay)->stop_recording();
  for (int i = 0; i < 200 && !done; ++i) {
    core.restart();  // run_for stops the context whenever it runs out of work
    core.run_for(milliseconds(10));
    std::this_thread::sleep_for(milliseconds(10));
  }
  ASSERT_TRUE(done) << "completion on the core executor";
  ASSERT_TRUE(done->status.ok()) << done->status.error().message;
  EXPECT_EQ(done->path, req.path);
  EXPECT_NEAR(done->seconds, 1.0, 0.25);
  EXPECT_FALSE(std::filesystem::exists(req.path + ".part"));

  Wav w = read_wav(req.path);
  ASSERT_EQ(w.rate, 8000);
  if (GetParam() == RecordingMode::kStereo) {
    ASSERT_EQ(w.channels, 2);
    auto left = channel(w, 0), right = channel(w, 1);
    EXPECT_GT(tone_power(left, 500, 8000), 0.01);
    EXPECT_LT(tone_power(left, 1200, 8000), tone_power(left, 500, 8000) / 100);
    EXPECT_GT(tone_power(right, 1200, 8000), 0.01);
    EXPECT_LT(tone_power(right, 500, 8000), tone_power(right, 1200, 8000) / 100);
  } else {
    ASSERT_EQ(w.channels, 1);
    EXPECT_GT(tone_power(w.samples, 500, 8000), 0.01);
    EXPECT_GT(tone_power(w.samples, 1200, 8000), 0.01);
  }
}

INSTANTIATE_TEST_SUITE_P(Modes, RelayRecording,
                         ::testing::Values(RecordingMode::kMixed, RecordingMode::kStereo));

TEST(RelayRecording, CloseFinishesTheFileAndReports) {
  TempDir dir;
  boost::asio::io_context core;
  auto engine = MediaEngine::create(config(3), core.get_executor());
  ASSERT_TRUE(engine.ok());
  auto relay = (*engine)->create_relay({});
  ASSERT_TRUE(relay.ok());
  Phone a(format_named("PCMA"), 500), b(format_named("PCMU"), 1200);
  (*relay)->configure(Side::kA, a.params());
  (*relay)->configure(Side::kB, b.params());
  std::optional<RecordingDone> done;
  RecordingRequest req;
  req.path = (dir.path / "c.wav").string();
  ASSERT_TRUE((*relay)->start_recording(req, [&](const RecordingDone& d) { done = d; }).ok());
  talk(a, b, **relay, 10);
  (*relay)->close();
  for (int i = 0; i < 200 && !done; ++i) {
    core.restart();  // run_for stops the context whenever it runs out of work
    core.run_for(milliseconds(10));
    std::this_thread::sleep_for(milliseconds(10));
  }
  ASSERT_TRUE(done);
  EXPECT_TRUE(done->status.ok());
  EXPECT_TRUE(std::filesystem::exists(req.path));
  EXPECT_GT(done->seconds, 0.1);
}

}  // namespace
}  // namespace switchboard::media::rtp
