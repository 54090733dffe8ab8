#include "core/security/access_guard.hpp"

#include <gtest/gtest.h>

namespace switchboard::core {
namespace {

using namespace std::chrono_literals;
using V = AccessGuard::Verdict;

boost::asio::ip::address ip(const char* s) {
  return boost::asio::ip::make_address(s);
}

AccessPolicy policy(double rate = 0, double burst = 10) {
  AccessPolicy p;
  p.max_failed_attempts = 3;
  p.failure_window = 60s;
  p.ban_duration = 300s;
  p.rate_limit_per_second = rate;
  p.rate_limit_burst = burst;
  p.allow_list = *IpAllowList::parse({"10.0.0.0/8"});
  return p;
}

TEST(AccessGuard, BansAfterMaxFailuresInTheWindowAndLiftsTheBan) {
  VirtualTimers timers;
  AccessGuard g(timers, policy());
  const auto bad = ip("203.0.113.9");
  g.record_failure(bad, "1001");
  g.record_failure(bad, "1002");
  EXPECT_EQ(g.admit(bad), V::kAdmit);
  g.record_failure(bad, "1003");
  EXPECT_EQ(g.admit(bad), V::kBanned);
  EXPECT_EQ(g.admit(ip("203.0.113.10")), V::kAdmit);  // only that source
  EXPECT_EQ(g.stats().bans, 1u);
  EXPECT_EQ(g.stats().active_bans, 1u);
  EXPECT_EQ(g.stats().auth_failures, 3u);
  EXPECT_EQ(g.stats().dropped_banned, 1u);

  timers.advance(299s);
  EXPECT_EQ(g.admit(bad), V::kBanned);
  timers.advance(2s);
  EXPECT_EQ(g.admit(bad), V::kAdmit);
  EXPECT_EQ(g.stats().active_bans, 0u);
}

TEST(AccessGuard, FailuresOutsideTheWindowDoNotAddUp) {
  VirtualTimers timers;
  AccessGuard g(timers, policy());
  const auto src = ip("203.0.113.9");
  g.record_failure(src, "1001");
  g.record_failure(src, "1001");
  timers.advance(61s);
  g.record_failure(src, "1001");  // a new window starts
  EXPECT_EQ(g.admit(src), V::kAdmit);
  g.record_failure(src, "1001");
  EXPECT_EQ(g.admit(src), V::kAdmit);
  g.record_failure(src, "1001");
  EXPECT_EQ(g.admit(src), V::kBanned);
}

TEST(AccessGuard, SuccessResetsTheCount) {
  VirtualTimers timers;
  AccessGuard g(timers, policy());
  const auto src = ip("203.0.113.9");
  g.record_failure(src, "1001");
  g.record_failure(src, "1001");
  g.record_success(src);
  g.record_failure(src, "1001");
  g.record_failure(src, "1001");
  EXPECT_EQ(g.admit(src), V::kAdmit);
}

TEST(AccessGuard, AllowListedSourcesAreNeverBannedNorLimited) {
  VirtualTimers timers;
  AccessGuard g(timers, policy(1, 1));
  const auto trusted = ip("10.20.30.40");
  for (int i = 0; i < 10; ++i) g.record_failure(trusted, "1001");
  for (int i = 0; i < 100; ++i) EXPECT_EQ(g.admit(trusted), V::kAdmit);
  EXPECT_EQ(g.stats().bans, 0u);
  EXPECT_EQ(g.stats().allow_listed, 100u);
}

TEST(AccessGuard, TokenBucketLimitsOneSourceWithoutStarvingOthers) {
  VirtualTimers timers;
  AccessGuard g(timers, policy(10, 5));  // 10/s, burst 5
  const auto flood = ip("203.0.113.66");
  const auto phone = ip("198.51.100.7");
  int admitted = 0;
  for (int i = 0; i < 100; ++i) admitted += g.admit(flood) == V::kAdmit;
  EXPECT_EQ(admitted, 5);
  EXPECT_EQ(g.stats().dropped_rate_limited, 95u);
  EXPECT_EQ(g.admit(phone), V::kAdmit);  // the other source has its own bucket
  timers.advance(500ms);                 // 5 tokens come back
  admitted = 0;
  for (int i = 0; i < 100; ++i) admitted += g.admit(flood) == V::kAdmit;
  EXPECT_EQ(admitted, 5);
  // A sustained 10/s gets through.
  admitted = 0;
  for (int i = 0; i < 50; ++i) {
    timers.advance(100ms);
    admitted += g.admit(flood) == V::kAdmit;
  }
  EXPECT_EQ(admitted, 50);
}

TEST(AccessGuard, ZeroBanDurationNeverBans) {
  VirtualTimers timers;
  auto p = policy();
  p.ban_duration = 0s;
  AccessGuard g(timers, p);
  for (int i = 0; i < 10; ++i) g.record_failure(ip("203.0.113.9"), "x");
  EXPECT_EQ(g.admit(ip("203.0.113.9")), V::kAdmit);
}

TEST(AccessGuard, SweepForgetsExpiredState) {
  VirtualTimers timers;
  AccessGuard g(timers, policy(10, 5));
  for (int i = 0; i < 3; ++i) g.record_failure(ip("203.0.113.9"), "x");
  EXPECT_EQ(g.stats().active_bans, 1u);
  timers.advance(331s);  // ban over, and a sweep (every 30 s) ran since
  EXPECT_EQ(g.stats().active_bans, 0u);
  EXPECT_EQ(timers.pending(), 1u);  // just the next sweep
}

}  // namespace
}  // namespace switchboard::core
