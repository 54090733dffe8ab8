// Symmetric RTP (latching) for one socket of one side: which sources are
// accepted and where packets to that side go. Pure logic, time passed in.
//
//   not latched ── packet from an acceptable source ──▶ latched(source)
//   latched ── packet from another acceptable source after the latched one
//              was silent for relatch_after, or at once from exactly the
//              SDP's endpoint ──▶ latched(new source)
//   configure() with another remote address, or another port of the last
//   SDP host (a side moved to a terminating leg on loopback) ──▶ not latched
//
// Acceptable: kExpectedHost — the SDP's host (any port, a NAT rewrites it)
// or the latched host; kAnyHost — anyone; kOff — the SDP's host, never latched.
#pragma once

#include <boost/asio/ip/udp.hpp>
#include <optional>

#include "common/timers.hpp"
#include "media/rtp/relay_types.hpp"

namespace switchboard::media::rtp {

using Endpoint = boost::asio::ip::udp::endpoint;

class Latch {
 public:
  enum class Verdict : std::uint8_t { kAccept, kAcceptLatched, kIgnore };

  /// The remote from the SDP (unspecified address or port 0: none).
  void configure(const Endpoint& sdp_remote, LatchMode mode, Duration relatch_after);

  /// A packet arrived from `source`: accept it (kAcceptLatched when it
  /// (re)latched) or ignore it.
  Verdict on_packet(const Endpoint& source, TimePoint now);

  /// Where packets for this side go now: the latched source, else the SDP
  /// remote; nullopt when neither (hold with 0.0.0.0, not yet known).
  std::optional<Endpoint> destination() const;

  bool latched() const { return latched_.has_value(); }
  const std::optional<Endpoint>& latched_endpoint() const { return latched_; }

 private:
  bool acceptable(const Endpoint& source) const;

  std::optional<Endpoint> sdp_;
  std::optional<Endpoint> last_sdp_;  // the last SDP endpoint that was not a hold
  std::optional<Endpoint> latched_;
  LatchMode mode_ = LatchMode::kExpectedHost;
  Duration relatch_after_{2000};
  TimePoint last_from_latched_{};
};

/// The endpoint an SDP gives, or nullopt for 0.0.0.0 / :: / port 0 / garbage.
std::optional<Endpoint> sdp_endpoint(const std::string& address, std::uint16_t port);

}  // namespace switchboard::media::rtp
