// One conference room's membership (issue 7 §6): who is in, who is a
// moderator, who is muted, whether the room is locked — and its mixer
// (RoomMedia), which it keeps in step. No media or SIP here: the rules only,
// unit-tested against a fake mixer. Core thread only.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "features/conference/room_media.hpp"

namespace switchboard::features::conference {

/// What the room asks of a party's application.
class Member {
 public:
  virtual ~Member() = default;
  /// A moderator removed this party; it is out of the room already.
  virtual void on_kicked() = 0;
};

struct Party {
  PartyId id = 0;
  std::string call_id;
  std::string caller;
  bool moderator = false;
  bool muted = false;
  Member* member = nullptr;
};

enum class JoinResult { kJoined, kFull, kLocked, kError };
const char* to_string(JoinResult r);

class Room {
 public:
  Room(std::string number, RoomMediaPtr media, std::size_t max_participants)
      : number_(std::move(number)), media_(std::move(media)), max_(max_participants) {}

  /// Full (max_participants) refuses everyone, locked everyone but
  /// moderators; otherwise the call's leg joins the mix and the room hears
  /// the entry tone. kError when the leg cannot join.
  JoinResult join(Party party, core::AppControl& control);
  /// Out of the mix; the others hear the exit tone. False if not in.
  bool leave(PartyId id);

  /// Toggles the party's own mute; the new state (nullopt: not in the room).
  std::optional<bool> toggle_muted(PartyId id);
  /// Moderator: mutes every other party that is not a moderator, or (when
  /// they are muted already) unmutes them. The new state.
  bool toggle_mute_all(PartyId by);
  /// Moderator: new parties (but moderators) are refused. The new state.
  bool toggle_lock();
  /// Moderator: the party that joined last, not a moderator and not `by`,
  /// leaves the room; it is returned (its member must still be told).
  std::optional<Party> kick_last(PartyId by);

  const Party* find(PartyId id) const;
  const std::string& number() const { return number_; }
  const std::vector<Party>& parties() const { return parties_; }  ///< in joining order
  std::size_t size() const { return parties_.size(); }
  bool empty() const { return parties_.empty(); }
  bool locked() const { return locked_; }
  bool all_muted() const { return all_muted_; }
  RoomMedia& media() { return *media_; }

 private:
  std::string number_;
  RoomMediaPtr media_;
  std::size_t max_;
  std::vector<Party> parties_;
  bool locked_ = false;
  bool all_muted_ = false;
};

}  // namespace switchboard::features::conference
