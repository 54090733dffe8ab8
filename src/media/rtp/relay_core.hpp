// The packet logic of a two-sided relay, apart from sockets and threads so
// unit tests drive it in virtual time: latching, direction, payload-type
// routing (renumbering, G.711 transcoding), counters, dead-peer detection.
// Not thread-safe; the session calls it on its media thread under its lock.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "common/timers.hpp"
#include "media/rtp/call_recorder.hpp"
#include "media/rtp/digit_tap.hpp"
#include "media/rtp/latch.hpp"
#include "media/rtp/payload_map.hpp"
#include "media/rtp/receive_stats.hpp"
#include "media/rtp/relay_session.hpp"

namespace switchboard::media::rtp {

/// Where a packet goes after the relay accepted it.
struct Outbound {
  Side to = Side::kA;
  Endpoint destination;
  bool via_rtp_socket = true;  ///< RTP, or RTCP on a multiplexed side
};

/// A DTMF digit one side sent (ended), seen on the way through.
struct DigitEvent {
  Side side;
  char digit;
  bool operator==(const DigitEvent&) const = default;
};

struct LatchEvent {
  Side side;
  Endpoint source;
  bool rtcp = false;
};

class RelayCore {
 public:
  explicit RelayCore(RelayOptions options) : options_(options) {}

  void configure(Side side, SideParams params, TimePoint now);
  bool configured(Side side) const { return sides_[index(side)].configured; }

  /// An RTP packet from `from`'s remote; may rewrite it in place (payload
  /// type, G.711 payload). nullopt: dropped (counted).
  std::optional<Outbound> on_rtp(Side from, std::span<std::uint8_t> packet, const Endpoint& source,
                                 TimePoint now);
  /// An RTCP packet; `on_rtp_port` when it came in on the RTP socket (mux).
  std::optional<Outbound> on_rtcp(Side from, std::span<const std::uint8_t> packet,
                                  const Endpoint& source, TimePoint now, bool on_rtp_port);
  /// Counts a packet handed to the kernel for `out.to`.
  void on_sent(const Outbound& out, std::size_t bytes, bool rtcp);
  /// A packet on_sent() counted that the kernel refused (buffer full,
  /// unreachable): un-counts it and counts it as dropped on its way.
  void on_unsent(const Outbound& out, std::size_t bytes, bool rtcp);
  /// A datagram from `from` dropped before the logic saw it (truncated).
  void on_dropped(Side from);

  /// While set, RTP from the other side is not forwarded toward `toward`
  /// (counted as `suppressed`): the session injects its own audio there.
  void set_injecting(Side toward, bool on) { sides_[index(toward)].injecting = on; }
  bool injecting(Side toward) const { return sides_[index(toward)].injecting; }
  /// Where injected RTP toward `side` goes now; nullopt when the side is not
  /// configured, does not receive (holds us, inactive) or has no address.
  std::optional<Endpoint> injection_destination(Side side) const;
  /// Counts an injected packet sent toward `side`.
  void on_injected(Side side, std::size_t bytes);
  const SideParams* params(Side side) const {
    return sides_[index(side)].configured ? &sides_[index(side)].params : nullptr;
  }

  /// Every accepted RTP packet also goes to `recorder` (before transcoding);
  /// null stops. The recorder is configured with each side's codecs.
  void set_recorder(CallRecorder* recorder);

  /// DTMF detection on both sides (RFC 4733 events; with kEventsAndTones
  /// also in-band tones in G.711 when a side negotiated no telephone-event).
  /// Off by default: the packet path then does no more than before.
  void set_digit_detection(DigitDetection mode);
  /// Digits ended since the last call (the RFC 4733 timeout included).
  std::vector<DigitEvent> take_digits(TimePoint now);

  /// Sides silent past dead_peer_timeout while expected to send; each
  /// silence is reported once.
  std::vector<Side> take_dead_sides(TimePoint now);
  std::vector<LatchEvent> take_latch_events();

  RelayStats stats() const;
  const RelayOptions& options() const { return options_; }

 private:
  struct SideState {
    bool configured = false;
    SideParams params;
    Latch rtp_latch;
    Latch rtcp_latch;
    std::optional<Endpoint> sdp_rtcp;
    ReceiveStats recv;
    SideStats counters;  // in/out/dropped/peer report; the rest is derived
    TimePoint last_activity{};
    bool dead_reported = false;
    std::uint32_t peer_clock = 8000;
    bool injecting = false;
    std::unique_ptr<DigitTap> digits;  // set while detection is on
  };

  bool expected_to_send(const SideState& s) const;
  std::optional<Endpoint> rtcp_destination(const SideState& s) const;
  void rebuild_maps();

  RelayOptions options_;
  SideState sides_[2];
  PayloadMap maps_[2]{};  // maps_[i]: packets from side i
  std::vector<LatchEvent> latch_events_;
  std::vector<DigitEvent> digit_events_;
  std::vector<char> digit_scratch_;
  std::uint64_t transcoded_ = 0;
  CallRecorder* recorder_ = nullptr;
};

}  // namespace switchboard::media::rtp
