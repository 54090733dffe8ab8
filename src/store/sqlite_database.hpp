// The embedded engine: one sqlite3 connection in WAL mode.
#pragma once

#include <memory>
#include <string>

#include "store/locked_database.hpp"

struct sqlite3;

namespace switchboard::store {

class SqliteDatabase final : public LockedDatabase {
 public:
  /// Opens (creating if needed) the file at `path`, or ":memory:". Creates
  /// parent directories; sets WAL, foreign_keys=ON and the busy timeout.
  static Result<DatabasePtr> open(const std::string& path, int busy_timeout_ms);

  ~SqliteDatabase() override;
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  Engine engine() const override { return Engine::kSqlite; }

 private:
  explicit SqliteDatabase(sqlite3* db) : db_(db) {}

  Result<QueryResult> do_exec(std::string_view sql, const std::vector<Value>& params) override;
  Status do_begin() override;
  Status do_commit() override;
  Status do_rollback() override;

  sqlite3* db_;
};

}  // namespace switchboard::store
