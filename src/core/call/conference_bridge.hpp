// What the B2BUA needs from a conference feature for three-way calling
// (issue 7 §6): an ad-hoc room and the call application that puts a call
// into it. The conference feature implements it (features/conference,
// ConferenceService); the core does not know rooms. Core thread only.
#pragma once

#include <string>

#include "core/call/call_app.hpp"

namespace switchboard::core {

class ConferenceBridge {
 public:
  virtual ~ConferenceBridge() = default;
  /// A new unlisted room, open, without PIN; it lives while someone is in it.
  virtual std::string create_room() = 0;
  /// The application that joins a call to `room` at once (no PIN, no prompt).
  virtual CallAppPtr party_app(const std::string& room) = 0;
};

}  // namespace switchboard::core
