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

}  // namespace switchboard::media::audio
