// Audio sources the media session plays besides prompts and files.
#pragma once

#include <chrono>
#include <memory>

#include "media/audio/pcm.hpp"
#include "media/audio/resampler.hpp"
#include "media/dsp/tones.hpp"

namespace switchboard::media::app {

/// A call progress tone (src/media/dsp) at any rate: generated at 8 or
/// 16 kHz and converted for 48 kHz legs. Ends after `duration` (0: when a
/// one-shot tone's cadence ends, never for a repeating one).
class ToneSource final : public audio::AudioSource {
 public:
  ToneSource(const dsp::ToneSpec& spec, int rate, std::chrono::milliseconds duration);
  std::size_t read(std::span<std::int16_t> out) override;
  int rate() const override { return rate_; }

 private:
  dsp::ToneGenerator generator_;
  int rate_;
  int gen_rate_;
  std::size_t left_;  // samples at rate_; SIZE_MAX = unbounded
  bool one_shot_;
  std::unique_ptr<audio::Resampler> resampler_;
  std::vector<std::int16_t> gen_, pending_;
};

/// `duration` of silence.
class SilenceSource final : public audio::AudioSource {
 public:
  SilenceSource(int rate, std::chrono::milliseconds duration)
      : rate_(rate),
        left_(static_cast<std::size_t>(duration.count()) * static_cast<std::size_t>(rate) / 1000) {}
  std::size_t read(std::span<std::int16_t> out) override;
  int rate() const override { return rate_; }

 private:
  int rate_;
  std::size_t left_;
};

}  // namespace switchboard::media::app
