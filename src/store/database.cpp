#include "store/database.hpp"

#include <string>

#include "common/log.hpp"
#include "store/postgres_database.hpp"
#include "store/sqlite_database.hpp"
#include "store/url.hpp"

namespace switchboard::store {

const char* to_string(Engine engine) {
  switch (engine) {
    case Engine::kSqlite:
      return "sqlite";
    case Engine::kPostgres:
      return "postgresql";
  }
  return "unknown";
}

Status transaction(Database& db, const std::function<Status()>& body) {
  if (Status s = db.begin(); !s) return s;
  // Rolls back if `body` throws, so the connection's lock is never leaked.
  struct Guard {
    Database& db;
    bool armed = true;
    ~Guard() {
      if (armed) (void)db.rollback();
    }
  } guard{db};
  Status result = body();
  guard.armed = false;
  if (!result) {
    if (Status rb = db.rollback(); !rb) {
      log::get("store")->warn("rollback failed: {}", rb.error().message);
    }
    return result;
  }
  return db.commit();
}

Result<DatabasePtr> open_database(const DatabaseOptions& options) {
  if (is_postgres_url(options.url)) {
    return PostgresDatabase::open(options.url, options.connect_timeout_s);
  }
  if (options.url.find("://") != std::string::npos && options.url.rfind("sqlite:", 0) != 0) {
    return make_error(ErrorCode::kInvalidArgument,
                      "unsupported database URL scheme: " + redact_url(options.url));
  }
  std::string path = options.url.empty() ? options.path : sqlite_path_from_url(options.url);
  return SqliteDatabase::open(path, options.busy_timeout_ms);
}

}  // namespace switchboard::store
