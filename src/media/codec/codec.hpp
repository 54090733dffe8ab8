// One interface for every audio codec of the media layer (DESIGN.md §5):
// 20 ms frames of 16-bit linear PCM at the codec's own sample rate in, RTP
// payloads out, and back. The names, payload types, clock rates and channel
// counts are those src/sdp negotiates (sdp::default_codecs()).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace switchboard::media {

/// What a codec is on the wire and in memory.
struct CodecInfo {
  std::string_view name;          ///< SDP encoding name: "PCMU", "PCMA", "G722", "opus", "G729"
  int static_payload_type = -1;   ///< RFC 3551 static payload type, -1 for a dynamic one (opus)
  std::uint32_t clock_rate = 0;   ///< RTP clock rate as written in a=rtpmap (G722: 8000)
  std::uint32_t channels = 1;     ///< channel count as written in a=rtpmap (opus: 2)
  std::uint32_t sample_rate = 0;  ///< PCM rate of encode()/decode() (G722: 16000); always mono

  /// PCM samples in one 20 ms frame.
  std::size_t frame_samples() const { return sample_rate / 50; }
  /// RTP timestamp increment of one 20 ms frame.
  std::uint32_t timestamp_step() const { return clock_rate / 50; }
};

/// 20 ms at 48 kHz: the largest frame any codec here takes.
inline constexpr std::size_t kMaxFrameSamples = 960;
/// Room for one encoded 20 ms frame of any codec (opus' hard limit is 1275).
inline constexpr std::size_t kMaxPayloadBytes = 1275;
/// Room for one decoded payload of any codec (opus may carry 120 ms).
inline constexpr std::size_t kMaxDecodedSamples = 5760;

/// An encoder and a decoder of one codec, for one stream. Not thread-safe:
/// one instance belongs to one leg on one media thread.
class Codec {
 public:
  virtual ~Codec() = default;

  virtual const CodecInfo& info() const = 0;

  /// Encodes one 20 ms frame (`pcm.size() == info().frame_samples()`) into
  /// `out` (at least kMaxPayloadBytes); returns the payload size.
  virtual Result<std::size_t> encode(std::span<const std::int16_t> pcm,
                                     std::span<std::uint8_t> out) = 0;

  /// Decodes one RTP payload into `out` (at least kMaxDecodedSamples);
  /// returns the number of samples written.
  virtual Result<std::size_t> decode(std::span<const std::uint8_t> payload,
                                     std::span<std::int16_t> out) = 0;

  /// 20 ms standing in for a lost packet: the codec's own concealment where
  /// it has one (opus, G.729), else a fade of the last frame. `out` holds
  /// at least frame_samples(); returns the number of samples written.
  virtual std::size_t conceal(std::span<std::int16_t> out) = 0;

  /// 20 ms standing in for a lost packet when the packet after it arrived:
  /// opus rebuilds it from that packet's in-band FEC; others conceal().
  virtual std::size_t recover(std::span<const std::uint8_t> next_payload,
                              std::span<std::int16_t> out) {
    (void)next_payload;
    return conceal(out);
  }
};

/// The codecs this layer implements, in sdp::default_codecs() order.
const std::vector<CodecInfo>& supported_codecs();

/// The codec with this encoding name (case-insensitive) and, when not 0,
/// this RTP clock rate; kNotFound when there is none.
Result<const CodecInfo*> find_codec(std::string_view name, std::uint32_t clock_rate = 0);

/// A fresh encoder/decoder pair of the named codec (see find_codec).
Result<std::unique_ptr<Codec>> make_codec(std::string_view name, std::uint32_t clock_rate = 0);

}  // namespace switchboard::media
