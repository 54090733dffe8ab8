// Opus through libopus: 48 kHz mono PCM, "opus/48000/2" on the wire (RFC
// 7587), in-band FEC on (the encoder assumes 10 % loss so it spends bits on
// it), decoder concealment and FEC recovery for lost packets.
#include <opus.h>

#include "media/codec/codec_impl.hpp"

namespace switchboard::media::detail {
namespace {

constexpr int kSampleRate = 48000;
constexpr int kExpectedLossPercent = 10;
// libopus' default is 10; 5 costs about half the CPU per frame for a small
// loss in quality (docs/PERFORMANCE.md "Codecs").
constexpr int kComplexity = 5;

class OpusCodec final : public Codec {
 public:
  explicit OpusCodec(const CodecInfo& info) : info_(info) {
    int error = OPUS_OK;
    encoder_ = opus_encoder_create(kSampleRate, 1, OPUS_APPLICATION_VOIP, &error);
    if (encoder_ != nullptr) {
      opus_encoder_ctl(encoder_, OPUS_SET_INBAND_FEC(1));
      opus_encoder_ctl(encoder_, OPUS_SET_PACKET_LOSS_PERC(kExpectedLossPercent));
      opus_encoder_ctl(encoder_, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE));
      opus_encoder_ctl(encoder_, OPUS_SET_COMPLEXITY(kComplexity));
    }
    decoder_ = opus_decoder_create(kSampleRate, 1, &error);
  }

  ~OpusCodec() override {
    if (encoder_ != nullptr) opus_encoder_destroy(encoder_);
    if (decoder_ != nullptr) opus_decoder_destroy(decoder_);
  }
  OpusCodec(const OpusCodec&) = delete;
  OpusCodec& operator=(const OpusCodec&) = delete;

  const CodecInfo& info() const override { return info_; }

  Result<std::size_t> encode(std::span<const std::int16_t> pcm,
                             std::span<std::uint8_t> out) override {
    if (pcm.size() != info_.frame_samples()) return bad_frame(info_);
    if (encoder_ == nullptr) return Error{ErrorCode::kInternal, "opus: no encoder"};
    const auto n = opus_encode(encoder_, pcm.data(), static_cast<int>(pcm.size()), out.data(),
                               static_cast<opus_int32>(out.size()));
    if (n < 0) return Error{ErrorCode::kInternal, std::string("opus: ") + opus_strerror(n)};
    return static_cast<std::size_t>(n);
  }

  Result<std::size_t> decode(std::span<const std::uint8_t> payload,
                             std::span<std::int16_t> out) override {
    if (decoder_ == nullptr) return Error{ErrorCode::kInternal, "opus: no decoder"};
    if (payload.empty()) return Error{ErrorCode::kInvalidArgument, "opus: empty payload"};
    const int n = opus_decode(decoder_, payload.data(), static_cast<opus_int32>(payload.size()),
                              out.data(), static_cast<int>(out.size()), 0);
    if (n < 0) return Error{ErrorCode::kInvalidArgument, std::string("opus: ") + opus_strerror(n)};
    return static_cast<std::size_t>(n);
  }

  std::size_t conceal(std::span<std::int16_t> out) override {
    return run_decoder(nullptr, 0, out, 0);
  }

  std::size_t recover(std::span<const std::uint8_t> next_payload,
                      std::span<std::int16_t> out) override {
    return run_decoder(next_payload.data(), next_payload.size(), out, 1);
  }

 private:
  // Loss handling: opus wants exactly the lost duration as frame size.
  std::size_t run_decoder(const std::uint8_t* data, std::size_t size, std::span<std::int16_t> out,
                          int fec) {
    const std::size_t frame = std::min(out.size(), info_.frame_samples());
    if (decoder_ == nullptr) return 0;
    const int n = opus_decode(decoder_, data, static_cast<opus_int32>(size), out.data(),
                              static_cast<int>(frame), fec);
    if (n < 0) {
      std::fill_n(out.begin(), frame, std::int16_t{0});
      return frame;
    }
    return static_cast<std::size_t>(n);
  }

  CodecInfo info_;
  OpusEncoder* encoder_ = nullptr;
  OpusDecoder* decoder_ = nullptr;
};

}  // namespace

std::unique_ptr<Codec> make_opus(const CodecInfo& info) {
  return std::make_unique<OpusCodec>(info);
}

}  // namespace switchboard::media::detail
