// The production MediaRelay: a RelaySession of the RTP engine
// (media/rtp/MediaEngine) behind the B2BUA's interface, with each side's
// negotiated SDP stream mapped onto the engine's SideParams.
#pragma once

#include "core/call/media_relay.hpp"
#include "media/rtp/relay_session.hpp"

namespace switchboard::core {

/// The engine's view of one negotiated stream.
media::rtp::SideParams side_params(const sdp::StreamParams& stream, media::rtp::LatchMode latch);

class EngineMediaRelayFactory final : public MediaRelayFactory {
 public:
  explicit EngineMediaRelayFactory(
      media::rtp::RelayFactory& engine,
      media::rtp::LatchMode latch = media::rtp::LatchMode::kExpectedHost)
      : engine_(engine), latch_(latch) {}

  Result<MediaRelayPtr> open(DeadPeer dead_peer) override;

 private:
  media::rtp::RelayFactory& engine_;
  media::rtp::LatchMode latch_;
};

}  // namespace switchboard::core
