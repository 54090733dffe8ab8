// Registrar bindings (issue 4 §2): the store is the truth across restarts,
// the registrar's memory the fast path. One row per (extension, binding key);
// times are ISO-8601 UTC text like every table of ours.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "store/database.hpp"
#include "store/time.hpp"

namespace switchboard::store {

struct StoredBinding {
  std::string aor;
  std::string binding_key;
  std::string contact;
  std::string instance;
  std::int64_t reg_id = 0;
  std::string call_id;
  std::int64_t cseq = 0;
  int q = 1000;
  std::string path;  ///< Path values joined by ","
  std::string user_agent;
  std::string transport;  ///< "UDP", "TCP", "TLS"
  std::string source_ip;
  int source_port = 0;
  Timestamp expires_at{};
  Timestamp updated_at{};  ///< set by the repository
};

/// One write of a batch: a save (upsert) or, with `remove`, a delete.
struct BindingWrite {
  bool remove = false;
  StoredBinding binding;  ///< for a delete only aor and binding_key matter
};

class BindingRepository {
 public:
  explicit BindingRepository(Database& db, NowFn now = system_now)
      : db_(db), now_(std::move(now)) {}

  /// Inserts or replaces by (aor, binding_key).
  Status upsert(const StoredBinding& b);
  /// kNotFound if there is no such binding.
  Status remove(const std::string& aor, const std::string& binding_key);
  /// Applies writes in order, in one transaction (the registrar's batches).
  Status apply(const std::vector<BindingWrite>& writes);
  /// Bindings that expire after `now`, ordered by aor and key.
  Result<std::vector<StoredBinding>> list_live(Timestamp now);
  /// Bindings of one extension (live or not).
  Result<std::vector<StoredBinding>> list_for(const std::string& aor);
  /// Deletes bindings that expired at or before `now`; returns how many.
  Result<std::int64_t> purge_expired(Timestamp now);
  Result<std::int64_t> count();

 private:
  Status upsert_row(const StoredBinding& b, Timestamp now);

  Database& db_;
  NowFn now_;
};

}  // namespace switchboard::store
