// CallMeter (issue 9 /metrics): calls per second over a sliding minute on
// virtual time, RTP totals of finished calls.
#include "api/call_meter.hpp"

#include <gtest/gtest.h>

#include "common/timers.hpp"

namespace switchboard::api {
namespace {

TEST(CallMeter, CallsPerSecondOverTheLastMinute) {
  VirtualTimers clock;
  CallMeter m([&clock] { return clock.now(); });
  EXPECT_EQ(m.calls_per_second(), 0.0);
  for (int i = 0; i < 30; ++i) {
    m.call_started();
    clock.advance(std::chrono::seconds(1));
  }
  EXPECT_DOUBLE_EQ(m.calls_per_second(), 30.0 / 60);  // 30 calls in the last 60 s
  clock.advance(std::chrono::seconds(29));            // the first call is 59 s old
  EXPECT_DOUBLE_EQ(m.calls_per_second(), 30.0 / 60);
  clock.advance(std::chrono::seconds(1));  // 60 s: out of the window
  EXPECT_DOUBLE_EQ(m.calls_per_second(), 29.0 / 60);
  clock.advance(std::chrono::seconds(30));
  EXPECT_EQ(m.calls_per_second(), 0.0);
  for (int i = 0; i < 120; ++i) m.call_started();  // a burst
  EXPECT_DOUBLE_EQ(m.calls_per_second(), 2.0);
}

TEST(CallMeter, RtpTotalsOfFinishedCalls) {
  CallMeter m;
  m.call_ended(500, 498, 2);
  m.call_ended(0, 0, 0);  // never answered
  m.call_ended(100, 100, 1);
  EXPECT_EQ(m.rtp_packets(), 1198u);
  EXPECT_EQ(m.rtp_packets_lost(), 3u);
  EXPECT_EQ(m.calls_ended(), 3u);
}

}  // namespace
}  // namespace switchboard::api
