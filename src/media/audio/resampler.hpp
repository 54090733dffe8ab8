// Sample-rate conversion for files and speech whose rate is not the call's
// (a 44.1 kHz MP3 for music on hold into an 8 kHz leg). speexdsp's resampler
// (DESIGN.md §10); streaming, so a long file is converted chunk by chunk.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "media/audio/pcm.hpp"

struct SpeexResamplerState_;

namespace switchboard::media::audio {

class Resampler {
 public:
  /// quality 0..10 (speexdsp); 5 is its VoIP default.
  Resampler(int in_rate, int out_rate, int quality = 5);
  ~Resampler();
  Resampler(const Resampler&) = delete;
  Resampler& operator=(const Resampler&) = delete;

  /// Converts `in`, appending to `out`. Some output lags behind the input
  /// (the filter's delay) until flush().
  void process(std::span<const std::int16_t> in, std::vector<std::int16_t>& out);
  /// Appends the output still held in the filter (end of stream).
  void flush(std::vector<std::int16_t>& out);

  int in_rate() const { return in_rate_; }
  int out_rate() const { return out_rate_; }

 private:
  int in_rate_;
  int out_rate_;
  SpeexResamplerState_* state_ = nullptr;
};

/// A whole buffer at another rate (a copy when the rates are equal).
PcmBuffer resample(const PcmBuffer& in, int out_rate);

}  // namespace switchboard::media::audio
