// 16-bit linear PCM, mono: the one audio representation of the media layer
// above the codecs. Frames are 20 ms (ptime) at 8, 16 or 48 kHz.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace switchboard::media::audio {

/// Milliseconds of audio in one frame (one mixer/media tick).
inline constexpr int kFrameMs = 20;

/// Samples in one 20 ms frame at `rate` Hz (160 at 8 kHz).
constexpr std::size_t frame_samples(int rate) {
  return static_cast<std::size_t>(rate) * kFrameMs / 1000;
}

/// A whole clip in memory (a prompt, a rendered announcement).
struct PcmBuffer {
  int rate = 8000;
  std::vector<std::int16_t> samples;

  double seconds() const { return rate > 0 ? static_cast<double>(samples.size()) / rate : 0; }
};
using PcmBufferPtr = std::shared_ptr<const PcmBuffer>;

/// Something that produces audio at a fixed rate, pulled one frame at a time on
/// the thread that owns it (a media thread). Not thread-safe.
class AudioSource {
 public:
  virtual ~AudioSource() = default;
  /// Fills `out` from the start; returns the samples written. Fewer than
  /// out.size() means the source has ended (the rest of `out` is untouched).
  virtual std::size_t read(std::span<std::int16_t> out) = 0;
  /// The sample rate of what read() returns.
  virtual int rate() const = 0;
};
using AudioSourcePtr = std::unique_ptr<AudioSource>;

/// Plays a shared buffer from the start (prompts are shared, never copied).
class BufferSource final : public AudioSource {
 public:
  explicit BufferSource(PcmBufferPtr buffer) : buffer_(std::move(buffer)) {}
  std::size_t read(std::span<std::int16_t> out) override;
  int rate() const override { return buffer_->rate; }

 private:
  PcmBufferPtr buffer_;
  std::size_t pos_ = 0;
};

/// Clamps a wide sum to the 16-bit range (no wrap-around).
inline std::int16_t saturate(std::int32_t v) {
  return static_cast<std::int16_t>(v > 32767 ? 32767 : (v < -32768 ? -32768 : v));
}

}  // namespace switchboard::media::audio
