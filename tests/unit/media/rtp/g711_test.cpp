// G.711: reference code points, the PCMU <-> PCMA tables (each conversion
// is the nearest code, a round trip is stable), and a 1 kHz tone through the
// transcoder keeps its level and shape.
#include "media/rtp/g711.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <numbers>
#include <vector>

namespace switchboard::media::rtp::g711 {
namespace {

TEST(G711, ReferenceCodePoints) {
  // Silence: µ-law 0xFF/0x7F, A-law 0xD5/0x55.
  EXPECT_EQ(ulaw_to_linear(0xFF), 0);
  EXPECT_EQ(ulaw_to_linear(0x7F), 0);
  EXPECT_EQ(linear_to_ulaw(0), 0xFF);
  EXPECT_EQ(linear_to_alaw(0), 0xD5);
  EXPECT_EQ(alaw_to_linear(0xD5), 8);
  EXPECT_EQ(alaw_to_linear(0x55), -8);
  // Full scale.
  EXPECT_EQ(ulaw_to_linear(0x80), 32124);  // 0x80..0xFF positive, 0x00..0x7F negative
  EXPECT_EQ(ulaw_to_linear(0x00), -32124);
  EXPECT_EQ(alaw_to_linear(0xAA), 32256);
  EXPECT_EQ(alaw_to_linear(0x2A), -32256);
  EXPECT_EQ(linear_to_ulaw(32767), 0x80);
  EXPECT_EQ(linear_to_alaw(32767), 0xAA);
  EXPECT_EQ(linear_to_alaw(-32768), 0x2A);
}

TEST(G711, EncodeDecodeIsIdempotentOnCodePoints) {
  for (int c = 0; c < 256; ++c) {
    auto u = static_cast<std::uint8_t>(c);
    // 0x7F and 0xFF are both zero in µ-law; encode picks 0xFF.
    if (u != 0x7F) {
      EXPECT_EQ(linear_to_ulaw(ulaw_to_linear(u)), u) << c;
    }
    EXPECT_EQ(linear_to_alaw(alaw_to_linear(u)), u) << c;
  }
}

TEST(G711, TranscodingPicksTheNearestCode) {
  const auto& u2a = ulaw_to_alaw_table();
  const auto& a2u = alaw_to_ulaw_table();
  for (int c = 0; c < 256; ++c) {
    int v = ulaw_to_linear(static_cast<std::uint8_t>(c));
    int best = 1 << 20;
    for (int a = 0; a < 256; ++a)
      best = std::min(best, std::abs(alaw_to_linear(static_cast<std::uint8_t>(a)) - v));
    // Encoding truncates within a segment; allow one quantization step.
    EXPECT_LE(std::abs(alaw_to_linear(u2a[c]) - v), best + 512) << c;
    // Sign is always kept.
    if (v != 0) {
      EXPECT_EQ(alaw_to_linear(u2a[c]) > 0, v > 0) << c;
    }
  }
  for (int c = 0; c < 256; ++c) {
    int v = alaw_to_linear(static_cast<std::uint8_t>(c));
    EXPECT_EQ(alaw_to_linear(u2a[a2u[c]]) > 0, v > 0);
  }
}

TEST(G711, RoundTripThroughTheOtherLawIsStable) {
  // After one trip the codes settle: u -> a -> u -> a gives the same A-law.
  const auto& u2a = ulaw_to_alaw_table();
  const auto& a2u = alaw_to_ulaw_table();
  int unchanged = 0;
  for (int c = 0; c < 256; ++c) {
    std::uint8_t a1 = u2a[c];
    std::uint8_t a2 = u2a[a2u[a1]];
    EXPECT_EQ(a1, a2) << c;
    if (a2u[u2a[c]] == c) ++unchanged;
  }
  // Most µ-law codes survive a trip through A-law exactly.
  EXPECT_GT(unchanged, 200);
}

TEST(G711, ToneSurvivesPcmuToPcma) {
  constexpr int kRate = 8000;
  std::vector<double> ref;
  std::vector<std::uint8_t> samples;
  for (int i = 0; i < kRate; ++i) {
    double x = 10000 * std::sin(2 * std::numbers::pi * 1000 * i / kRate);
    ref.push_back(x);
    samples.push_back(linear_to_ulaw(static_cast<std::int16_t>(x)));
  }
  ulaw_to_alaw(samples);
  double signal = 0, noise = 0;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    double y = alaw_to_linear(samples[i]);
    signal += ref[i] * ref[i];
    noise += (y - ref[i]) * (y - ref[i]);
  }
  double snr_db = 10 * std::log10(signal / noise);
  EXPECT_GT(snr_db, 30.0);  // G.711 alone gives ~38 dB at this level
  alaw_to_ulaw(samples);
  noise = 0;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    double y = ulaw_to_linear(samples[i]);
    noise += (y - ref[i]) * (y - ref[i]);
  }
  EXPECT_GT(10 * std::log10(signal / noise), 28.0);
}

}  // namespace
}  // namespace switchboard::media::rtp::g711
