// RFC 3550 A.1/A.3/A.8 math: expected, lost, wrap, reordering, duplicates,
// SSRC changes and restarts; interarrival jitter against hand computation.
#include "media/rtp/receive_stats.hpp"

#include <gtest/gtest.h>

namespace switchboard::media::rtp {
namespace {

using std::chrono::milliseconds;

struct Feed {
  ReceiveStats stats;
  TimePoint t0 = TimePoint{} + std::chrono::hours(1);
  void packet(std::uint32_t ssrc, std::uint16_t seq, std::uint32_t ts, int arrival_ms) {
    stats.on_packet(ssrc, seq, ts, t0 + milliseconds(arrival_ms), 8000, true);
  }
};

TEST(ReceiveStats, InOrderNoLoss) {
  Feed f;
  for (int i = 0; i < 50; ++i) f.packet(1, static_cast<std::uint16_t>(100 + i), 160u * i, 20 * i);
  EXPECT_EQ(f.stats.received(), 50u);
  EXPECT_EQ(f.stats.expected(), 50u);
  EXPECT_EQ(f.stats.lost(), 0u);
  EXPECT_DOUBLE_EQ(f.stats.jitter_ms(), 0.0);  // perfectly paced
}

TEST(ReceiveStats, GapsCountAsLostAcrossTheWrap) {
  Feed f;
  std::uint16_t seq = 65530;
  int n = 0;
  for (int i = 0; i < 20; ++i, ++seq) {
    if (i == 3 || i == 7 || i == 8) continue;  // three lost, one right after the wrap
    f.packet(1, seq, 160u * i, 20 * i);
    ++n;
  }
  EXPECT_EQ(f.stats.received(), 17u);
  EXPECT_EQ(f.stats.expected(), 20u);
  EXPECT_EQ(f.stats.lost(), 3u);
}

TEST(ReceiveStats, ReorderedAndDuplicatePackets) {
  Feed f;
  for (std::uint16_t s : {1, 2, 4, 3, 5, 5, 6}) f.packet(9, s, 160u * s, 20 * s);
  EXPECT_EQ(f.stats.expected(), 6u);
  EXPECT_EQ(f.stats.received(), 7u);
  EXPECT_EQ(f.stats.lost(), 0u);  // a duplicate never makes loss negative
}

TEST(ReceiveStats, NewSsrcStartsAFreshSequence) {
  Feed f;
  for (int i = 0; i < 10; ++i) f.packet(1, static_cast<std::uint16_t>(1000 + i), 160u * i, 20 * i);
  // Re-INVITE: a new SSRC starting at a random sequence number.
  for (int i = 0; i < 10; ++i) {
    if (i == 5) continue;
    f.packet(2, static_cast<std::uint16_t>(40000 + i), 999u + 160u * i, 200 + 20 * i);
  }
  EXPECT_EQ(f.stats.ssrc(), 2u);
  EXPECT_EQ(f.stats.ssrc_changes(), 1u);
  EXPECT_EQ(f.stats.expected(), 20u);
  EXPECT_EQ(f.stats.lost(), 1u);
}

TEST(ReceiveStats, SameSsrcRestartAfterTwoSequentialPackets) {
  Feed f;
  for (int i = 0; i < 10; ++i) f.packet(1, static_cast<std::uint16_t>(100 + i), 160u * i, 20 * i);
  // The phone restarts its stream: same SSRC, sequence jumps far.
  for (int i = 0; i < 10; ++i)
    f.packet(1, static_cast<std::uint16_t>(30000 + i), 160u * i, 300 + 20 * i);
  // A.1: the first packet after the jump is held as "bad", the second
  // restarts the count; no thousands of phantom losses.
  EXPECT_EQ(f.stats.lost(), 0u);
  EXPECT_EQ(f.stats.received(), 19u);
  EXPECT_EQ(f.stats.ssrc_changes(), 0u);
}

TEST(ReceiveStats, JitterMatchesTheRfcFormula) {
  Feed f;
  // Arrivals alternate 15 and 25 ms apart while timestamps advance 20 ms:
  // |D| = 40 timestamp units after the first pair.
  int arrival = 0;
  double expect = 0;
  for (int i = 0; i < 40; ++i) {
    f.packet(3, static_cast<std::uint16_t>(i), 160u * i, arrival);
    if (i > 0) expect += (40.0 - expect) / 16.0;
    arrival += (i % 2 == 0) ? 15 : 25;
  }
  EXPECT_NEAR(f.stats.jitter_units(), expect, 1e-9);
  EXPECT_NEAR(f.stats.jitter_ms(), expect / 8.0, 1e-9);
}

TEST(ReceiveStats, EventsDoNotCountTowardsJitter) {
  ReceiveStats s;
  auto t0 = TimePoint{} + std::chrono::hours(1);
  // RFC 4733: one event, same timestamp for 10 packets 50 ms apart.
  for (int i = 0; i < 10; ++i)
    s.on_packet(1, static_cast<std::uint16_t>(i), 4000, t0 + milliseconds(50 * i), 8000, false);
  EXPECT_EQ(s.jitter_units(), 0.0);
  EXPECT_EQ(s.received(), 10u);
}

}  // namespace
}  // namespace switchboard::media::rtp
