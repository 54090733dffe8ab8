// Presence as the API shows it (issue 9). A person sets available, away or
// dnd (and a note); the PBX derives the rest from live state: an extension
// without a registration is offline, one on a call is busy (unless it set
// dnd, which it keeps). PresenceBook holds the stored settings and what was
// last published per extension, so a change of the derived state (a call
// starts, the phone unregisters) is published once. Core thread only.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "store/presence_repository.hpp"

namespace switchboard::api {

enum class PresenceState { kAvailable, kAway, kDnd, kBusy, kOffline };

const char* to_string(PresenceState s);

/// What the core says about an extension right now.
struct LiveState {
  bool registered = false;
  bool on_call = false;
};

/// The one derivation rule: offline without a registration; dnd stays dnd;
/// otherwise busy on a call; otherwise what the person set (available when
/// they never set anything).
PresenceState derive_presence(const std::optional<store::PresenceRecord>& set, LiveState live);

struct PresenceView {
  std::string extension;
  PresenceState state = PresenceState::kOffline;
  std::optional<store::PresenceRecord> set;  ///< what the person set, if anything
  LiveState live;
  nlohmann::json to_json() const;
};

class PresenceBook {
 public:
  /// Replaces the stored settings (start-up).
  void load(std::vector<store::PresenceRecord> records);
  /// A setting was stored.
  void put(store::PresenceRecord record);
  std::optional<store::PresenceRecord> get(const std::string& extension) const;
  /// The extension was deleted: its setting and published state go.
  void forget(const std::string& extension);

  PresenceView view(const std::string& extension, LiveState live) const;
  /// The view when its state differs from the last one published for the
  /// extension (or `force`), remembering it as published; nullopt otherwise.
  /// An extension never published counts as offline.
  std::optional<PresenceView> changed(const std::string& extension, LiveState live,
                                      bool force = false);

 private:
  std::map<std::string, store::PresenceRecord> set_;
  std::map<std::string, PresenceState> published_;
};

}  // namespace switchboard::api
