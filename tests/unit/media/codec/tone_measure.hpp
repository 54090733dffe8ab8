// Test helpers: a sine to feed codecs, and its frequency and level measured
// back (zero crossings with interpolation; RMS in dB relative to full scale).
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>
#include <vector>

namespace switchboard::media::test {

inline std::vector<std::int16_t> sine(double freq, double amplitude, std::uint32_t rate,
                                      std::size_t samples) {
  std::vector<std::int16_t> out(samples);
  for (std::size_t i = 0; i < samples; ++i) {
    out[i] = static_cast<std::int16_t>(std::lround(
        amplitude * std::sin(2 * std::numbers::pi * freq * static_cast<double>(i) / rate)));
  }
  return out;
}

/// RMS level in dBFS where a full-scale sine (amplitude 32767) is 0 dB.
inline double level_db(std::span<const std::int16_t> x) {
  double sum = 0;
  for (const auto v : x) sum += static_cast<double>(v) * v;
  const double rms = std::sqrt(sum / static_cast<double>(x.size()));
  return 20 * std::log10(rms * std::sqrt(2.0) / 32767.0 + 1e-12);
}

/// Frequency from the positive-going zero crossings, interpolated.
inline double frequency(std::span<const std::int16_t> x, std::uint32_t rate) {
  double first = -1;
  double last = -1;
  int crossings = 0;
  for (std::size_t i = 1; i < x.size(); ++i) {
    if (x[i - 1] < 0 && x[i] >= 0) {
      const double t = static_cast<double>(i - 1) +
                       static_cast<double>(-x[i - 1]) / static_cast<double>(x[i] - x[i - 1]);
      if (first < 0) first = t;
      last = t;
      ++crossings;
    }
  }
  if (crossings < 2) return 0;
  return (crossings - 1) * static_cast<double>(rate) / (last - first);
}

}  // namespace switchboard::media::test
