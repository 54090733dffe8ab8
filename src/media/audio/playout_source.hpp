// The receive side of a terminating leg as a FrameSource: RTP payloads go in
// (push, from the RTP session on the media thread), 20 ms PCM frames come out
// at the tick (read): jitter buffer → decoder → concealment of what is
// missing (the codec's own PLC when it has one, Concealer otherwise).
// The decoder is an interface so this part does not depend on the codecs;
// the binding to src/media/codec adapts a codec to PayloadDecoder.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "common/result.hpp"
#include "media/audio/concealer.hpp"
#include "media/audio/frame_io.hpp"
#include "media/audio/jitter_buffer.hpp"

namespace switchboard::media::audio {

class PayloadDecoder {
 public:
  virtual ~PayloadDecoder() = default;
  /// Appends the PCM (at pcm_rate()) of one payload.
  virtual Status decode(std::span<const std::uint8_t> payload, std::vector<std::int16_t>& out) = 0;
  /// Appends `samples` of the codec's own concealment (Opus PLC/FEC);
  /// false: the codec has none and the generic Concealer is used.
  virtual bool conceal(std::size_t /*samples*/, std::vector<std::int16_t>& /*out*/) {
    return false;
  }
  virtual int pcm_rate() const = 0;
  /// RTP clock rate (differs from pcm_rate() for G.722: 8000 vs 16000).
  virtual int clock_rate() const { return pcm_rate(); }
};

/// L16 (RFC 3551, network byte order), mono: tests and the L16 payload.
class L16Decoder final : public PayloadDecoder {
 public:
  explicit L16Decoder(int rate) : rate_(rate) {}
  Status decode(std::span<const std::uint8_t> payload, std::vector<std::int16_t>& out) override;
  int pcm_rate() const override { return rate_; }

 private:
  int rate_;
};

/// Encodes PCM as an L16 payload (the inverse of L16Decoder).
std::vector<std::uint8_t> l16_payload(std::span<const std::int16_t> pcm);

class PlayoutSource final : public FrameSource {
 public:
  PlayoutSource(std::unique_ptr<PayloadDecoder> decoder, JitterConfig config = {});

  void push(JitterPacket packet, TimePoint arrival) { buffer_.push(std::move(packet), arrival); }
  /// One tick's frame; false while idle (nothing received yet, long silence).
  bool read(std::span<std::int16_t> frame) override;

  const JitterBuffer& buffer() const { return buffer_; }
  std::uint64_t decode_errors() const { return decode_errors_; }

 private:
  void conceal(std::size_t samples);

  std::unique_ptr<PayloadDecoder> decoder_;
  JitterBuffer buffer_;
  Concealer concealer_;
  std::vector<std::int16_t> fifo_;
  std::vector<std::int16_t> scratch_;
  std::uint64_t decode_errors_ = 0;
};

}  // namespace switchboard::media::audio
