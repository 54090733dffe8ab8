#include "media/audio/frame_adapters.hpp"

#include <algorithm>

namespace switchboard::media::audio {

bool SourceFrameSource::read(std::span<std::int16_t> frame) {
  if (!source_) return false;
  std::size_t got = source_->read(frame);
  if (got < frame.size()) {
    std::fill(frame.begin() + static_cast<std::ptrdiff_t>(got), frame.end(), std::int16_t{0});
    source_.reset();
  }
  return got > 0;
}

void RecorderFrameSink::write(std::span<const std::int16_t> frame) {
  if (!recorder_ || !status_.ok()) return;
  status_ = recorder_->write(frame);
}

Status RecorderFrameSink::finish() {
  if (!recorder_) return make_error(ErrorCode::kFailedPrecondition, "recording already finished");
  Status s = recorder_->finish();
  recorder_.reset();
  if (!status_.ok()) return status_;
  return s;
}

RateConvertingSource::RateConvertingSource(FrameSource& inner, int inner_rate, int outer_rate)
    : inner_(inner),
      inner_frame_(frame_samples(inner_rate)),
      resampler_(inner_rate, outer_rate),
      in_(inner_frame_) {}

bool RateConvertingSource::read(std::span<std::int16_t> frame) {
  if (!inner_.read(in_)) return false;
  resampler_.process(in_, fifo_);
  if (!primed_ || fifo_.size() < frame.size()) {
    // The converter's delay: lead with silence so every later read is whole.
    fifo_.insert(fifo_.begin(), frame.size() - std::min(frame.size(), fifo_.size()),
                 std::int16_t{0});
    primed_ = true;
  }
  std::copy_n(fifo_.begin(), frame.size(), frame.begin());
  fifo_.erase(fifo_.begin(), fifo_.begin() + static_cast<std::ptrdiff_t>(frame.size()));
  return true;
}

RateConvertingSink::RateConvertingSink(FrameSink& inner, int inner_rate, int outer_rate)
    : inner_(inner), inner_frame_(frame_samples(inner_rate)), resampler_(outer_rate, inner_rate) {}

void RateConvertingSink::write(std::span<const std::int16_t> frame) {
  resampler_.process(frame, fifo_);
  if (!primed_ || fifo_.size() < inner_frame_) {
    fifo_.insert(fifo_.begin(), inner_frame_ - std::min(inner_frame_, fifo_.size()),
                 std::int16_t{0});
    primed_ = true;
  }
  inner_.write(std::span<const std::int16_t>(fifo_.data(), inner_frame_));
  fifo_.erase(fifo_.begin(), fifo_.begin() + static_cast<std::ptrdiff_t>(inner_frame_));
}

}  // namespace switchboard::media::audio
