#include "features/conference/room.hpp"

#include <algorithm>

#include "common/log.hpp"

namespace switchboard::features::conference {

const char* to_string(JoinResult r) {
  switch (r) {
    case JoinResult::kJoined:
      return "joined";
    case JoinResult::kFull:
      return "full";
    case JoinResult::kLocked:
      return "locked";
    case JoinResult::kError:
      return "error";
  }
  return "?";
}

JoinResult Room::join(Party party, core::AppControl& control) {
  if (parties_.size() >= max_) return JoinResult::kFull;
  if (locked_ && !party.moderator) return JoinResult::kLocked;
  if (auto st = media_->add_party(party.id, control); !st.ok()) {
    log::get("conference")
        ->warn("room {}: call {} cannot join: {}", number_, party.call_id, st.error().message);
    return JoinResult::kError;
  }
  // Joining a room whose parties are all muted: muted too, as they are.
  if (all_muted_ && !party.moderator) {
    party.muted = true;
    (void)media_->set_muted(party.id, true);
  }
  parties_.push_back(std::move(party));
  media_->play_entry_tone();
  return JoinResult::kJoined;
}

bool Room::leave(PartyId id) {
  auto it =
      std::find_if(parties_.begin(), parties_.end(), [id](const Party& p) { return p.id == id; });
  if (it == parties_.end()) return false;
  (void)media_->remove_party(id);
  parties_.erase(it);
  if (!parties_.empty()) media_->play_exit_tone();
  return true;
}

std::optional<bool> Room::toggle_muted(PartyId id) {
  for (auto& p : parties_) {
    if (p.id != id) continue;
    p.muted = !p.muted;
    (void)media_->set_muted(id, p.muted);
    return p.muted;
  }
  return std::nullopt;
}

bool Room::toggle_mute_all(PartyId by) {
  all_muted_ = !all_muted_;
  for (auto& p : parties_) {
    if (p.id == by || p.moderator) continue;
    p.muted = all_muted_;
    (void)media_->set_muted(p.id, p.muted);
  }
  return all_muted_;
}

bool Room::toggle_lock() {
  locked_ = !locked_;
  return locked_;
}

std::optional<Party> Room::kick_last(PartyId by) {
  for (auto it = parties_.rbegin(); it != parties_.rend(); ++it) {
    if (it->id == by || it->moderator) continue;
    Party out = *it;
    leave(out.id);
    return out;
  }
  return std::nullopt;
}

const Party* Room::find(PartyId id) const {
  for (const auto& p : parties_) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

}  // namespace switchboard::features::conference
