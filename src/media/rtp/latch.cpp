#include "media/rtp/latch.hpp"

#include <boost/asio/ip/address.hpp>

namespace switchboard::media::rtp {

std::optional<Endpoint> sdp_endpoint(const std::string& address, std::uint16_t port) {
  if (port == 0 || address.empty()) return std::nullopt;
  boost::system::error_code ec;
  auto addr = boost::asio::ip::make_address(address, ec);
  if (ec || addr.is_unspecified()) return std::nullopt;
  return Endpoint(addr, port);
}

void Latch::configure(const Endpoint& sdp_remote, LatchMode mode, Duration relatch_after) {
  std::optional<Endpoint> sdp;
  if (sdp_remote.port() != 0 && !sdp_remote.address().is_unspecified()) sdp = sdp_remote;
  // A new remote (re-INVITE to another phone, transfer, the core moving a
  // side to a terminating leg on loopback and back — same host, another
  // port) unlatches, so packets go to the new SDP endpoint at once. Compared
  // with the last SDP endpoint that was not a hold: hold (no address) keeps
  // the latch, and a resume to the same endpoint keeps it too (a NAT'd
  // phone's public address needs no new packet).
  if (latched_ && sdp) {
    bool moved = last_sdp_ ? *sdp != *last_sdp_ : sdp->address() != latched_->address();
    if (moved) latched_.reset();
  }
  if (sdp) last_sdp_ = sdp;
  if (mode == LatchMode::kOff) latched_.reset();
  sdp_ = sdp;
  mode_ = mode;
  relatch_after_ = relatch_after;
}

bool Latch::acceptable(const Endpoint& source) const {
  switch (mode_) {
    case LatchMode::kAnyHost:
      return true;
    case LatchMode::kExpectedHost:
      return (sdp_ && sdp_->address() == source.address()) ||
             (latched_ && latched_->address() == source.address());
    case LatchMode::kOff:
      return sdp_ && sdp_->address() == source.address();
  }
  return false;
}

Latch::Verdict Latch::on_packet(const Endpoint& source, TimePoint now) {
  if (latched_ && *latched_ == source) {
    last_from_latched_ = now;
    return Verdict::kAccept;
  }
  if (!acceptable(source)) return Verdict::kIgnore;
  if (mode_ == LatchMode::kOff) return Verdict::kAccept;
  // Exactly the SDP's endpoint wins at once: after a move (transfer, a
  // phone replacing another on the same host) the old phone's last packets
  // may have latched before the new one sent anything.
  const bool from_sdp = sdp_ && source == *sdp_;
  if (latched_ && !from_sdp && now - last_from_latched_ < relatch_after_) return Verdict::kIgnore;
  latched_ = source;
  last_from_latched_ = now;
  return Verdict::kAcceptLatched;
}

std::optional<Endpoint> Latch::destination() const {
  if (!sdp_ && mode_ != LatchMode::kAnyHost) {
    // Hold (0.0.0.0): the remote asked for nothing. With kAnyHost the SDP
    // address is meaningless anyway, so the latched source stands.
    return std::nullopt;
  }
  if (latched_) return latched_;
  return sdp_;
}

}  // namespace switchboard::media::rtp
