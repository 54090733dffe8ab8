// The production MediaRelay over the real RTP engine: a recording that the
// call's end stops is reported even though the B2BUA closes the relay and
// drops it at once (finish() then reap()), before the media thread has run
// the close.
#include "core/call/engine_media_relay.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <optional>
#include <thread>

#include "core/call/swapped_relay.hpp"
#include "media/dsp/telephone_event.hpp"
#include "media/rtp/media_engine.hpp"
#include "media/rtp/rtp_packet.hpp"

namespace switchboard::core {
namespace {

using std::chrono::milliseconds;

TEST(EngineMediaRelay, ARecordingEndedByTheCallsEndIsReportedAfterTheRelayIsDropped) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("sb-engine-relay-rec-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  boost::asio::io_context core;
  media::rtp::EngineConfig ec;
  ec.bind_address = "127.0.0.1";
  ec.port_first = static_cast<std::uint16_t>(21000 + (::getpid() % 127) * 100 + 90);
  ec.port_last = static_cast<std::uint16_t>(ec.port_first + 7);
  ec.threads = 1;
  auto engine = media::rtp::MediaEngine::create(ec, core.get_executor());
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  EngineMediaRelayFactory factory(**engine);
  auto relay = factory.open(nullptr);
  ASSERT_TRUE(relay.ok()) << relay.error().message;
  const std::string path = (dir / "call.wav").string();
  std::optional<MediaRelay::RecordingResult> done;
  ASSERT_TRUE(
      (*relay)
          ->start_recording(path, false, [&](const MediaRelay::RecordingResult& r) { done = r; })
          .ok());
  std::this_thread::sleep_for(milliseconds(100));  // some 20 ms ticks of silence
  (*relay)->close();
  relay->reset();  // the call is reaped right after its end
  for (int i = 0; i < 200 && !done; ++i) {
    core.restart();  // run_for stops the context whenever it runs out of work
    core.run_for(milliseconds(10));
    std::this_thread::sleep_for(milliseconds(10));
  }
  ASSERT_TRUE(done);
  EXPECT_TRUE(done->status.ok()) << done->status.error().message;
  EXPECT_EQ(done->path, path);
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(path + ".part"));
  (*engine)->stop();
  std::filesystem::remove_all(dir);
}

// A phone on a loopback UDP socket sending RFC 4733 events to the relay.
struct LoopbackPhone {
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  std::uint16_t port = 0;
  LoopbackPhone() {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
  }
  ~LoopbackPhone() { ::close(fd); }
  void send_event(std::uint16_t to_port, char digit, std::uint32_t ts, std::uint16_t& seq) {
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    to.sin_port = htons(to_port);
    for (int i = 1; i <= 5; ++i) {
      media::dsp::TelephoneEvent e;
      e.event = *media::dsp::dtmf_event_of(digit);
      e.duration = static_cast<std::uint16_t>(160 * std::min(i, 3));
      e.end = i >= 3;
      auto payload = media::dsp::serialize(e);
      media::rtp::RtpHeader h;
      h.payload_type = 101;
      h.sequence = seq++;
      h.timestamp = ts;
      h.marker = i == 1;
      h.ssrc = 0x77;
      std::vector<std::uint8_t> p(64);
      p.resize(media::rtp::write_rtp(h, {}, payload, 0, p));
      ::sendto(fd, p.data(), p.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
    }
  }
};

sdp::StreamParams loopback_stream(std::uint16_t port) {
  sdp::StreamParams s;
  s.remote_rtp = {"127.0.0.1", port};
  s.remote_rtcp = {"127.0.0.1", static_cast<std::uint16_t>(port + 1)};
  sdp::Codec pcmu;
  pcmu.payload_type = 0;
  pcmu.name = "PCMU";
  s.codecs.push_back(pcmu);
  sdp::Codec te;
  te.payload_type = 101;
  te.name = "telephone-event";
  s.telephone_event = te;
  return s;
}

TEST(EngineMediaRelay, DigitsReachTheListenerOnTheCoreThreadWithTheirSide) {
  boost::asio::io_context core;
  media::rtp::EngineConfig ec;
  ec.bind_address = "127.0.0.1";
  ec.port_first = static_cast<std::uint16_t>(21000 + (::getpid() % 127) * 100 + 80);
  ec.port_last = static_cast<std::uint16_t>(ec.port_first + 7);
  ec.threads = 1;
  auto engine = media::rtp::MediaEngine::create(ec, core.get_executor());
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  EngineMediaRelayFactory factory(**engine);
  auto opened = factory.open(nullptr);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  // Seen through a SwappedRelay (a transfer by the caller): the engine's
  // side A is the call's side B.
  MediaRelayPtr relay = std::make_unique<SwappedRelay>(std::move(*opened));
  LoopbackPhone engine_a, engine_b;
  ASSERT_TRUE(
      relay->configure(MediaSide::kB, loopback_stream(engine_a.port), MediaLatch::kAnyHost).ok());
  ASSERT_TRUE(
      relay->configure(MediaSide::kA, loopback_stream(engine_b.port), MediaLatch::kAnyHost).ok());
  std::vector<std::pair<MediaSide, char>> got;
  const auto run = [&](int rounds) {
    for (int i = 0; i < rounds; ++i) {
      core.restart();  // run_for stops the context whenever it runs out of work
      core.run_for(milliseconds(10));
      std::this_thread::sleep_for(milliseconds(10));
    }
  };
  std::uint16_t seq_a = 1, seq_b = 1;
  engine_a.send_event(relay->local_port(MediaSide::kB), '1', 1000, seq_a);  // no listener yet
  run(10);
  relay->set_digit_listener([&](MediaSide s, char d) { got.emplace_back(s, d); },
                            MediaRelay::Detection::kEvents);
  run(10);
  engine_a.send_event(relay->local_port(MediaSide::kB), '#', 2000, seq_a);
  engine_b.send_event(relay->local_port(MediaSide::kA), '4', 9000, seq_b);
  for (int i = 0; i < 100 && got.size() < 2; ++i) run(1);
  ASSERT_EQ(got.size(), 2u);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got[0], std::make_pair(MediaSide::kA, '4'));
  EXPECT_EQ(got[1], std::make_pair(MediaSide::kB, '#'));
  relay->set_digit_listener(nullptr, MediaRelay::Detection::kEvents);
  run(10);
  engine_a.send_event(relay->local_port(MediaSide::kB), '2', 3000, seq_a);
  run(20);
  EXPECT_EQ(got.size(), 2u);
  relay->close();
  run(5);
  (*engine)->stop();
}

}  // namespace
}  // namespace switchboard::core
