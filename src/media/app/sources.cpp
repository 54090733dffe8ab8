#include "media/app/sources.hpp"

#include <algorithm>
#include <limits>

namespace switchboard::media::app {

ToneSource::ToneSource(const dsp::ToneSpec& spec, int rate, std::chrono::milliseconds duration)
    : generator_(spec, static_cast<std::uint32_t>(rate == 8000 ? 8000 : 16000)),
      rate_(rate),
      gen_rate_(rate == 8000 ? 8000 : 16000),
      left_(duration.count() > 0
                ? static_cast<std::size_t>(duration.count()) * static_cast<std::size_t>(rate) / 1000
                : std::numeric_limits<std::size_t>::max()),
      one_shot_(!spec.repeat) {
  if (gen_rate_ != rate_) resampler_ = std::make_unique<audio::Resampler>(gen_rate_, rate_);
}

std::size_t ToneSource::read(std::span<std::int16_t> out) {
  std::size_t want = std::min(out.size(), left_);
  while (pending_.size() < want) {
    if (one_shot_ && generator_.finished()) break;
    gen_.assign(audio::frame_samples(gen_rate_), 0);
    generator_.generate(gen_);
    if (resampler_) {
      resampler_->process(gen_, pending_);
    } else {
      pending_.insert(pending_.end(), gen_.begin(), gen_.end());
    }
  }
  std::size_t n = std::min(want, pending_.size());
  std::copy_n(pending_.begin(), n, out.begin());
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n));
  if (left_ != std::numeric_limits<std::size_t>::max()) left_ -= n;
  return n;
}

std::size_t SilenceSource::read(std::span<std::int16_t> out) {
  std::size_t n = std::min(out.size(), left_);
  std::fill_n(out.begin(), n, std::int16_t{0});
  left_ -= n;
  return n;
}

}  // namespace switchboard::media::app
