// The production RoomMedia: a media::app::Conference on the RTP engine,
// mixing the terminating legs of the parties' calls.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include "features/conference/room_media.hpp"
#include "media/app/conference.hpp"

namespace switchboard::features::conference {

class EngineRoomMediaFactory final : public RoomMediaFactory {
 public:
  /// `options.run_serial`: the worker pool strand for recordings; `core`:
  /// where recording completions are delivered.
  EngineRoomMediaFactory(media::rtp::MediaEngine& engine, media::app::ConferenceOptions options,
                         boost::asio::any_io_executor core)
      : engine_(engine), options_(std::move(options)), core_(std::move(core)) {}

  Result<RoomMediaPtr> create() override;

 private:
  media::rtp::MediaEngine& engine_;
  media::app::ConferenceOptions options_;
  boost::asio::any_io_executor core_;
};

}  // namespace switchboard::features::conference
