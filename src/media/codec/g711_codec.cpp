// PCMU and PCMA (RFC 3551 payload types 0 and 8).
#include "media/codec/codec_impl.hpp"
#include "media/codec/g711.hpp"

namespace switchboard::media::detail {
namespace {

template <std::uint8_t (*Encode)(std::int16_t), std::int16_t (*Decode)(std::uint8_t)>
class G711Codec final : public Codec {
 public:
  explicit G711Codec(const CodecInfo& info) : info_(info) {}

  const CodecInfo& info() const override { return info_; }

  Result<std::size_t> encode(std::span<const std::int16_t> pcm,
                             std::span<std::uint8_t> out) override {
    if (pcm.size() != info_.frame_samples()) return bad_frame(info_);
    if (out.size() < pcm.size()) return payload_too_small();
    for (std::size_t i = 0; i < pcm.size(); ++i) out[i] = Encode(pcm[i]);
    return pcm.size();
  }

  Result<std::size_t> decode(std::span<const std::uint8_t> payload,
                             std::span<std::int16_t> out) override {
    if (out.size() < payload.size()) return payload_too_small();
    for (std::size_t i = 0; i < payload.size(); ++i) out[i] = Decode(payload[i]);
    concealer_.remember(out.first(payload.size()));
    return payload.size();
  }

  std::size_t conceal(std::span<std::int16_t> out) override {
    return concealer_.conceal(out, info_.frame_samples());
  }

 private:
  CodecInfo info_;
  FadeConcealer concealer_;
};

}  // namespace

std::unique_ptr<Codec> make_pcmu(const CodecInfo& info) {
  return std::make_unique<G711Codec<g711::linear_to_ulaw, g711::ulaw_to_linear>>(info);
}

std::unique_ptr<Codec> make_pcma(const CodecInfo& info) {
  return std::make_unique<G711Codec<g711::linear_to_alaw, g711::alaw_to_linear>>(info);
}

}  // namespace switchboard::media::detail
