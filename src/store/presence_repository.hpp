// Presence a person set for their extension (issue 9): available, away or
// do-not-disturb, and a note. What the PBX derives itself (busy on a call,
// offline without a registration) is not stored: the API computes it from
// the live registrar and call state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "store/database.hpp"
#include "store/time.hpp"

namespace switchboard::store {

enum class PresenceStatus { kAvailable, kAway, kDnd };

const char* to_string(PresenceStatus s);  ///< "available", "away", "dnd"
std::optional<PresenceStatus> presence_status_from(std::string_view text);

struct PresenceRecord {
  std::string extension;
  PresenceStatus status = PresenceStatus::kAvailable;
  std::string note;
  std::string updated_by;  ///< the audit actor who set it
  Timestamp updated_at{};  ///< set by the repository
};

class PresenceRepository {
 public:
  explicit PresenceRepository(Database& db, NowFn now = system_now)
      : db_(db), now_(std::move(now)) {}

  /// Every stored record, ordered by extension.
  Result<std::vector<PresenceRecord>> list();
  /// kNotFound when the extension never set its presence.
  Result<PresenceRecord> get(std::string_view extension);
  /// Inserts or replaces by extension; returns the stored record.
  /// kInvalidArgument for an empty extension or a note over 256 characters.
  Result<PresenceRecord> set(const PresenceRecord& record);
  /// kNotFound if there was nothing stored.
  Status remove(std::string_view extension);

 private:
  Database& db_;
  NowFn now_;
};

}  // namespace switchboard::store
