// Audio played into one side of a relay instead of what the other side sends
// (music on hold, an announcement to one party without a re-INVITE): every
// 20 ms one frame is pulled from a producer (a FrameSource at its own rate,
// converted to the side's codec rate), encoded in the side's negotiated
// codec (its first one) and packetised with the side's own injection stream
// (InjectStream: SSRC, sequence, timestamp). The stream is kept by the
// session across injections, so the phone sees one continuous SSRC for all
// injected audio, a marker on each start, and the other party's own SSRC
// again when forwarding resumes (a clean switch: a new source to its jitter
// buffer). A producer with nothing this tick is sent as silence (no gap).
// Not thread-safe: the media thread owns it.
#pragma once

#include <array>
#include <memory>
#include <span>
#include <vector>

#include "common/result.hpp"
#include "media/audio/frame_io.hpp"
#include "media/codec/codec.hpp"
#include "media/rtp/relay_types.hpp"

namespace switchboard::media::rtp {

/// The RTP identity of what a relay injects toward one side.
struct InjectStream {
  std::uint32_t ssrc = 0;
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;  ///< of the next frame
};

class Injector {
 public:
  /// kInvalidArgument: no producer, a producer rate other than 8000/16000/
  /// 48000, or a side without a codec; kNotFound: a codec media/codec lacks.
  static Result<std::unique_ptr<Injector>> create(const SideParams& toward,
                                                  std::shared_ptr<audio::FrameSource> producer,
                                                  int producer_rate);
  ~Injector();

  /// The next 20 ms packet (valid until the next call); advances `stream`.
  /// The first packet of an injector carries the marker.
  Result<std::span<const std::uint8_t>> next(InjectStream& stream);

  const CodecInfo& codec() const { return codec_->info(); }
  int payload_type() const { return payload_type_; }
  std::uint64_t frames() const { return frames_; }

 private:
  Injector(std::unique_ptr<Codec> codec, int payload_type,
           std::shared_ptr<audio::FrameSource> producer,
           std::unique_ptr<audio::FrameSource> converter);

  std::unique_ptr<Codec> codec_;
  int payload_type_;
  std::shared_ptr<audio::FrameSource> producer_;
  std::unique_ptr<audio::FrameSource> converter_;  // producer_ at the codec's rate, or null
  std::vector<std::int16_t> pcm_;
  std::array<std::uint8_t, kMaxPayloadBytes> payload_{};
  std::vector<std::uint8_t> packet_;
  bool marker_ = true;
  std::uint64_t frames_ = 0;
};

}  // namespace switchboard::media::rtp
