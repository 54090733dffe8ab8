// Numbered schema migrations, run at start-up on both engines.
#pragma once

#include <string>
#include <vector>

#include "common/result.hpp"
#include "store/database.hpp"
#include "store/time.hpp"

namespace switchboard::store {

/// One schema change. Most statements are the same on both engines; where
/// the dialects differ (auto-increment keys, say) each engine has its own.
struct Migration {
  int version = 0;  ///< strictly increasing, never reused
  std::string name;
  std::vector<std::string> sqlite;    ///< statements run on SQLite, in order
  std::vector<std::string> postgres;  ///< statements run on PostgreSQL, in order
};

/// Switchboard's schema, oldest first. Append new migrations; never edit one
/// that has shipped.
std::vector<Migration> builtin_migrations();

/// Applies every migration of `list` not yet recorded in schema_migrations,
/// each in its own transaction together with its schema_migrations row, and
/// returns how many it applied (0 when the schema is current). On PostgreSQL
/// each transaction first takes a fixed pg_advisory_xact_lock, so nodes
/// starting together apply each migration exactly once; SQLite's
/// BEGIN IMMEDIATE does the same between processes.
Result<int> migrate(Database& db, const std::vector<Migration>& list, const NowFn& now);

/// migrate() with builtin_migrations() and the system clock.
Result<int> migrate(Database& db);

/// Versions recorded in schema_migrations, ascending (empty if none).
Result<std::vector<int>> applied_versions(Database& db);

}  // namespace switchboard::store
