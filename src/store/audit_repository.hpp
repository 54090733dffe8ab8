// The audit log: who did what, from where, and when. Append-only by design —
// this interface has no update or delete, so no code path can rewrite
// history (retention, if ever needed, belongs to an operator's SQL job).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "store/database.hpp"
#include "store/page.hpp"
#include "store/time.hpp"

namespace switchboard::store {

struct AuditEntry {
  std::int64_t id = 0;  ///< assigned on append
  Timestamp at{};       ///< set by the repository's clock on append
  std::string actor;    ///< username, "system", or "ext:1001"
  std::string source_ip;
  std::string action;  ///< e.g. "user.create", "call.intercept"
  std::string target;
  std::string details = "{}";  ///< a JSON document
};

/// Every field is optional; the time range is [from, to).
struct AuditFilter {
  std::optional<std::string> actor;
  std::optional<std::string> action;
  std::optional<Timestamp> from;
  std::optional<Timestamp> to;
  std::int64_t limit = 100;
  std::int64_t offset = 0;
};

class AuditRepository {
 public:
  explicit AuditRepository(Database& db, NowFn now = system_now) : db_(db), now_(std::move(now)) {}

  /// Records `entry` (its id and at are ignored) and returns the new id.
  /// kInvalidArgument if actor or action is empty or details is not JSON.
  Result<std::int64_t> append(const AuditEntry& entry);
  /// Matching entries, newest first, and how many match in all.
  Result<Page<AuditEntry>> query(const AuditFilter& filter);

 private:
  Database& db_;
  NowFn now_;
};

}  // namespace switchboard::store
