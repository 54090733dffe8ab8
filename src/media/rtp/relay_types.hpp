// What the core tells a relay about each of its two sides (from the SDP that
// side negotiated) and what the relay reports back (quality counters).
// Plain values, no dependency on the SDP layer: the core maps
// sdp::StreamParams onto SideParams.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace switchboard::media::rtp {

/// The two legs of a relay: A is the caller's leg, B the callee's.
enum class Side : std::uint8_t { kA = 0, kB = 1 };

inline constexpr Side other(Side s) {
  return s == Side::kA ? Side::kB : Side::kA;
}
inline constexpr std::size_t index(Side s) {
  return static_cast<std::size_t>(s);
}
const char* to_string(Side s);

/// The stream direction as the remote party of that side declared it in its
/// SDP (a=sendrecv/sendonly/recvonly/inactive). kSendOnly: the remote sends
/// and does not want to receive (it holds us).
enum class Direction : std::uint8_t { kSendRecv, kSendOnly, kRecvOnly, kInactive };

inline constexpr bool remote_sends(Direction d) {
  return d == Direction::kSendRecv || d == Direction::kSendOnly;
}
inline constexpr bool remote_receives(Direction d) {
  return d == Direction::kSendRecv || d == Direction::kRecvOnly;
}

/// Symmetric RTP (NAT): where packets to a side go.
enum class LatchMode : std::uint8_t {
  /// Send to the source of the first packet from the host the SDP named
  /// (any port: a NAT rewrites ports); packets from other hosts are ignored.
  kExpectedHost,
  /// Send to the source of the first packet from anywhere (the SDP carries a
  /// private address the PBX cannot reach). Use for extensions behind NAT.
  kAnyHost,
  /// Never latch: send to the SDP address; accept packets from its host only.
  kOff,
};

/// What a relay watches for DTMF (RelaySession::set_digit_detection).
/// kEvents parses RFC 4733 telephone-events only: a payload-type compare per
/// packet. kEventsAndTones also runs the Goertzel detector over the G.711
/// audio of a side that negotiated no telephone-event, several times the
/// relay's own per-packet work (docs/PERFORMANCE.md, RTP relay).
enum class DigitDetection : std::uint8_t { kOff, kEvents, kEventsAndTones };

/// One payload format of a side, as negotiated on that side's leg.
struct PayloadFormat {
  int payload_type = 0;  ///< 0..127, this leg's number
  std::string name;      ///< "PCMU", "PCMA", "opus", "telephone-event", ...
  std::uint32_t clock_rate = 8000;
  std::uint32_t channels = 1;
  bool operator==(const PayloadFormat&) const = default;
};

/// How one side is set up; sent by the core thread with RelaySession::configure()
/// after each offer/answer (initial, re-INVITE, UPDATE, hold/resume).
struct SideParams {
  /// Where the remote wants RTP; "0.0.0.0"/"::" or port 0 (hold, not yet
  /// known) means: send nothing until a packet latches an address.
  std::string remote_address;
  std::uint16_t remote_rtp_port = 0;
  std::uint16_t remote_rtcp_port = 0;  ///< 0: remote_rtp_port + 1
  bool rtcp_mux = false;               ///< RTCP shares the RTP port on this leg (RFC 5761)
  /// Agreed codecs, this leg's payload types; the first is the one the
  /// remote sends and receives. Telephone-event is given apart.
  std::vector<PayloadFormat> codecs;
  std::optional<PayloadFormat> telephone_event;  ///< RFC 4733 on this leg
  Direction direction = Direction::kSendRecv;
  LatchMode latch = LatchMode::kExpectedHost;
};

/// Quality counters of one side. "in" is what the side's remote sent to us,
/// "out" what we sent to it.
struct SideStats {
  std::uint64_t rtp_packets_in = 0;
  std::uint64_t rtp_bytes_in = 0;  ///< RTP packet bytes (header + payload)
  std::uint64_t rtp_packets_out = 0;
  std::uint64_t rtp_bytes_out = 0;
  std::uint64_t rtcp_packets_in = 0;
  std::uint64_t rtcp_packets_out = 0;
  /// Packets received but not forwarded: unexpected source, malformed, the
  /// other side not configured or not receiving, unknown payload type.
  std::uint64_t dropped = 0;
  /// Packets from this side not forwarded because the relay injected its
  /// own audio toward the other side (music on hold, an announcement).
  std::uint64_t suppressed = 0;
  /// Of rtp_packets_out: packets the relay injected toward this side.
  std::uint64_t rtp_packets_injected = 0;
  /// RFC 3550 A.3 over every SSRC this side used: expected - received
  /// (duplicates can make a source's count negative; clamped at 0 per source).
  std::uint64_t lost = 0;
  std::uint64_t expected = 0;
  /// RFC 3550 A.8 interarrival jitter of what this side sends, computed by us.
  double jitter_ms = 0;
  std::uint32_t ssrc = 0;          ///< last SSRC seen from this side
  std::uint32_t ssrc_changes = 0;  ///< new SSRC after the first (re-INVITE, restart)
  bool latched = false;
  std::string latched_address;  ///< where we send RTP to this side, once latched
  std::uint16_t latched_port = 0;
  /// From this side's RTCP SR/RR (its view of what it receives from us).
  bool peer_report = false;
  double peer_fraction_lost = 0;  ///< 0..1, last report
  std::int64_t peer_cumulative_lost = 0;
  double peer_jitter_ms = 0;
};

/// A snapshot for the call record; sides indexed by index(Side).
struct RelayStats {
  SideStats side[2];
  const SideStats& a() const { return side[0]; }
  const SideStats& b() const { return side[1]; }
  /// Packets that crossed the relay transcoded (PCMU <-> PCMA).
  std::uint64_t transcoded_packets = 0;
};

}  // namespace switchboard::media::rtp
