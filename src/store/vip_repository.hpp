// The VIP caller database of the requirements (operator console): callers
// whose calls are flagged, prioritised or routed specially.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "store/database.hpp"
#include "store/time.hpp"

namespace switchboard::store {

/// priority_level values of the requirements.
enum VipPriority : int { kVip = 1, kVvip = 2, kExecutive = 3 };

struct VipCaller {
  std::int64_t id = 0;              ///< assigned on create
  std::string caller_id;            ///< at most 20 characters, unique
  std::optional<std::string> name;  ///< at most 255 characters
  int priority_level = kVip;        ///< 1 = VIP, 2 = VVIP, 3 = Executive
  std::optional<std::string> notes;
  std::optional<std::string> special_routing;  ///< extension or queue; at most 50 characters
  std::string created_at;  ///< "YYYY-MM-DDTHH:MM:SSZ" (UTC), set by the repository
  std::string updated_at;  ///< "YYYY-MM-DDTHH:MM:SSZ" (UTC), set by the repository
};

class VipRepository {
 public:
  explicit VipRepository(Database& db, NowFn now = system_now) : db_(db), now_(std::move(now)) {}

  /// kInvalidArgument for priority outside 1–3 or an over-long field;
  /// kAlreadyExists for a caller_id already present.
  Result<VipCaller> create(const VipCaller& vip);
  Result<VipCaller> get(std::int64_t id);
  /// The lookup the router's VIP hook makes for every inbound call.
  Result<VipCaller> find_by_caller_id(std::string_view caller_id);
  /// All VIPs (or those of one priority), highest priority first, then by caller_id.
  Result<std::vector<VipCaller>> list(std::optional<int> priority = std::nullopt);
  /// Replaces the fields of row `vip.id` and sets updated_at.
  Result<VipCaller> update(const VipCaller& vip);
  Status remove(std::int64_t id);

 private:
  Result<VipCaller> fetch_one(std::string_view where, Value key);

  Database& db_;
  NowFn now_;
};

}  // namespace switchboard::store
