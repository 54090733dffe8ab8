#include "media/audio/concealer.hpp"

#include <algorithm>
#include <cmath>

namespace switchboard::media::audio {

Concealer::Concealer(int rate)
    : rate_(rate),
      min_period_(static_cast<std::size_t>(rate) / 400),  // 2.5 ms (400 Hz)
      max_period_(static_cast<std::size_t>(rate) / 66),   // 15 ms (66 Hz)
      history_size_(max_period_ * 3),
      history_(history_size_, 0) {}

// The lag with the highest normalised correlation between the newest
// max_period_ samples and the samples `lag` before them.
std::size_t Concealer::find_period() const {
  const std::size_t n = max_period_;
  const std::int16_t* h = history_.data();
  const std::size_t end = history_size_;
  double best = -1;
  std::size_t best_lag = max_period_;
  for (std::size_t lag = min_period_; lag <= max_period_; ++lag) {
    double xy = 0, yy = 0;
    for (std::size_t i = end - n; i < end; ++i) {
      double x = h[i], y = h[i - lag];
      xy += x * y;
      yy += y * y;
    }
    if (yy <= 0) continue;
    double score = xy / std::sqrt(yy);
    if (score > best) {
      best = score;
      best_lag = lag;
    }
  }
  return best_lag;
}

std::int16_t Concealer::next_synthetic() {
  // Cycle through the last period of history.
  std::int16_t v = history_[history_size_ - period_ + phase_];
  phase_ = (phase_ + 1) % period_;
  return v;
}

void Concealer::conceal(std::span<std::int16_t> out) {
  if (concealed_ == 0) {
    period_ = find_period();
    phase_ = 0;
  }
  const std::size_t full = static_cast<std::size_t>(rate_) / 100;        // 10 ms
  const std::size_t silent = static_cast<std::size_t>(rate_) * 6 / 100;  // 60 ms
  for (auto& s : out) {
    std::int32_t v = next_synthetic();
    if (concealed_ >= silent) {
      v = 0;
    } else if (concealed_ > full) {
      v = static_cast<std::int32_t>(v * static_cast<std::int64_t>(silent - concealed_) /
                                    static_cast<std::int64_t>(silent - full));
    }
    s = static_cast<std::int16_t>(v);
    ++concealed_;
  }
}

void Concealer::good(std::span<std::int16_t> frame) {
  if (concealed_ > 0 && concealed_ < static_cast<std::size_t>(rate_) * 6 / 100) {
    // Blend from the synthetic continuation to the real signal over ~4 ms.
    std::size_t ramp = std::min(frame.size(), static_cast<std::size_t>(rate_) / 250);
    std::vector<std::int16_t> synth(ramp);
    conceal(synth);
    for (std::size_t i = 0; i < ramp; ++i) {
      auto w = static_cast<std::int32_t>((i + 1) * 256 / (ramp + 1));
      frame[i] = static_cast<std::int16_t>((frame[i] * w + synth[i] * (256 - w)) / 256);
    }
  }
  concealed_ = 0;
  // Slide the history window.
  if (frame.size() >= history_size_) {
    std::copy(frame.end() - static_cast<std::ptrdiff_t>(history_size_), frame.end(),
              history_.begin());
  } else {
    std::move(history_.begin() + static_cast<std::ptrdiff_t>(frame.size()), history_.end(),
              history_.begin());
    std::copy(frame.begin(), frame.end(),
              history_.end() - static_cast<std::ptrdiff_t>(frame.size()));
  }
}

}  // namespace switchboard::media::audio
