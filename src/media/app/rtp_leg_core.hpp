// The packet logic of a terminating RTP leg (IVR, voicemail, MOH, a
// conference party), without sockets, time passed in, so it runs in tests:
//   receive  RTP → symmetric-RTP latch → telephone-event → Rfc4733Receiver →
//            MediaSession::on_digit; the codec's payloads → PlayoutSource
//            (jitter buffer, decoder, concealment); RTCP (rtcp-mux) dropped
//   send     each 20 ms frame the FrameClock reports due: PlayoutSource →
//            MediaSession::tick → encode → RTP (own SSRC, sequence, the
//            codec's clock for timestamps, ptime/20 frames a packet) → to the
//            latched source, else the SDP's address
// The send side's state: kTalking (packets going out) or kSilent (nothing
// sent: the remote holds us, or the application plays nothing and
// send_silence is off); the first packet after kSilent carries the marker.
// Not thread-safe: one media thread owns it.
#pragma once

#include <functional>
#include <memory>
#include <random>
#include <span>
#include <vector>

#include "media/app/leg_params.hpp"
#include "media/app/media_session.hpp"
#include "media/audio/playout_source.hpp"
#include "media/codec/codec.hpp"
#include "media/dsp/rfc4733_receiver.hpp"
#include "media/mixer/frame_clock.hpp"
#include "media/rtp/latch.hpp"

namespace switchboard::media::app {

struct LegStats {
  std::uint64_t packets_received = 0;  ///< audio and telephone-event packets accepted
  std::uint64_t packets_ignored = 0;   ///< not from the remote, malformed, unknown payload type
  std::uint64_t digits = 0;            ///< RFC 4733 digits passed to the session
  std::uint64_t packets_sent = 0;
  std::uint64_t frames = 0;  ///< 20 ms ticks of the session
  audio::JitterStats jitter{};
};

class RtpLegCore {
 public:
  using Send = std::function<void(std::span<const std::uint8_t> packet, const rtp::Endpoint& to)>;

  /// The codec `params` names, after checking the payload types.
  /// kInvalidArgument / kNotFound when the leg cannot be built.
  static Result<const CodecInfo*> check(const LegParams& params);

  /// `session` must tick at the codec's PCM rate (check()->sample_rate).
  /// `seed` chooses SSRC, first sequence number and timestamp.
  static Result<std::unique_ptr<RtpLegCore>> create(const LegParams& params,
                                                    const LegBehaviour& behaviour,
                                                    std::shared_ptr<MediaSession> session,
                                                    std::uint32_t seed);

  /// Whether a new offer/answer can go to a running leg: the same codec,
  /// clock rate and payload type (the core makes a new leg otherwise).
  static Status check_update(const LegParams& current, const LegParams& next);
  /// Applies a new offer/answer (hold, resume, another remote address or
  /// port, ptime, telephone-event); see check_update().
  Status update(const LegParams& params);

  /// The first frame is due 20 ms after `now`.
  void start(TimePoint now);
  /// A datagram that arrived on the leg's RTP socket from `from`.
  void on_packet(std::span<const std::uint8_t> data, const rtp::Endpoint& from, TimePoint now);
  /// Runs the frames due by `now`; `send` gets each packet to send.
  void on_tick(TimePoint now, const Send& send);

  LegStats stats() const;
  std::uint32_t ssrc() const { return ssrc_; }
  const MediaSession& session() const { return *session_; }

 private:
  enum class SendState { kSilent, kTalking };

  RtpLegCore(const LegParams& params, const LegBehaviour& behaviour,
             std::shared_ptr<MediaSession> session, std::unique_ptr<Codec> encoder,
             std::unique_ptr<Codec> decoder, std::uint32_t seed);
  void apply(const LegParams& params);
  void run_frame(const Send& send);
  void flush(const Send& send);
  std::uint32_t payload_duration(std::size_t bytes) const;

  LegParams params_;
  LegBehaviour behaviour_;
  std::shared_ptr<MediaSession> session_;
  std::unique_ptr<Codec> encoder_;
  const CodecInfo& info_;
  audio::PlayoutSource playout_;
  dsp::Rfc4733Receiver rfc4733_;
  mixer::FrameClock clock_;
  rtp::Latch latch_;
  int frames_per_packet_ = 1;

  SendState send_state_ = SendState::kSilent;
  std::uint32_t ssrc_ = 0;
  std::uint16_t seq_ = 0;
  std::uint32_t timestamp_ = 0;  // of the next frame
  std::uint32_t packet_timestamp_ = 0;
  int frames_in_packet_ = 0;
  bool marker_ = true;

  std::vector<std::int16_t> in_, out_;
  std::vector<std::uint8_t> payload_, packet_;
  std::vector<dsp::DtmfReport> reports_;
  LegStats stats_;
};

}  // namespace switchboard::media::app
