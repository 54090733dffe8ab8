#include "media/mixer/ticker.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
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
