// Sample-rate conversion between 8, 16 and 48 kHz through speexdsp's
// resampler, streaming (the filter state carries across calls).
#pragma once

#include <cstdint>
#include <span>

#include "common/result.hpp"

struct SpeexResamplerState_;

namespace switchboard::media {

class Resampler {
 public:
  /// speexdsp quality 0..10; 3 is its "VoIP" default, 5 its "default".
  static constexpr int kDefaultQuality = 5;

  /// Rates must be 8000, 16000 or 48000; equal rates copy.
  static Result<Resampler> create(std::uint32_t in_rate, std::uint32_t out_rate,
                                  int quality = kDefaultQuality);

  Resampler(Resampler&& other) noexcept;
  Resampler& operator=(Resampler&& other) noexcept;
  Resampler(const Resampler&) = delete;
  Resampler& operator=(const Resampler&) = delete;
  ~Resampler();

  std::uint32_t in_rate() const { return in_rate_; }
  std::uint32_t out_rate() const { return out_rate_; }

  /// Output samples for `in_samples` input samples (the rates are integer
  /// multiples, so this is exact).
  std::size_t output_size(std::size_t in_samples) const {
    return in_samples * out_rate_ / in_rate_;
  }

  /// Converts all of `in` into `out` (at least output_size(in.size()));
  /// returns the samples written. The filter's delay (a few ms) shows as
  /// leading silence in the first call's output.
  std::size_t process(std::span<const std::int16_t> in, std::span<std::int16_t> out);

 private:
  Resampler(SpeexResamplerState_* state, std::uint32_t in_rate, std::uint32_t out_rate)
      : state_(state), in_rate_(in_rate), out_rate_(out_rate) {}

  SpeexResamplerState_* state_ = nullptr;  // nullptr when the rates are equal
  std::uint32_t in_rate_ = 0;
  std::uint32_t out_rate_ = 0;
};

}  // namespace switchboard::media
