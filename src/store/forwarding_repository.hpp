// Call forwarding rules an extension set itself (issue 7 §3): one row per
// extension and condition ("always", "busy", "no_answer"); an empty target
// turns that condition off even when the config sets a rule. Removing a
// row brings the config's rule back.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "store/database.hpp"
#include "store/time.hpp"

namespace switchboard::store {

struct ForwardingRecord {
  std::string extension;
  std::string condition;   ///< "always", "busy" or "no_answer"
  std::string target;      ///< "" = off
  std::string updated_by;  ///< who set it ("1001" for a feature code, an API user …)
  Timestamp updated_at{};  ///< set by the repository
};

class ForwardingRepository {
 public:
  explicit ForwardingRepository(Database& db, NowFn now = system_now)
      : db_(db), now_(std::move(now)) {}

  /// Every stored rule, by extension then condition.
  Result<std::vector<ForwardingRecord>> list();
  /// The rules of one extension (empty when it set none).
  Result<std::vector<ForwardingRecord>> of(std::string_view extension);
  /// Inserts or replaces by (extension, condition); returns the stored row.
  /// kInvalidArgument for an empty extension, an unknown condition or a
  /// target over 64 characters.
  Result<ForwardingRecord> set(const ForwardingRecord& record);
  /// kNotFound if there was nothing stored.
  Status remove(std::string_view extension, std::string_view condition);

 private:
  Result<std::vector<ForwardingRecord>> select(const std::string& where, std::vector<Value> params);

  Database& db_;
  NowFn now_;
};

}  // namespace switchboard::store
