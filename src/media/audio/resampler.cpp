#include "media/audio/resampler.hpp"

#include <speex/speex_resampler.h>

#include <algorithm>
#include <cstddef>

namespace switchboard::media::audio {

Resampler::Resampler(int in_rate, int out_rate, int quality)
    : in_rate_(in_rate), out_rate_(out_rate) {
  if (in_rate_ != out_rate_) {
    int err = 0;
    state_ = speex_resampler_init(1, static_cast<spx_uint32_t>(in_rate_),
                                  static_cast<spx_uint32_t>(out_rate_), quality, &err);
    // Without this the first output samples are the filter's zero history.
    if (state_ != nullptr) speex_resampler_skip_zeros(state_);
  }
}

Resampler::~Resampler() {
  if (state_ != nullptr) speex_resampler_destroy(state_);
}

void Resampler::process(std::span<const std::int16_t> in, std::vector<std::int16_t>& out) {
  if (state_ == nullptr) {
    out.insert(out.end(), in.begin(), in.end());
    return;
  }
  while (!in.empty()) {
    auto in_len = static_cast<spx_uint32_t>(in.size());
    auto room = static_cast<spx_uint32_t>(
        static_cast<std::uint64_t>(in.size()) * out_rate_ / in_rate_ + 16);
    std::size_t base = out.size();
    out.resize(base + room);
    speex_resampler_process_int(state_, 0, in.data(), &in_len, out.data() + base, &room);
    out.resize(base + room);
    if (in_len == 0 && room == 0) break;  // cannot progress (never expected)
    in = in.subspan(in_len);
  }
}

void Resampler::flush(std::vector<std::int16_t>& out) {
  if (state_ == nullptr) return;
  // Push the filter's latency worth of zeros through to drain it.
  std::vector<std::int16_t> zeros(
      static_cast<std::size_t>(speex_resampler_get_input_latency(state_)), 0);
  process(zeros, out);
}

PcmBuffer resample(const PcmBuffer& in, int out_rate) {
  if (in.rate == out_rate) return in;
  PcmBuffer out{out_rate, {}};
  out.samples.reserve(in.samples.size() * static_cast<std::size_t>(out_rate) /
                          static_cast<std::size_t>(in.rate) +
                      64);
  Resampler r(in.rate, out_rate);
  r.process(in.samples, out.samples);
  r.flush(out.samples);
  // Keep the duration exact: the drain may overshoot by a few samples.
  out.samples.resize(in.samples.size() * static_cast<std::size_t>(out_rate) /
                     static_cast<std::size_t>(in.rate));
  return out;
}

}  // namespace switchboard::media::audio
