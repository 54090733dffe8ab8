// The mixer of one room as the conference logic sees it: parties in and
// out, mute, entry/exit tones, recording. The production implementation
// wraps media::app::Conference (engine_room_media.hpp); unit tests use a
// fake that records what was asked. Core thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/result.hpp"
#include "core/call/call_app.hpp"

namespace switchboard::features::conference {

using PartyId = std::uint32_t;

struct RecordingDone {
  std::string path;
  double seconds = 0;
  Status status;
};

class RoomMedia {
 public:
  virtual ~RoomMedia() = default;
  /// The call of `control` joins the mix (its terminating leg);
  /// kFailedPrecondition when the call has no leg (any more).
  virtual Status add_party(PartyId id, core::AppControl& control) = 0;
  virtual Status remove_party(PartyId id) = 0;
  /// Nobody hears a muted party.
  virtual Status set_muted(PartyId id, bool muted) = 0;
  /// Heard by every party.
  virtual void play_entry_tone() = 0;
  virtual void play_exit_tone() = 0;
  /// What the room hears into a WAV at `path` (crash-safe: <path>.part
  /// until finished); `on_done` on the core thread when the room closes.
  virtual Status start_recording(std::string path,
                                 std::function<void(const RecordingDone&)> on_done) = 0;
};

using RoomMediaPtr = std::unique_ptr<RoomMedia>;

class RoomMediaFactory {
 public:
  virtual ~RoomMediaFactory() = default;
  /// A new, empty room. kUnavailable when the media engine cannot host one.
  virtual Result<RoomMediaPtr> create() = 0;
};

}  // namespace switchboard::features::conference
