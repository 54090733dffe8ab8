#include "media/codec/transcoder.hpp"

#include <array>
#include <utility>

namespace switchboard::media {

Result<Transcoder> Transcoder::create(std::unique_ptr<Codec> from, std::unique_ptr<Codec> to) {
  if (!from || !to) return Error{ErrorCode::kInvalidArgument, "transcoder: missing codec"};
  auto resampler = Resampler::create(from->info().sample_rate, to->info().sample_rate);
  if (!resampler) return resampler.error();
  return Transcoder(std::move(from), std::move(to), std::move(resampler).value());
}

Result<Transcoder> Transcoder::create(std::string_view from, std::string_view to) {
  auto a = make_codec(from);
  if (!a) return a.error();
  auto b = make_codec(to);
  if (!b) return b.error();
  return create(std::move(a).value(), std::move(b).value());
}

Transcoder::Transcoder(std::unique_ptr<Codec> from, std::unique_ptr<Codec> to, Resampler resampler)
    : from_(std::move(from)), to_(std::move(to)), resampler_(std::move(resampler)) {
  decoded_.resize(kMaxDecodedSamples);
  resampled_.resize(kMaxDecodedSamples * 6);  // 8 kHz -> 48 kHz
  pending_.reserve(kMaxDecodedSamples * 6 + kMaxFrameSamples);
}

Status Transcoder::transcode(std::span<const std::uint8_t> payload,
                             std::vector<std::vector<std::uint8_t>>& out) {
  auto n = from_->decode(payload, decoded_);
  if (!n) return n.error();
  return push(std::span(decoded_).first(*n), out);
}

Status Transcoder::lost(std::vector<std::vector<std::uint8_t>>& out) {
  const std::size_t n = from_->conceal(decoded_);
  return push(std::span(decoded_).first(n), out);
}

Status Transcoder::push(std::span<const std::int16_t> pcm,
                        std::vector<std::vector<std::uint8_t>>& out) {
  const std::size_t n = resampler_.process(pcm, resampled_);
  pending_.insert(pending_.end(), resampled_.begin(), resampled_.begin() + static_cast<long>(n));
  const std::size_t frame = to_->info().frame_samples();
  std::size_t used = 0;
  std::array<std::uint8_t, kMaxPayloadBytes> buffer{};
  Status status;
  while (pending_.size() - used >= frame) {
    auto bytes = to_->encode(std::span(pending_).subspan(used, frame), buffer);
    used += frame;
    if (!bytes) {
      status = bytes.error();
      break;
    }
    out.emplace_back(buffer.begin(), buffer.begin() + static_cast<long>(*bytes));
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<long>(used));
  return status;
}

}  // namespace switchboard::media
