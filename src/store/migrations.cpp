#include "store/migrations.hpp"

#include <fmt/format.h>

#include "common/log.hpp"

namespace switchboard::store {
namespace {

// "SWBMIGRT": any fixed key works as long as every node uses the same one.
constexpr std::int64_t kMigrationLockKey = 0x5357424d49475254;

Status lock_migrations(Database& db) {
  if (db.engine() != Engine::kPostgres) return {};  // BEGIN IMMEDIATE already serialises
  auto r = db.exec("SELECT pg_advisory_xact_lock(?)", {kMigrationLockKey});
  return r ? Status{} : Status{r.error()};
}

Status create_bookkeeping_table(Database& db) {
  return transaction(db, [&]() -> Status {
    if (Status s = lock_migrations(db); !s) return s;
    auto r = db.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY,"
        " name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL)");
    return r ? Status{} : Status{r.error()};
  });
}

Status validate(const std::vector<Migration>& list) {
  int previous = 0;
  for (const auto& m : list) {
    if (m.version <= previous) {
      return make_error(ErrorCode::kInternal,
                        fmt::format("migration {} ({}) is out of order", m.version, m.name));
    }
    previous = m.version;
  }
  return {};
}

// Applies one migration unless another node already did; sets `applied`.
Status apply(Database& db, const Migration& m, const NowFn& now, bool& applied) {
  applied = false;
  return transaction(db, [&]() -> Status {
    if (Status s = lock_migrations(db); !s) return s;
    auto seen =
        db.exec("SELECT 1 FROM schema_migrations WHERE version = ?", {std::int64_t{m.version}});
    if (!seen) return seen.error();
    if (!seen->empty()) return {};
    const auto& statements = db.engine() == Engine::kSqlite ? m.sqlite : m.postgres;
    for (const auto& sql : statements) {
      if (auto r = db.exec(sql); !r) {
        return make_error(r.error().code, fmt::format("migration {} ({}): {}", m.version, m.name,
                                                      r.error().message));
      }
    }
    auto rec = db.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                       {std::int64_t{m.version}, m.name, to_iso(now())});
    if (!rec) return rec.error();
    applied = true;
    return {};
  });
}

}  // namespace

Result<std::vector<int>> applied_versions(Database& db) {
  auto r = db.exec("SELECT version FROM schema_migrations ORDER BY version");
  if (!r) return r.error();
  std::vector<int> out;
  for (const auto& row : *r) out.push_back(static_cast<int>(row.get_int(0)));
  return out;
}

Result<int> migrate(Database& db, const std::vector<Migration>& list, const NowFn& now) {
  if (Status s = validate(list); !s) return s.error();
  if (Status s = create_bookkeeping_table(db); !s) return s.error();
  auto logger = log::get("store");
  int count = 0;
  for (const auto& m : list) {
    bool applied = false;
    if (Status s = apply(db, m, now, applied); !s) {
      logger->error("schema migration {} ({}) failed: {}", m.version, m.name, s.error().message);
      return s.error();
    }
    if (applied) {
      logger->info("applied schema migration {} ({}) on {}", m.version, m.name,
                   to_string(db.engine()));
      ++count;
    }
  }
  if (auto versions = applied_versions(db);
      versions && !versions->empty() && !list.empty() && versions->back() > list.back().version) {
    // A newer Switchboard migrated this database; we may lack its columns.
    logger->warn("database schema version {} is newer than this build's {}", versions->back(),
                 list.back().version);
  }
  return count;
}

Result<int> migrate(Database& db) {
  return migrate(db, builtin_migrations(), system_now);
}

}  // namespace switchboard::store
