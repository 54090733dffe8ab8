#include "media/dsp/dtmf_detector.hpp"

#include <gtest/gtest.h>

#include "unit/media/dsp/signals.hpp"

namespace switchboard::media::dsp {
namespace {

using Kind = DtmfReport::Kind;

TEST(DbmZero, FollowsTheALawReference) {
  EXPECT_NEAR(dbm0_to_amplitude(3.14), 32767.0, 0.01);
  EXPECT_NEAR(dbm0_to_amplitude(0), 22826.4, 0.5);
  EXPECT_NEAR(dbm0_to_amplitude(-26), 1144.0, 0.5);
}

class Detector : public ::testing::TestWithParam<std::uint32_t> {};

// A digit of 200 ms after 100 ms of silence: one start near 100 ms, one end
// near 300 ms (within the 20 ms window), whatever the chunking.
TEST_P(Detector, ReportsStartAndEndWithTheirTimes) {
  const std::uint32_t rate = GetParam();
  test::DtmfParams p;
  p.on_ms = 200;
  const auto x = test::dtmf_signal("5", p, rate);
  for (const std::size_t chunk : {std::size_t{1}, std::size_t{37}, std::size_t{160}, x.size()}) {
    DtmfDetector detector(rate);
    std::vector<DtmfReport> out;
    for (std::size_t pos = 0; pos < x.size(); pos += chunk) {
      detector.process(std::span(x).subspan(pos, std::min(chunk, x.size() - pos)), out);
    }
    ASSERT_EQ(out.size(), 2u) << chunk;
    EXPECT_EQ(out[0].kind, Kind::kStart);
    EXPECT_EQ(out[0].digit, '5');
    EXPECT_NEAR(out[0].timestamp, rate / 10, rate / 50);
    EXPECT_EQ(out[1].kind, Kind::kEnd);
    EXPECT_EQ(out[1].timestamp, out[0].timestamp);
    EXPECT_NEAR(out[1].duration, rate / 5, rate / 50);
  }
}

TEST_P(Detector, SilenceAndAnUnrelatedToneGiveNothing) {
  const std::uint32_t rate = GetParam();
  DtmfDetector detector(rate);
  std::vector<DtmfReport> out;
  std::vector<std::int16_t> silence(rate);
  detector.process(silence, out);
  std::vector<std::int16_t> tone(rate);
  for (std::size_t i = 0; i < tone.size(); ++i) {
    tone[i] = static_cast<std::int16_t>(10000 * std::sin(2 * std::numbers::pi * 1000 * i / rate));
  }
  detector.process(tone, out);
  EXPECT_TRUE(out.empty());
}

INSTANTIATE_TEST_SUITE_P(Rates, Detector, ::testing::Values(8000u, 16000u));

}  // namespace
}  // namespace switchboard::media::dsp
