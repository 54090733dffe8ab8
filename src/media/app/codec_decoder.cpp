#include "media/app/codec_decoder.hpp"

#include <string_view>

namespace switchboard::media::app {

CodecPayloadDecoder::CodecPayloadDecoder(std::unique_ptr<Codec> codec)
    : codec_(std::move(codec)),
      own_plc_(codec_->info().name == std::string_view("opus") ||
               codec_->info().name == std::string_view("G729")),
      scratch_(kMaxDecodedSamples) {}

Status CodecPayloadDecoder::decode(std::span<const std::uint8_t> payload,
                                   std::vector<std::int16_t>& out) {
  auto n = codec_->decode(payload, scratch_);
  if (!n) return n.error();
  out.insert(out.end(), scratch_.begin(), scratch_.begin() + static_cast<std::ptrdiff_t>(*n));
  return Status::Ok();
}

bool CodecPayloadDecoder::conceal(std::size_t samples, std::vector<std::int16_t>& out) {
  if (!own_plc_) return false;
  while (samples > 0) {
    std::size_t n = codec_->conceal(scratch_);
    if (n == 0) return false;
    n = std::min(n, samples);
    out.insert(out.end(), scratch_.begin(), scratch_.begin() + static_cast<std::ptrdiff_t>(n));
    samples -= n;
  }
  return true;
}

}  // namespace switchboard::media::app
