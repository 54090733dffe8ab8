#include "media/audio/pcm.hpp"

#include <algorithm>

namespace switchboard::media::audio {

std::size_t BufferSource::read(std::span<std::int16_t> out) {
  std::size_t n = std::min(out.size(), buffer_->samples.size() - pos_);
  std::copy_n(buffer_->samples.begin() + static_cast<std::ptrdiff_t>(pos_), n, out.begin());
  pos_ += n;
  return n;
}

}  // namespace switchboard::media::audio
