// DTMF seen on the way through a relay (issue 7 §2, feature codes): one
// side's RFC 4733 telephone-events (each event reported once, at its end:
// Rfc4733Receiver dedups by timestamp and end-packet repeats) and, when the
// side negotiated no telephone-event, in-band tones in its G.711 audio
// (the Goertzel DtmfDetector the terminating legs use) — the latter only
// when asked for, as it costs several times the relay's own work per packet.
// The relay keeps one per side only while detection is on. Not thread-safe
// (the relay's lock).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "media/dsp/dtmf_detector.hpp"
#include "media/dsp/rfc4733_receiver.hpp"
#include "media/rtp/relay_types.hpp"
#include "media/rtp/rtp_packet.hpp"

namespace switchboard::media::rtp {

class DigitTap {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  /// `tones`: also search the G.711 audio of a side without telephone-event.
  explicit DigitTap(bool tones = true) : tones_(tones) {}
  bool tones() const { return tones_; }

  /// The side's negotiated formats (its payload types); again on re-offers
  /// and when another phone takes the side (a transfer).
  void configure(const SideParams& params);

  /// One accepted RTP packet from the side; ended digits go to `out`.
  void on_rtp(const RtpHeader& header, std::span<const std::uint8_t> payload, TimePoint now,
              std::vector<char>& out);
  /// Time passing: an event whose end packets were all lost ends.
  void on_tick(TimePoint now, std::vector<char>& out);

 private:
  enum class Law : std::uint8_t { kNone, kUlaw, kAlaw };
  void take(std::vector<char>& out);

  bool tones_;
  std::optional<std::uint32_t> ssrc_;  // of the last event: a new stream starts afresh
  int event_pt_ = -1;                  // telephone-event payload type, -1: none (in-band)
  std::array<Law, 128> law_{};         // G.711 payload types of the side
  dsp::Rfc4733Receiver rfc4733_;
  dsp::DtmfDetector inband_{8000};
  std::vector<dsp::DtmfReport> reports_;
  std::vector<std::int16_t> pcm_;
};

}  // namespace switchboard::media::rtp
