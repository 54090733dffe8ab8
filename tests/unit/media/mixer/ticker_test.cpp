#include "media/mixer/ticker.hpp"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <future>
#include <thread>

namespace switchboard::media::mixer {
namespace {

using namespace std::chrono_literals;

// Real time, kept short: 10 ticks of 20 ms.
TEST(Ticker, TicksEveryPeriodWithoutDrift) {
  boost::asio::io_context io;
  std::vector<std::chrono::steady_clock::time_point> at;
  Ticker ticker(io.get_executor(), [&] { at.push_back(std::chrono::steady_clock::now()); });
  auto start = std::chrono::steady_clock::now();
  ticker.start();
  boost::asio::steady_timer stop(io, start + 205ms);
  stop.async_wait([&](auto) { ticker.stop(); });
  io.run();
  ASSERT_GE(at.size(), 9u);
  ASSERT_LE(at.size(), 10u);
  // Absolute deadlines: tick k is due at start + 20 ms * (k+1).
  for (std::size_t k = 0; k < at.size(); ++k) {
    EXPECT_GE(at[k], start + 20ms * static_cast<int>(k + 1) - 1ms);
  }
  EXPECT_EQ(ticker.ticks(), at.size());
}

TEST(Ticker, CatchesUpAfterAStallAndCountsOverruns) {
  boost::asio::io_context io;
  int n = 0;
  Ticker ticker(
      io.get_executor(),
      [&] {
        if (++n == 2) std::this_thread::sleep_for(70ms);  // a stalled tick
      },
      10ms);
  ticker.start();
  boost::asio::steady_timer stop(io, std::chrono::steady_clock::now() + 155ms);
  stop.async_wait([&](auto) { ticker.stop(); });
  io.run();
  EXPECT_GE(ticker.ticks(), 13u);  // no time lost to the stall
  EXPECT_GE(ticker.overruns(), 1u);
}

TEST(Ticker, DestroyedWithATickQueuedIsSafe) {
  boost::asio::io_context io;
  int n = 0;
  {
    Ticker ticker(
        io.get_executor(), [&] { ++n; }, 1ms);
    ticker.start();
    std::this_thread::sleep_for(5ms);
    io.poll();  // maybe runs one
  }
  io.run();
  EXPECT_LE(n, 6);
}

}  // namespace
}  // namespace switchboard::media::mixer

#include "media/mixer/frame_clock.hpp"
#include "media/mixer/mixer_host.hpp"
#include "unit/media/audio/test_signals.hpp"

namespace switchboard::media::mixer {
namespace {

// A party on the media thread: says a tone, keeps the level it hears.
struct Phone final : audio::FrameSource, audio::FrameSink {
  explicit Phone(double f) : freq(f) {}
  bool read(std::span<std::int16_t> frame) override {
    auto t = test::tone(freq, 8000, frame.size(), 4000, offset);
    std::copy(t.begin(), t.end(), frame.begin());
    offset += frame.size();
    return true;
  }
  void write(std::span<const std::int16_t> frame) override {
    heard.insert(heard.end(), frame.begin(), frame.end());
    if (heard.size() > 1600) heard.erase(heard.begin(), heard.end() - 1600);  // last 200 ms
  }
  double freq;
  std::size_t offset = 0;
  std::vector<std::int16_t> heard;
};

TEST(MixerHost, RunsOnTheMediaThreadDrivenFromTheCore) {
  boost::asio::io_context media;
  auto guard = boost::asio::make_work_guard(media);
  std::thread thread([&] { media.run(); });
  auto a = std::make_shared<Phone>(500), b = std::make_shared<Phone>(900);
  {
    MixerHost host(media.get_executor(), 8000);
    host.add(1, a, a);
    host.add(2, b, b);
    host.start();
    std::this_thread::sleep_for(300ms);
    host.set_muted(2, true);
    std::this_thread::sleep_for(300ms);
    std::promise<std::pair<double, std::uint64_t>> seen;
    host.inspect([&](const MixerRoom& room) {
      seen.set_value({test::tone_level(a->heard, 900, 8000), room.ticks()});
    });
    auto [muted_level, ticks] = seen.get_future().get();
    EXPECT_LT(muted_level, 5);  // b is muted: a no longer hears it
    EXPECT_GE(ticks, 20u);
    EXPECT_NEAR(test::tone_level(b->heard, 500, 8000), 4000, 100);
  }
  guard.reset();
  thread.join();
}

// Driven by a loop that only runs posted tasks and calls a tick function
// "about every 20 ms" (like the RTP engine's MediaThread), in virtual time.
TEST(MixerHost, TickedByAnotherLoopThroughAFrameClock) {
  std::vector<std::function<void()>> tasks;
  auto run_tasks = [&] {
    auto now = std::move(tasks);
    tasks.clear();
    for (auto& t : now) t();
  };
  auto a = std::make_shared<Phone>(500), b = std::make_shared<Phone>(900);
  std::uint64_t ticks = 0;
  {
    MixerHost host([&](std::function<void()> fn) { tasks.push_back(std::move(fn)); }, 8000);
    auto tick = host.media_tick();
    host.add(1, a, a);
    host.add(2, b, b);
    host.start();
    run_tasks();
    TimePoint t = TimePoint{} + 1h;
    // Wake-ups at 17..23 ms intervals for 2 s: exactly 100 frames.
    for (int i = 0; t < TimePoint{} + 1h + 2s; ++i) {
      tick(t);
      t += std::chrono::milliseconds(17 + (i % 7));
    }
    host.inspect([&](const MixerRoom& room) { ticks = room.ticks(); });
    run_tasks();
    EXPECT_NEAR(static_cast<double>(ticks), 100, 1);
    EXPECT_NEAR(test::tone_level(a->heard, 900, 8000), 4000, 100);
  }
  run_tasks();  // the host's state goes away on the media thread
}

TEST(FrameClock, MakesUpLateWakeUpsAndResyncsAfterLongStalls) {
  FrameClock clock;
  TimePoint t = TimePoint{} + 1h;
  clock.start(t);
  EXPECT_EQ(clock.due(t + 19ms), 0);
  EXPECT_EQ(clock.due(t + 20ms), 1);
  EXPECT_EQ(clock.due(t + 75ms), 2);  // 40, 60 (one of them late)
  EXPECT_EQ(clock.overruns(), 1u);
  EXPECT_EQ(clock.due(t + 80ms), 1);
  EXPECT_EQ(clock.due(t + 2s), FrameClock::kMaxCatchUp + 1);  // then jump
  EXPECT_EQ(clock.resyncs(), 1u);
  EXPECT_EQ(clock.due(t + 2s + 19ms), 0);
  EXPECT_EQ(clock.due(t + 2s + 20ms), 1);
}

}  // namespace
}  // namespace switchboard::media::mixer
