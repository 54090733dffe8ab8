// A media relay between the two legs of a call (DESIGN.md §2 "Bridge", two
// legs: packet relay, no decoding). Created by a RelayFactory (the
// MediaEngine) on the core thread; runs on one media thread.
//
//   core thread                        media thread
//   create_relay() ── binds 2x(RTP, RTCP) ──▶ reads both sides
//   configure(kA, sdp of leg A) ─ post ──▶ PT map, latching, direction
//   configure(kB, ...)          ─ post ──▶ forwards A <-> B
//   stats()  (any thread, a snapshot)
//   close()  ── post ──▶ sockets closed, ports back to the pool
//   ◀── callbacks (on_dead_peer, ...) posted to the core executor
//
// Forwarding: payload types are rewritten when the legs numbered the same
// codec (or telephone-event) differently; PCMU <-> PCMA is transcoded; SSRC,
// sequence numbers and timestamps pass unchanged (a new SSRC after a
// re-INVITE or a phone restart is forwarded as is). RTCP is relayed.
//
// Design hook: a side is "a network endpoint with a packet path"; a later
// terminating session (IVR, voicemail, MOH) pairs one network side with an
// application side that reads/writes decoded frames, and SRTP becomes a
// transform on a side's packet path. Neither exists yet.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "media/rtp/relay_types.hpp"

namespace switchboard::media::rtp {

/// Notifications from the media thread, each run on the core executor and
/// never after close() was called.
struct RelayCallbacks {
  /// No RTP from `side` for RelayOptions::dead_peer_timeout while that side
  /// was expected to send (sendrecv/sendonly, not on hold). Fires once per
  /// silence; again only after RTP resumed or the side was reconfigured.
  std::function<void(Side side)> on_dead_peer;
  /// The side latched (or re-latched) to the source address it sends from.
  std::function<void(Side side, const std::string& address, std::uint16_t port)> on_latched;
};

struct RelayOptions {
  /// 0 disables dead-peer detection.
  std::chrono::milliseconds dead_peer_timeout{std::chrono::seconds(30)};
  /// A latched side may move to a new source (same host for kExpectedHost)
  /// after the latched one has been silent this long (phone restarted its
  /// stream, NAT rebinding).
  std::chrono::milliseconds relatch_after{std::chrono::seconds(2)};
};

/// One relayed call's media. Thread-safe: every member may be called from
/// any thread (the core thread in practice).
class RelaySession {
 public:
  virtual ~RelaySession() = default;

  /// Our RTP port for `side` (the port written into that leg's SDP); RTCP
  /// is this + 1. Valid until close().
  virtual std::uint16_t local_port(Side side) const = 0;
  /// The address the sockets are bound to.
  virtual std::string local_address() const = 0;

  /// (Re)configures one side from its negotiated SDP. Takes effect on the
  /// media thread shortly after; a new remote address resets latching.
  virtual void configure(Side side, SideParams params) = 0;

  /// A consistent snapshot of both sides' counters (for the CDR).
  virtual RelayStats stats() const = 0;

  /// Stops relaying, closes the sockets and returns the ports to the pool.
  /// Idempotent; also done by the destructor of the last reference.
  virtual void close() = 0;
  virtual bool closed() const = 0;
};

using RelaySessionPtr = std::shared_ptr<RelaySession>;

/// Makes relays; the MediaEngine is the real one, tests of the core may use
/// a fake.
class RelayFactory {
 public:
  virtual ~RelayFactory() = default;
  /// Allocates two RTP/RTCP port pairs and binds them. kUnavailable when the
  /// port range is exhausted or the engine is stopped.
  /// `options`: nullopt takes the factory's defaults.
  virtual Result<RelaySessionPtr> create_relay(
      RelayCallbacks callbacks, std::optional<RelayOptions> options = std::nullopt) = 0;
};

}  // namespace switchboard::media::rtp
