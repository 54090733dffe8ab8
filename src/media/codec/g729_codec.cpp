// G.729 (Annex A compatible) through bcg729: 10 ms frames of 80 samples in
// 10 bytes, two per 20 ms payload (RFC 3551 payload type 18). VAD is off
// (we offer annexb=no), but a 2-byte SID frame from a peer is decoded.
extern "C" {  // bcg729's headers have no C++ guards
#include <bcg729/decoder.h>
#include <bcg729/encoder.h>
}

#include "media/codec/codec_impl.hpp"

namespace switchboard::media::detail {
namespace {

constexpr std::size_t kSubframeSamples = 80;
constexpr std::size_t kSubframeBytes = 10;
constexpr std::size_t kSidBytes = 2;

class G729Codec final : public Codec {
 public:
  explicit G729Codec(const CodecInfo& info)
      : info_(info), encoder_(initBcg729EncoderChannel(0)), decoder_(initBcg729DecoderChannel()) {}

  ~G729Codec() override {
    if (encoder_ != nullptr) closeBcg729EncoderChannel(encoder_);
    if (decoder_ != nullptr) closeBcg729DecoderChannel(decoder_);
  }
  G729Codec(const G729Codec&) = delete;
  G729Codec& operator=(const G729Codec&) = delete;

  const CodecInfo& info() const override { return info_; }

  Result<std::size_t> encode(std::span<const std::int16_t> pcm,
                             std::span<std::uint8_t> out) override {
    if (pcm.size() != info_.frame_samples()) return bad_frame(info_);
    std::size_t written = 0;
    for (std::size_t i = 0; i < pcm.size(); i += kSubframeSamples) {
      if (out.size() < written + kSubframeBytes) return payload_too_small();
      std::uint8_t length = 0;
      bcg729Encoder(encoder_, pcm.data() + i, out.data() + written, &length);
      written += length;
    }
    return written;
  }

  Result<std::size_t> decode(std::span<const std::uint8_t> payload,
                             std::span<std::int16_t> out) override {
    const std::size_t frames = payload.size() / kSubframeBytes;
    const std::size_t rest = payload.size() % kSubframeBytes;
    if (rest != 0 && rest != kSidBytes) {
      return Error{ErrorCode::kInvalidArgument, "G729: payload is not 10-byte frames (+ SID)"};
    }
    const std::size_t total = (frames + (rest != 0 ? 1 : 0)) * kSubframeSamples;
    if (out.size() < total) return payload_too_small();
    std::size_t pos = 0;
    for (std::size_t f = 0; f < frames; ++f) {
      bcg729Decoder(decoder_, payload.data() + f * kSubframeBytes, kSubframeBytes, 0, 0, 0,
                    out.data() + pos);
      pos += kSubframeSamples;
    }
    if (rest == kSidBytes) {
      bcg729Decoder(decoder_, payload.data() + frames * kSubframeBytes, kSidBytes, 0, 1, 0,
                    out.data() + pos);
      pos += kSubframeSamples;
    }
    return pos;
  }

  std::size_t conceal(std::span<std::int16_t> out) override {
    const std::size_t frame = std::min(out.size(), info_.frame_samples());
    for (std::size_t pos = 0; pos + kSubframeSamples <= frame; pos += kSubframeSamples) {
      bcg729Decoder(decoder_, nullptr, 0, 1, 0, 0, out.data() + pos);
    }
    return frame - frame % kSubframeSamples;
  }

 private:
  CodecInfo info_;
  bcg729EncoderChannelContextStruct* encoder_;
  bcg729DecoderChannelContextStruct* decoder_;
};

}  // namespace

std::unique_ptr<Codec> make_g729(const CodecInfo& info) {
  return std::make_unique<G729Codec>(info);
}

}  // namespace switchboard::media::detail
