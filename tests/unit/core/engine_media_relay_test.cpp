// The production MediaRelay over the real RTP engine: a recording that the
// call's end stops is reported even though the B2BUA closes the relay and
// drops it at once (finish() then reap()), before the media thread has run
// the close.
#include "core/call/engine_media_relay.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <optional>
#include <thread>

#include "media/rtp/media_engine.hpp"

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

}  // namespace
}  // namespace switchboard::core
