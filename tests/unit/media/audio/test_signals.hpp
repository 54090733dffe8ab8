// Signals and measurements shared by the audio, mixer and app tests.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>
#include <vector>

namespace switchboard::media::test {

/// A sine of `freq` Hz, `amplitude` peak, `count` samples, starting at sample `offset`.
inline std::vector<std::int16_t> tone(double freq, int rate, std::size_t count,
                                      double amplitude = 8000, std::size_t offset = 0) {
  std::vector<std::int16_t> v(count);
  for (std::size_t i = 0; i < count; ++i) {
    v[i] = static_cast<std::int16_t>(
        std::lround(amplitude * std::sin(2 * std::numbers::pi * freq *
                                         static_cast<double>(i + offset) / rate)));
  }
  return v;
}

/// Goertzel: the amplitude of `freq` in `x` (a sine of peak A gives about A).
inline double tone_level(std::span<const std::int16_t> x, double freq, int rate) {
  if (x.empty()) return 0;
  double w = 2 * std::numbers::pi * freq / rate;
  double c = 2 * std::cos(w), s1 = 0, s2 = 0;
  for (auto v : x) {
    double s0 = v + c * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  double power = s1 * s1 + s2 * s2 - c * s1 * s2;
  return 2 * std::sqrt(std::max(power, 0.0)) / static_cast<double>(x.size());
}

inline double rms(std::span<const std::int16_t> x) {
  if (x.empty()) return 0;
  double acc = 0;
  for (auto v : x) acc += static_cast<double>(v) * v;
  return std::sqrt(acc / static_cast<double>(x.size()));
}

}  // namespace switchboard::media::test
