// The audio of a relayed call as one recording: what each side sends is
// decoded (the side's negotiated codecs), converted to the recording rate
// and queued per side; tick() (one 20 ms frame, on the media thread's frame
// clock) takes one frame from each queue — silence for a side that sent
// nothing — and mixes them (mono) or puts each side in its own channel
// (stereo: A = caller left, B = callee right). Alignment: both sides are
// consumed on the same ticks; a timestamp jump (lost packets, silence
// suppression) is filled with silence; a backlog past kMaxBacklogFrames
// (a burst after a stall) is trimmed so the two directions never drift
// apart by more than that. Pure logic, no I/O: the session hands the frames
// to an AsyncWavWriter. Not thread-safe: the media thread owns it.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "media/codec/codec.hpp"
#include "media/codec/resampler.hpp"
#include "media/rtp/relay_types.hpp"
#include "media/rtp/rtp_packet.hpp"

namespace switchboard::media::rtp {

enum class RecordingMode : std::uint8_t {
  kMixed,   ///< both parties in one mono channel
  kStereo,  ///< left: side A (caller), right: side B (callee)
};

class CallRecorder {
 public:
  static constexpr std::size_t kMaxBacklogFrames = 10;  ///< 200 ms
  static constexpr std::size_t kTrimToFrames = 2;

  /// `rate`: 8000, 16000 or 48000.
  CallRecorder(RecordingMode mode, int rate);
  ~CallRecorder();

  /// The side's codecs (from its SDP); packets of other payload types
  /// (telephone-event, comfort noise) are not recorded.
  void configure(Side side, const SideParams& params);
  /// An RTP packet the relay accepted from `from` (before any transcoding).
  void on_rtp(Side from, const RtpHeader& header, std::span<const std::uint8_t> payload);
  /// One 20 ms frame of the recording: frame_samples(rate) samples (mono)
  /// or twice that, interleaved (stereo). Valid until the next call.
  std::span<const std::int16_t> tick();

  int rate() const { return rate_; }
  int channels() const { return mode_ == RecordingMode::kStereo ? 2 : 1; }
  std::uint64_t frames() const { return frames_; }
  /// Samples of silence inserted for timestamp gaps, per side (for tests).
  std::uint64_t gap_samples(Side side) const { return sides_[index(side)].gap_samples; }

 private:
  struct Decoder {
    int payload_type;
    std::uint32_t clock_rate;
    std::unique_ptr<Codec> codec;
    std::optional<Resampler> resampler;  // codec rate → recording rate, when they differ
  };
  struct SideState {
    std::vector<Decoder> decoders;
    std::deque<std::int16_t> queue;
    std::optional<std::uint32_t> next_timestamp;
    std::uint32_t ssrc = 0;
    std::uint64_t gap_samples = 0;
    std::size_t underrun = 0;  // silence ticks wrote since the last packet
  };
  Decoder* decoder_for(SideState& s, int payload_type);
  void take_frame(SideState& s, std::span<std::int16_t> out);

  RecordingMode mode_;
  int rate_;
  std::size_t frame_;
  SideState sides_[2];
  std::vector<std::int16_t> decoded_, converted_, a_, b_, out_;
  std::uint64_t frames_ = 0;
};

}  // namespace switchboard::media::rtp
