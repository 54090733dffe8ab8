#include "media/codec/resampler.hpp"

#include <speex/speex_resampler.h>

#include <algorithm>
#include <string>
#include <utility>

namespace switchboard::media {
namespace {

bool supported_rate(std::uint32_t rate) {
  return rate == 8000 || rate == 16000 || rate == 48000;
}

}  // namespace

Result<Resampler> Resampler::create(std::uint32_t in_rate, std::uint32_t out_rate, int quality) {
  if (!supported_rate(in_rate) || !supported_rate(out_rate)) {
    return Error{ErrorCode::kInvalidArgument,
                 "resampler: rates must be 8000, 16000 or 48000, not " + std::to_string(in_rate) +
                     "->" + std::to_string(out_rate)};
  }
  if (quality < 0 || quality > 10) {
    return Error{ErrorCode::kInvalidArgument, "resampler: quality is 0..10"};
  }
  if (in_rate == out_rate) return Resampler(nullptr, in_rate, out_rate);
  int error = 0;
  SpeexResamplerState* state = speex_resampler_init(1, in_rate, out_rate, quality, &error);
  if (state == nullptr) {
    return Error{ErrorCode::kInternal,
                 std::string("resampler: ") + speex_resampler_strerror(error)};
  }
  return Resampler(state, in_rate, out_rate);
}

Resampler::Resampler(Resampler&& other) noexcept
    : state_(std::exchange(other.state_, nullptr)),
      in_rate_(other.in_rate_),
      out_rate_(other.out_rate_) {}

Resampler& Resampler::operator=(Resampler&& other) noexcept {
  if (this != &other) {
    if (state_ != nullptr) speex_resampler_destroy(state_);
    state_ = std::exchange(other.state_, nullptr);
    in_rate_ = other.in_rate_;
    out_rate_ = other.out_rate_;
  }
  return *this;
}

Resampler::~Resampler() {
  if (state_ != nullptr) speex_resampler_destroy(state_);
}

std::size_t Resampler::process(std::span<const std::int16_t> in, std::span<std::int16_t> out) {
  if (state_ == nullptr) {
    const std::size_t n = std::min(in.size(), out.size());
    std::copy_n(in.begin(), n, out.begin());
    return n;
  }
  spx_uint32_t in_len = static_cast<spx_uint32_t>(in.size());
  spx_uint32_t out_len = static_cast<spx_uint32_t>(out.size());
  speex_resampler_process_int(state_, 0, in.data(), &in_len, out.data(), &out_len);
  return out_len;
}

}  // namespace switchboard::media
