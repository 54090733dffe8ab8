// Test helper: the relative power of one frequency in a block of PCM
// (Goertzel), to check which party's tone a stream or a file carries.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>
#include <vector>

namespace switchboard::media::test {

/// Power of `freq` in `x`, normalised so a full-scale sine at `freq` is ~1.
inline double tone_power(std::span<const std::int16_t> x, double freq, int rate) {
  if (x.empty()) return 0;
  const double w = 2 * std::numbers::pi * freq / rate;
  const double coeff = 2 * std::cos(w);
  double s1 = 0, s2 = 0;
  for (auto v : x) {
    double s0 = v / 32768.0 + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  double n = static_cast<double>(x.size());
  return 4 * power / (n * n);
}

/// A sine frame source for producers and phones: continuous phase.
class SineGenerator {
 public:
  SineGenerator(double freq, int rate, double amplitude = 8000)
      : step_(2 * std::numbers::pi * freq / rate), amplitude_(amplitude) {}
  void fill(std::span<std::int16_t> out) {
    for (auto& v : out) {
      v = static_cast<std::int16_t>(std::lround(amplitude_ * std::sin(phase_)));
      phase_ += step_;
      if (phase_ > 2 * std::numbers::pi) phase_ -= 2 * std::numbers::pi;
    }
  }

 private:
  double phase_ = 0;
  double step_;
  double amplitude_;
};

}  // namespace switchboard::media::test
