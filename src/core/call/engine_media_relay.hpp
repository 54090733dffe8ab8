// The production MediaRelay: a RelaySession of the RTP engine
// (media/rtp/MediaEngine) behind the B2BUA's interface, with each side's
// negotiated SDP stream mapped onto the engine's SideParams.
#pragma once

#include "core/call/media_relay.hpp"
#include "media/audio/moh_service.hpp"
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

  /// Music on hold (null: holds are silent) and the strand recordings write
  /// on (the worker pool); both must outlive the relays.
  void set_music(const media::audio::MohService* moh) { moh_ = moh; }
  void set_recording_post(media::audio::Post run_serial) { run_serial_ = std::move(run_serial); }

 private:
  media::rtp::RelayFactory& engine_;
  media::rtp::LatchMode latch_;
  const media::audio::MohService* moh_ = nullptr;
  media::audio::Post run_serial_;
};

}  // namespace switchboard::core
