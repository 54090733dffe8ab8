// G.722 at 64 kbit/s through spandsp (RFC 3551: "G722/8000", 16 kHz audio).
#include <spandsp.h>

#include "media/codec/codec_impl.hpp"

namespace switchboard::media::detail {
namespace {

class G722Codec final : public Codec {
 public:
  explicit G722Codec(const CodecInfo& info)
      : info_(info),
        encoder_(g722_encode_init(nullptr, 64000, 0)),
        decoder_(g722_decode_init(nullptr, 64000, 0)) {}

  ~G722Codec() override {
    g722_encode_free(encoder_);
    g722_decode_free(decoder_);
  }
  G722Codec(const G722Codec&) = delete;
  G722Codec& operator=(const G722Codec&) = delete;

  const CodecInfo& info() const override { return info_; }

  Result<std::size_t> encode(std::span<const std::int16_t> pcm,
                             std::span<std::uint8_t> out) override {
    if (pcm.size() != info_.frame_samples()) return bad_frame(info_);
    if (out.size() < pcm.size() / 2) return payload_too_small();
    const int n = g722_encode(encoder_, out.data(), pcm.data(), static_cast<int>(pcm.size()));
    return static_cast<std::size_t>(n);
  }

  Result<std::size_t> decode(std::span<const std::uint8_t> payload,
                             std::span<std::int16_t> out) override {
    if (out.size() < payload.size() * 2) return payload_too_small();
    const int n =
        g722_decode(decoder_, out.data(), payload.data(), static_cast<int>(payload.size()));
    const auto decoded = static_cast<std::size_t>(n);
    concealer_.remember(out.first(decoded));
    return decoded;
  }

  std::size_t conceal(std::span<std::int16_t> out) override {
    return concealer_.conceal(out, info_.frame_samples());
  }

 private:
  CodecInfo info_;
  g722_encode_state_t* encoder_;
  g722_decode_state_t* decoder_;
  FadeConcealer concealer_;
};

}  // namespace

std::unique_ptr<Codec> make_g722(const CodecInfo& info) {
  return std::make_unique<G722Codec>(info);
}

}  // namespace switchboard::media::detail
