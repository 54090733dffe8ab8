#include "media/dsp/tones.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "media/dsp/dtmf_detector.hpp"

namespace switchboard::media::dsp {
namespace {

constexpr ToneKind kKinds[] = {ToneKind::kDial,       ToneKind::kRingback,    ToneKind::kBusy,
                               ToneKind::kCongestion, ToneKind::kCallWaiting, ToneKind::kBeep};

TEST(TonePlans, RegionNames) {
  EXPECT_EQ(parse_tone_region("us"), ToneRegion::kUs);
  EXPECT_EQ(parse_tone_region("EU"), ToneRegion::kEu);
  EXPECT_FALSE(parse_tone_region("uk"));
  EXPECT_EQ(to_string(ToneRegion::kEu), "eu");
  EXPECT_EQ(to_string(ToneKind::kCallWaiting), "call_waiting");
}

TEST(TonePlans, FrequenciesAndCadencesOfThePlans) {
  const auto& us_ring = tone_spec(ToneRegion::kUs, ToneKind::kRingback);
  EXPECT_EQ(us_ring.frequencies, (std::array<double, 2>{440, 480}));
  EXPECT_EQ(us_ring.cadence[0].on_ms, 2000u);
  EXPECT_EQ(us_ring.cadence[0].off_ms, 4000u);
  EXPECT_EQ(tone_spec(ToneRegion::kUs, ToneKind::kDial).frequencies,
            (std::array<double, 2>{350, 440}));
  EXPECT_EQ(tone_spec(ToneRegion::kUs, ToneKind::kBusy).frequencies,
            (std::array<double, 2>{480, 620}));
  for (const auto kind : kKinds) {
    if (kind == ToneKind::kBeep) continue;
    EXPECT_EQ(tone_spec(ToneRegion::kEu, kind).frequencies[0], 425) << to_string(kind);
  }
  EXPECT_EQ(tone_spec(ToneRegion::kEu, ToneKind::kRingback).cadence[0].on_ms, 1000u);
}

// Level (dBm0) of one frequency in x: 2|X|²/N² of a Goertzel filter.
double level_at(std::span<const std::int16_t> x, double f, std::uint32_t rate) {
  const double c = 2 * std::cos(2 * std::numbers::pi * f / rate);
  double s1 = 0, s2 = 0;
  for (const auto v : x) {
    const double s = v + c * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  const double n = static_cast<double>(x.size());
  const double power = 2 * (s1 * s1 + s2 * s2 - c * s1 * s2) / (n * n);
  const double amplitude = std::sqrt(2 * power);
  return 20 * std::log10(amplitude / dbm0_to_amplitude(0) + 1e-12);
}

double total_power(std::span<const std::int16_t> x) {
  double sum = 0;
  for (const auto v : x) sum += static_cast<double>(v) * v;
  return sum / static_cast<double>(x.size());
}

// In-band DTMF from the generator, found by our own detector at both rates.
TEST(TonePlans, InBandDtmfDigitsAreDetected) {
  EXPECT_FALSE(dtmf_tone_spec('x'));
  for (const std::uint32_t rate : {8000u, 16000u}) {
    std::vector<std::int16_t> x;
    for (const char d : std::string("0123456789*#ABCD")) {
      ToneGenerator generator(*dtmf_tone_spec(d, 60, 60), rate);
      std::vector<std::int16_t> part(rate * 120 / 1000);
      generator.generate(part);
      EXPECT_TRUE(generator.finished());
      x.insert(x.end(), part.begin(), part.end());
    }
    x.resize(x.size() + rate / 10, 0);
    DtmfDetector detector(rate);
    std::vector<DtmfReport> reports;
    detector.process(x, reports);
    std::string digits;
    for (const auto& r : reports) {
      if (r.kind == DtmfReport::Kind::kStart) digits += r.digit;
    }
    EXPECT_EQ(digits, "0123456789*#ABCD") << rate;
  }
}

struct Case {
  ToneRegion region;
  ToneKind kind;
  std::uint32_t rate;
};

class ToneCase : public ::testing::TestWithParam<Case> {};

// Plays 12 s of the tone and checks (1) the on/off pattern in 5 ms blocks
// against the cadence, to the block; (2) in the on parts, each frequency at
// its level ±0.3 dB and together 99 % of the power.
TEST_P(ToneCase, FrequencyLevelAndCadence) {
  const auto [region, kind, rate] = GetParam();
  const ToneSpec& spec = tone_spec(region, kind);
  ToneGenerator generator(spec, rate);
  std::vector<std::int16_t> x(12 * rate);
  // In odd pieces, to check that phase and cadence carry over.
  for (std::size_t pos = 0; pos < x.size(); pos += 333) {
    generator.generate(std::span(x).subspan(pos, std::min<std::size_t>(333, x.size() - pos)));
  }
  const std::size_t block = rate / 200;  // 5 ms
  std::vector<bool> on;
  for (std::size_t pos = 0; pos + block <= x.size(); pos += block) {
    on.push_back(total_power(std::span(x).subspan(pos, block)) > 1000);
  }
  // Expected pattern from the spec.
  std::vector<bool> expected;
  if (spec.cadence.empty()) {
    expected.assign(on.size(), true);
  } else {
    while (expected.size() < on.size()) {
      for (const auto& step : spec.cadence) {
        expected.insert(expected.end(), step.on_ms / 5, true);
        expected.insert(expected.end(), step.off_ms / 5, false);
      }
      if (!spec.repeat) expected.resize(on.size(), false);
    }
    expected.resize(on.size());
  }
  EXPECT_EQ(on, expected) << to_string(region) << " " << to_string(kind);
  EXPECT_EQ(generator.finished(), !spec.repeat);
  // Frequency and level over the first on part (or 1 s).
  const std::uint32_t first_ms = spec.cadence.empty() ? 1000 : spec.cadence[0].on_ms;
  const auto part = std::span(x).first(std::uint64_t{first_ms} * rate / 1000);
  double tone_power = 0;
  for (const double f : spec.frequencies) {
    if (f == 0) continue;
    EXPECT_NEAR(level_at(part, f, rate), spec.level_dbm0, 0.3) << f;
    const double a = dbm0_to_amplitude(level_at(part, f, rate));
    tone_power += a * a / 2;
  }
  EXPECT_GT(tone_power / total_power(part), 0.99);
}

std::vector<Case> all_cases() {
  std::vector<Case> cases;
  for (const auto region : {ToneRegion::kUs, ToneRegion::kEu}) {
    for (const auto kind : kKinds) {
      for (const std::uint32_t rate : {8000u, 16000u}) cases.push_back({region, kind, rate});
    }
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Plans, ToneCase, ::testing::ValuesIn(all_cases()), [](const auto& info) {
  return std::string(to_string(info.param.region)) + "_" + std::string(to_string(info.param.kind)) +
         "_" + std::to_string(info.param.rate);
});

}  // namespace
}  // namespace switchboard::media::dsp
