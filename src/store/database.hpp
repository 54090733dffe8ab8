// The storage interface (DESIGN.md §6): one Database for SQLite and
// PostgreSQL, used by every repository. Like LevelDB's Env it is the seam that
// tests swap; repositories never see which engine they run on except through
// engine() where the SQL dialects differ.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "store/query_result.hpp"
#include "store/value.hpp"

namespace switchboard::store {

enum class Engine { kSqlite, kPostgres };

const char* to_string(Engine engine);

/// One connection to a database. Thread-safe: every call takes the
/// connection's mutex, and begin() keeps holding it for the calling thread
/// until commit() or rollback(), so a worker's transaction never interleaves
/// with another worker's statements. (Blocking; call from the worker pool,
/// never from the core thread — DESIGN.md §3.)
class Database {
 public:
  virtual ~Database() = default;

  /// Runs ONE statement. Placeholders are `?` on both engines; values are
  /// always bound, never formatted into the SQL. Constraint violations come
  /// back as errors: unique → kAlreadyExists; foreign key, check, not-null,
  /// value too long → kInvalidArgument; lost connection or lock timeout →
  /// kUnavailable.
  Result<QueryResult> exec(std::string_view sql, std::vector<Value> params = {}) {
    return run(sql, std::move(params));
  }

  /// Starts a transaction owned by the calling thread. Nesting is an error
  /// (kFailedPrecondition). Other threads block until it ends.
  virtual Status begin() = 0;
  /// Commits; on failure the transaction is rolled back. Either way it ends.
  virtual Status commit() = 0;
  virtual Status rollback() = 0;
  /// True while the calling thread has a transaction open.
  virtual bool in_transaction() const = 0;

  virtual Engine engine() const = 0;

 protected:
  virtual Result<QueryResult> run(std::string_view sql, std::vector<Value> params) = 0;
};

using DatabasePtr = std::unique_ptr<Database>;

/// Runs `body` inside begin()/commit(); rolls back if it returns an error
/// (or throws), and returns that error.
Status transaction(Database& db, const std::function<Status()>& body);

struct DatabaseOptions {
  /// Empty: SQLite at `path`. "sqlite:PATH", "sqlite://PATH" or a plain path:
  /// SQLite. "postgresql://…" / "postgres://…": PostgreSQL via libpq.
  std::string url;
  /// The SQLite file used when `url` is empty (DatabaseConfig::path).
  std::string path = "var/switchboard.db";
  /// How long a statement waits for another SQLite connection's write lock.
  int busy_timeout_ms = 5000;
  /// libpq connect_timeout, unless the URL sets one.
  int connect_timeout_s = 10;
};

/// Opens the database `options` describe. SQLite: creates the file and its
/// parent directories, WAL journal, foreign keys on. Errors never contain the
/// password of a PostgreSQL URL.
Result<DatabasePtr> open_database(const DatabaseOptions& options);

}  // namespace switchboard::store
