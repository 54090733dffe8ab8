// What the B2BUA needs from the media engine for a call application
// (call_app.hpp): a terminating RTP leg on loopback that the relay's far
// side sends to, with the media API (play, record, collect digits) on it.
// The production implementation adapts media/app's TerminatingLeg
// (engine_app_media.hpp); unit tests use a fake. Core thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/result.hpp"
#include "media/app/requests.hpp"

namespace switchboard::media::app {
class TerminatingLeg;
}

namespace switchboard::core {

/// The stream as negotiated between the relay's side B and the leg.
struct AppMediaParams {
  std::string remote_address;  ///< the relay's side B (loopback)
  std::uint16_t remote_port = 0;
  std::string codec = "PCMU";  ///< encoding name as in the SDP
  std::uint32_t clock_rate = 8000;
  int payload_type = 0;
  int telephone_event_pt = -1;  ///< -1: digits are detected in-band
  int ptime_ms = 20;
};

class AppMedia {
 public:
  virtual ~AppMedia() = default;
  virtual std::string local_address() const = 0;
  virtual std::uint16_t local_port() const = 0;
  virtual media::app::OpId play(media::app::PlayRequest request) = 0;
  virtual media::app::OpId record(media::app::RecordRequest request) = 0;
  virtual media::app::OpId collect_digits(media::app::CollectRequest request) = 0;
  virtual void stop() = 0;
  /// Stops every request (each completes as kStopped) and returns the ports.
  virtual void close() = 0;
  /// The media leg itself, for what needs more than the media API (a
  /// conference room mixes it: media::app::Conference::add_party). nullptr
  /// once closed, and in fakes.
  virtual media::app::TerminatingLeg* terminating_leg() { return nullptr; }
};

using AppMediaPtr = std::unique_ptr<AppMedia>;

class AppMediaFactory {
 public:
  using EventHandler = std::function<void(const media::app::MediaEvent&)>;
  virtual ~AppMediaFactory() = default;
  /// The address the legs listen on (written into the relay's side B).
  virtual std::string address() const = 0;
  /// A leg for `params`; its events run `on_event` on the core thread.
  /// kUnavailable when out of ports, kInvalidArgument for an unusable codec.
  virtual Result<AppMediaPtr> open(const AppMediaParams& params, EventHandler on_event) = 0;
};

}  // namespace switchboard::core
