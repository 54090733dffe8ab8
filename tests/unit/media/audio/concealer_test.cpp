#include "media/audio/concealer.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "unit/media/audio/test_signals.hpp"

namespace switchboard::media::audio {
namespace {

using test::tone;
using test::tone_level;

class ConcealerTest : public ::testing::TestWithParam<int> {};

TEST_P(ConcealerTest, RepeatsTheLastPitchPeriod) {
  const int rate = GetParam();
  const std::size_t frame = static_cast<std::size_t>(rate) / 50;
  Concealer plc(rate);
  auto signal = tone(200, rate, frame * 5, 8000);
  for (int f = 0; f < 5; ++f)
    plc.good(std::span(signal).subspan(static_cast<std::size_t>(f) * frame, frame));
  std::vector<std::int16_t> out(static_cast<std::size_t>(rate) / 100);  // first 10 ms: full level
  plc.conceal(out);
  EXPECT_NEAR(static_cast<double>(plc.pitch()), rate / 200.0, 1.0);
  // It continues the waveform: close to what the lost audio would have been.
  auto truth = tone(200, rate, out.size(), 8000, frame * 5);
  double err = 0;
  for (std::size_t i = 0; i < out.size(); ++i) err += std::abs(out[i] - truth[i]);
  EXPECT_LT(err / static_cast<double>(out.size()), 400);
  EXPECT_NEAR(tone_level(out, 200, rate), 8000, 800);
}

TEST_P(ConcealerTest, FadesToSilenceBySixtyMilliseconds) {
  const int rate = GetParam();
  const std::size_t frame = static_cast<std::size_t>(rate) / 50;
  Concealer plc(rate);
  auto signal = tone(300, rate, frame, 8000);
  plc.good(signal);
  std::vector<std::int16_t> out(frame);
  std::vector<double> rms;
  for (int i = 0; i < 4; ++i) {
    plc.conceal(out);
    rms.push_back(test::rms(out));
  }
  EXPECT_GT(rms[0], 4000);
  EXPECT_LT(rms[1], rms[0]);
  EXPECT_LT(rms[2], rms[1]);
  EXPECT_EQ(rms[3], 0);  // 60-80 ms
}

TEST_P(ConcealerTest, RecoveryIsBlendedWithoutAClick) {
  const int rate = GetParam();
  const std::size_t frame = static_cast<std::size_t>(rate) / 50;
  Concealer plc(rate);
  auto signal = tone(250, rate, frame * 4, 8000);
  plc.good(std::span(signal).subspan(0, frame));
  plc.good(std::span(signal).subspan(frame, frame));
  std::vector<std::int16_t> lost(frame);
  plc.conceal(lost);
  std::vector<std::int16_t> next(signal.begin() + static_cast<std::ptrdiff_t>(3 * frame),
                                 signal.end());
  plc.good(next);
  EXPECT_EQ(plc.concealed(), 0u);
  // The largest step at the join is no bigger than the tone's own slope
  // allows plus a margin (an unblended jump of a random phase would be ~8000).
  double max_slope = 8000 * 2 * 3.14159 * 250 / rate;
  EXPECT_LT(std::abs(next[0] - lost.back()), 3 * max_slope + 200);
  for (std::size_t i = 1; i < frame; ++i) {
    ASSERT_LT(std::abs(next[i] - next[i - 1]), 3 * max_slope + 200) << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Rates, ConcealerTest, ::testing::Values(8000, 16000, 48000));

}  // namespace
}  // namespace switchboard::media::audio
