#include "media/rtp/injector.hpp"

#include <algorithm>

#include "media/audio/frame_adapters.hpp"
#include "media/rtp/rtp_packet.hpp"

namespace switchboard::media::rtp {
namespace {
bool valid_rate(int rate) {
  return rate == 8000 || rate == 16000 || rate == 48000;
}
}  // namespace

Injector::Injector(std::unique_ptr<Codec> codec, int payload_type,
                   std::shared_ptr<audio::FrameSource> producer,
                   std::unique_ptr<audio::FrameSource> converter)
    : codec_(std::move(codec)),
      payload_type_(payload_type),
      producer_(std::move(producer)),
      converter_(std::move(converter)),
      pcm_(codec_->info().frame_samples()),
      packet_(kRtpFixedHeader + kMaxPayloadBytes) {}

Injector::~Injector() = default;

Result<std::unique_ptr<Injector>> Injector::create(const SideParams& toward,
                                                   std::shared_ptr<audio::FrameSource> producer,
                                                   int producer_rate) {
  if (!producer) return make_error(ErrorCode::kInvalidArgument, "inject: no producer");
  if (!valid_rate(producer_rate))
    return make_error(ErrorCode::kInvalidArgument, "inject: producer rate must be 8/16/48 kHz");
  if (toward.codecs.empty())
    return make_error(ErrorCode::kInvalidArgument, "inject: the side has no codec");
  const PayloadFormat& fmt = toward.codecs.front();
  if (fmt.payload_type < 0 || fmt.payload_type > 127)
    return make_error(ErrorCode::kInvalidArgument, "inject: bad payload type");
  auto codec = make_codec(fmt.name, fmt.clock_rate);
  if (!codec) return codec.error();
  int codec_rate = static_cast<int>((*codec)->info().sample_rate);
  std::unique_ptr<audio::FrameSource> converter;
  if (codec_rate != producer_rate) {
    converter = std::make_unique<audio::RateConvertingSource>(*producer, producer_rate, codec_rate);
  }
  return std::unique_ptr<Injector>(new Injector(std::move(codec).value(), fmt.payload_type,
                                                std::move(producer), std::move(converter)));
}

Result<std::span<const std::uint8_t>> Injector::next(InjectStream& stream) {
  audio::FrameSource& source = converter_ ? *converter_ : *producer_;
  if (!source.read(pcm_)) std::fill(pcm_.begin(), pcm_.end(), std::int16_t{0});
  auto size = codec_->encode(pcm_, payload_);
  if (!size) return size.error();
  RtpHeader h;
  h.marker = marker_;
  h.payload_type = static_cast<std::uint8_t>(payload_type_);
  h.sequence = stream.sequence++;
  h.timestamp = stream.timestamp;
  h.ssrc = stream.ssrc;
  stream.timestamp += codec_->info().timestamp_step();
  marker_ = false;
  ++frames_;
  std::size_t n =
      write_rtp(h, {}, std::span<const std::uint8_t>(payload_.data(), size.value()), 0, packet_);
  if (n == 0) return make_error(ErrorCode::kInternal, "inject: packet buffer too small");
  return std::span<const std::uint8_t>(packet_.data(), n);
}

}  // namespace switchboard::media::rtp
