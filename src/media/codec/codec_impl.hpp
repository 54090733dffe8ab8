// Internal to sb_media_codec: the concrete codecs behind make_codec() and the
// fallback concealment shared by the codecs that have none of their own.
#pragma once

#include <algorithm>
#include <array>
#include <memory>

#include "media/codec/codec.hpp"

namespace switchboard::media::detail {

std::unique_ptr<Codec> make_pcmu(const CodecInfo& info);
std::unique_ptr<Codec> make_pcma(const CodecInfo& info);
std::unique_ptr<Codec> make_g722(const CodecInfo& info);
std::unique_ptr<Codec> make_opus(const CodecInfo& info);
std::unique_ptr<Codec> make_g729(const CodecInfo& info);

/// Keeps the last decoded 20 ms; a lost frame repeats it at half the level
/// of the previous repetition, so a burst of losses fades to silence.
class FadeConcealer {
 public:
  void remember(std::span<const std::int16_t> decoded) {
    const std::size_t n = std::min(decoded.size(), last_.size());
    std::copy_n(decoded.end() - static_cast<std::ptrdiff_t>(n), n, last_.begin());
    size_ = n;
    attenuation_shift_ = 0;
  }

  std::size_t conceal(std::span<std::int16_t> out, std::size_t frame_samples) {
    const std::size_t n = std::min(out.size(), frame_samples);
    attenuation_shift_ = std::min(attenuation_shift_ + 1, 15);
    for (std::size_t i = 0; i < n; ++i) {
      const std::int16_t v = size_ == 0 ? 0 : last_[i % size_];
      out[i] = static_cast<std::int16_t>(v >> attenuation_shift_);
    }
    return n;
  }

 private:
  std::array<std::int16_t, kMaxFrameSamples> last_{};
  std::size_t size_ = 0;
  int attenuation_shift_ = 0;
};

inline Error payload_too_small() {
  return Error{ErrorCode::kInvalidArgument, "output too small"};
}
inline Error bad_frame(const CodecInfo& info) {
  return Error{ErrorCode::kInvalidArgument,
               std::string(info.name) + ": encode needs one 20 ms frame"};
}

}  // namespace switchboard::media::detail
