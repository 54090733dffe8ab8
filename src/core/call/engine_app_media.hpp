// The production AppMedia: a media/app TerminatingLeg on the RTP engine,
// listening on loopback, bound to the relay's side B of the call.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include "core/call/app_media.hpp"
#include "media/app/terminating_leg.hpp"

namespace switchboard::core {

class EngineAppMediaFactory final : public AppMediaFactory {
 public:
  /// `address`: where the engine's sockets are reached from this host (its
  /// bind address; 127.0.0.1 when it binds every address). `options`:
  /// prompts, speech, the worker pool for recordings, tone region; `core`:
  /// where events are delivered.
  EngineAppMediaFactory(media::rtp::MediaEngine& engine, std::string address,
                        media::app::TerminatingLeg::Options options,
                        boost::asio::any_io_executor core)
      : engine_(engine),
        address_(std::move(address)),
        options_(std::move(options)),
        core_(std::move(core)) {}

  std::string address() const override { return address_; }
  Result<AppMediaPtr> open(const AppMediaParams& params, EventHandler on_event) override;

 private:
  media::rtp::MediaEngine& engine_;
  std::string address_;
  media::app::TerminatingLeg::Options options_;
  boost::asio::any_io_executor core_;
};

}  // namespace switchboard::core
