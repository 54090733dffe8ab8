// Small adapters between the frame seams (frame_io.hpp) and the rest of
// media/audio, for mixer parties that are not phones: an announcement played
// into a conference (entry/exit, "the conference is being recorded") and a
// recording of the conference (a listen-only party).
#pragma once

#include <memory>

#include "media/audio/frame_io.hpp"
#include "media/audio/pcm.hpp"
#include "media/audio/resampler.hpp"
#include "media/audio/wav_recorder.hpp"

namespace switchboard::media::audio {

/// Plays an AudioSource (at the mixer's rate) as a party's voice; after the
/// end it is silent (read() false) and finished() is true.
class SourceFrameSource final : public FrameSource {
 public:
  explicit SourceFrameSource(AudioSourcePtr source) : source_(std::move(source)) {}
  bool read(std::span<std::int16_t> frame) override;
  bool finished() const { return source_ == nullptr; }

 private:
  AudioSourcePtr source_;
};

/// Writes what a party hears into a WavRecorder; a write error stops the
/// recording and is kept in status().
class RecorderFrameSink final : public FrameSink {
 public:
  explicit RecorderFrameSink(std::unique_ptr<WavRecorder> recorder)
      : recorder_(std::move(recorder)) {}
  void write(std::span<const std::int16_t> frame) override;
  /// Completes the file (blocking: run it on the worker pool).
  Status finish();
  const Status& status() const { return status_; }
  double seconds() const { return recorder_ ? recorder_->seconds() : 0; }

 private:
  std::unique_ptr<WavRecorder> recorder_;
  Status status_;
};

/// A party whose audio is at another rate than the mixer's (an 8 kHz PCMU
/// phone in a 16 kHz conference with G.722 phones): `inner`'s frames at
/// `inner_rate` come out as frames at `outer_rate`. Adds the converter's
/// few milliseconds of delay, once.
class RateConvertingSource final : public FrameSource {
 public:
  RateConvertingSource(FrameSource& inner, int inner_rate, int outer_rate);
  bool read(std::span<std::int16_t> frame) override;

 private:
  FrameSource& inner_;
  std::size_t inner_frame_;
  Resampler resampler_;
  std::vector<std::int16_t> in_, fifo_;
  bool primed_ = false;
};

/// The other direction: frames at `outer_rate` written to `inner` at `inner_rate`.
class RateConvertingSink final : public FrameSink {
 public:
  RateConvertingSink(FrameSink& inner, int inner_rate, int outer_rate);
  void write(std::span<const std::int16_t> frame) override;

 private:
  FrameSink& inner_;
  std::size_t inner_frame_;
  Resampler resampler_;
  std::vector<std::int16_t> fifo_;
  bool primed_ = false;
};

}  // namespace switchboard::media::audio
