#include "common/timers.hpp"

#include <vector>

#include <gtest/gtest.h>

namespace switchboard {
namespace {

using namespace std::chrono_literals;

TEST(VirtualTimers, FiresInDeadlineOrderOnlyWhenAdvanced) {
  VirtualTimers t;
  std::vector<int> fired;
  t.schedule(500ms, [&] { fired.push_back(2); });
  t.schedule(100ms, [&] { fired.push_back(1); });
  t.schedule(500ms, [&] { fired.push_back(3); });  // same deadline: scheduling order
  t.advance(99ms);
  EXPECT_TRUE(fired.empty());
  t.advance(1ms);
  EXPECT_EQ(fired, std::vector<int>{1});
  t.advance(400ms);
  EXPECT_EQ(fired, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(t.pending(), 0u);
}

TEST(VirtualTimers, CancelledTimerNeverFires) {
  VirtualTimers t;
  bool fired = false;
  auto id = t.schedule(10ms, [&] { fired = true; });
  t.cancel(id);
  t.cancel(id);  // twice is harmless
  t.advance(1s);
  EXPECT_FALSE(fired);
}

TEST(VirtualTimers, CallbacksSeeTheirOwnDeadlineAndCanReschedule) {
  // A doubling retransmit timer (like SIP Timer A) inside one advance().
  VirtualTimers t;
  auto start = t.now();
  std::vector<long> at;
  Duration interval = 500ms;
  std::function<void()> tick = [&] {
    at.push_back(std::chrono::duration_cast<Duration>(t.now() - start).count());
    interval *= 2;
    if (at.size() < 4) t.schedule(interval, tick);
  };
  t.schedule(interval, tick);
  t.advance(10s);
  EXPECT_EQ(at, (std::vector<long>{500, 1500, 3500, 7500}));
  EXPECT_EQ(t.now() - start, 10s);
}

TEST(VirtualTimers, RunUntilIdle) {
  VirtualTimers t;
  int n = 0;
  t.schedule(32s, [&] { ++n; });
  t.run_until_idle();
  EXPECT_EQ(n, 1);
}

TEST(AsioTimers, FiresAndCancelsOnIoContext) {
  boost::asio::io_context io;
  AsioTimers t(io);
  int fired = 0;
  t.schedule(1ms, [&] { ++fired; });
  auto id = t.schedule(1ms, [&] { fired += 100; });
  t.cancel(id);
  io.run();
  EXPECT_EQ(fired, 1);
  EXPECT_EQ(t.pending(), 0u);
}

}  // namespace
}  // namespace switchboard
