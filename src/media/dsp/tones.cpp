#include "media/dsp/tones.hpp"

#include <cctype>
#include <cmath>
#include <numbers>
#include <string>

#include "media/dsp/dtmf_detector.hpp"

namespace switchboard::media::dsp {
namespace {

using Step = ToneSpec::Step;

// ANSI T1.401 (precise tone plan): dial 350+440 Hz -13 dBm0, audible ringing
// 440+480 Hz -19 dBm0 2 s/4 s, busy 480+620 Hz -24 dBm0 0.5/0.5 s, reorder
// (congestion) the same at 0.25/0.25 s, call waiting 440 Hz 0.3 s every 10 s.
const ToneSpec kUs[] = {
    {{350, 440}, -13, {}, true},           {{440, 480}, -19, {{2000, 4000}}, true},
    {{480, 620}, -24, {{500, 500}}, true}, {{480, 620}, -24, {{250, 250}}, true},
    {{440, 0}, -13, {{300, 9700}}, true},  {{1000, 0}, -13, {{250, 0}}, false},
};

// ETSI TR 101 041 / CEPT common European tones, all 425 Hz: dial
// continuous, ringing 1 s/4 s, busy 0.5/0.5 s, congestion 0.2/0.2 s, call
// waiting 0.2 on, 0.2 off, 0.2 on, every 5 s.
const ToneSpec kEu[] = {
    {{425, 0}, -10, {}, true},
    {{425, 0}, -10, {{1000, 4000}}, true},
    {{425, 0}, -10, {{500, 500}}, true},
    {{425, 0}, -10, {{200, 200}}, true},
    {{425, 0}, -10, {{200, 200}, {200, 4400}}, true},
    {{1000, 0}, -13, {{250, 0}}, false},
};

}  // namespace

const ToneSpec& tone_spec(ToneRegion region, ToneKind kind) {
  const auto index = static_cast<std::size_t>(kind);
  return region == ToneRegion::kEu ? kEu[index] : kUs[index];
}

std::optional<ToneSpec> dtmf_tone_spec(char digit, std::uint32_t on_ms, std::uint32_t off_ms) {
  static constexpr double kRows[] = {697, 770, 852, 941};
  static constexpr double kCols[] = {1209, 1336, 1477, 1633};
  static constexpr std::string_view kKeys = "123A456B789C*0#D";
  if (digit >= 'a' && digit <= 'd') digit = static_cast<char>(digit - 'a' + 'A');
  const auto pos = kKeys.find(digit);
  if (digit == '\0' || pos == std::string_view::npos) return std::nullopt;
  return ToneSpec{{kRows[pos / 4], kCols[pos % 4]}, -7, {{on_ms, off_ms}}, false};
}

std::optional<ToneRegion> parse_tone_region(std::string_view name) {
  std::string lower;
  for (const char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "us") return ToneRegion::kUs;
  if (lower == "eu") return ToneRegion::kEu;
  return std::nullopt;
}

std::string_view to_string(ToneRegion region) {
  return region == ToneRegion::kEu ? "eu" : "us";
}

std::string_view to_string(ToneKind kind) {
  switch (kind) {
    case ToneKind::kDial:
      return "dial";
    case ToneKind::kRingback:
      return "ringback";
    case ToneKind::kBusy:
      return "busy";
    case ToneKind::kCongestion:
      return "congestion";
    case ToneKind::kCallWaiting:
      return "call_waiting";
    case ToneKind::kBeep:
      return "beep";
  }
  return "?";
}

ToneGenerator::ToneGenerator(const ToneSpec& spec, std::uint32_t sample_rate)
    : amplitude_(dbm0_to_amplitude(spec.level_dbm0)), repeat_(spec.repeat) {
  for (const double f : spec.frequencies) {
    if (f <= 0) continue;
    const double w = 2 * std::numbers::pi * f / sample_rate;
    oscillators_[oscillator_count_++] = {1, 0, std::cos(w), std::sin(w)};
  }
  const auto samples = [&](std::uint32_t ms) {
    return static_cast<std::uint32_t>(std::uint64_t{ms} * sample_rate / 1000);
  };
  for (const Step& step : spec.cadence) {
    if (step.on_ms != 0) segments_.emplace_back(samples(step.on_ms), true);
    if (step.off_ms != 0) segments_.emplace_back(samples(step.off_ms), false);
  }
  if (segments_.empty()) segments_.emplace_back(0, true);  // continuous
  left_ = segments_[0].first;
}

void ToneGenerator::next_step() {
  if (++segment_ == segments_.size()) {
    segment_ = 0;
    if (!repeat_) finished_ = true;
  }
  left_ = segments_[segment_].first;
}

void ToneGenerator::generate(std::span<std::int16_t> out) {
  const bool continuous = segments_.size() == 1 && segments_[0].first == 0;
  for (auto& sample : out) {
    if (!continuous) {
      while (left_ == 0 && !finished_) next_step();
      if (finished_) {
        sample = 0;
        continue;
      }
      --left_;
      if (left_ == 0 && !repeat_ && segment_ + 1 == segments_.size()) finished_ = true;
    }
    double v = 0;
    for (std::size_t i = 0; i < oscillator_count_; ++i) {
      Oscillator& o = oscillators_[i];
      const double re = o.re * o.step_re - o.im * o.step_im;
      o.im = o.re * o.step_im + o.im * o.step_re;
      o.re = re;
      v += o.im;
    }
    const bool on = continuous || segments_[segment_].second;
    sample = on ? static_cast<std::int16_t>(std::lround(v * amplitude_)) : std::int16_t{0};
  }
  // Keep the rotating phasors on the unit circle.
  if ((since_normalise_ += static_cast<std::uint32_t>(out.size())) >= 1000) {
    since_normalise_ = 0;
    for (std::size_t i = 0; i < oscillator_count_; ++i) {
      Oscillator& o = oscillators_[i];
      const double m = std::hypot(o.re, o.im);
      o.re /= m;
      o.im /= m;
    }
  }
}

}  // namespace switchboard::media::dsp
