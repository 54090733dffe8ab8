// The conference service's own settings (the app layer fills them from
// conference.*, recording.storage_path and the dialplan; this layer does not
// depend on app/).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <string>

#include "common/secret.hpp"

namespace switchboard::features::conference {

/// A room of conference.rooms. A number that is not listed is an open room:
/// no PIN, no moderator.
struct RoomDef {
  std::string name;
  Secret pin;            ///< empty: anyone joins without one
  Secret moderator_pin;  ///< empty: the room has no moderator
};

struct ConferenceOptions {
  /// Callers in one room; the next one hears "conference full".
  std::size_t max_participants = 50;
  /// Record every room while it has parties, into recording_dir.
  bool record = false;
  std::string recording_dir = "recordings/conference";
  std::map<std::string, RoomDef, std::less<>> rooms;
  /// Wrong PINs per call before the caller is sent away.
  int pin_attempts = 3;
  std::chrono::milliseconds pin_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds inter_digit_timeout{std::chrono::seconds(3)};
  /// The wall clock, for recording file names.
  std::function<std::chrono::system_clock::time_point()> now = [] {
    return std::chrono::system_clock::now();
  };
};

}  // namespace switchboard::features::conference
