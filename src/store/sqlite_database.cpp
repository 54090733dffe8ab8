#include "store/sqlite_database.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <filesystem>
#include <memory>

#include "common/log.hpp"

namespace switchboard::store {
namespace {

// Maps SQLite's extended result codes onto our error classes.
ErrorCode classify(int code) {
  switch (code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return ErrorCode::kAlreadyExists;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
    case SQLITE_TOOBIG:
      return ErrorCode::kInvalidArgument;
    default:
      break;
  }
  switch (code & 0xff) {
    case SQLITE_CONSTRAINT:
      return ErrorCode::kInvalidArgument;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return ErrorCode::kUnavailable;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_PERM:
      return ErrorCode::kIoError;
    default:
      return ErrorCode::kInternal;
  }
}

Error sqlite_error(sqlite3* db, int code, std::string_view what) {
  return make_error(classify(code), fmt::format("sqlite: {}: {}", what, sqlite3_errmsg(db)));
}

struct StmtDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

int bind(sqlite3_stmt* stmt, int index, const Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return sqlite3_bind_int64(stmt, index, *i);
  if (const auto* d = std::get_if<double>(&v)) return sqlite3_bind_double(stmt, index, *d);
  if (const auto* s = std::get_if<std::string>(&v)) {
    // SQLITE_STATIC: `params` outlives the statement's execution.
    return sqlite3_bind_text64(stmt, index, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
  }
  return sqlite3_bind_null(stmt, index);
}

Value column(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      return std::int64_t{sqlite3_column_int64(stmt, i)};
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, i);
    case SQLITE_NULL:
      return null_value();
    default: {  // TEXT or BLOB: bytes as they are
      const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
      return std::string(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
    }
  }
}

}  // namespace

Result<DatabasePtr> SqliteDatabase::open(const std::string& path, int busy_timeout_ms) {
  if (path.empty()) return make_error(ErrorCode::kInvalidArgument, "sqlite: empty database path");
  if (path != ":memory:") {
    auto parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) {
      return make_error(ErrorCode::kIoError, fmt::format("sqlite: cannot create directory {}: {}",
                                                         parent.string(), ec.message()));
    }
  }
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  // Owned from here on, even when opening failed (sqlite3 still allocates).
  std::unique_ptr<SqliteDatabase> db(new SqliteDatabase(raw));
  if (rc != SQLITE_OK) {
    return make_error(classify(rc), fmt::format("sqlite: cannot open {}: {}", path,
                                                raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  // WAL lets readers run beside the one writer; NORMAL sync is durable across
  // process crashes (only an OS crash may lose the last commits).
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"}) {
    auto r = db->do_exec(pragma, {});
    if (!r) return r.error();
  }
  log::get("store")->debug("opened SQLite database {}", path);
  return DatabasePtr(std::move(db));
}

SqliteDatabase::~SqliteDatabase() {
  sqlite3_close_v2(db_);
}

Result<QueryResult> SqliteDatabase::do_exec(std::string_view sql,
                                            const std::vector<Value>& params) {
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &raw, &tail);
  StmtPtr stmt(raw);
  if (rc != SQLITE_OK) return sqlite_error(db_, rc, "prepare");
  if (!stmt) return make_error(ErrorCode::kInvalidArgument, "sqlite: empty statement");
  // One statement per call: a second one would run without its parameters
  // (and is what an injected "; DROP TABLE" would look like).
  if (tail != nullptr && tail < sql.data() + sql.size()) {
    sqlite3_stmt* next = nullptr;
    auto rest = static_cast<int>(sql.data() + sql.size() - tail);
    sqlite3_prepare_v2(db_, tail, rest, &next, nullptr);
    StmtPtr next_stmt(next);
    if (next_stmt) {
      return make_error(ErrorCode::kInvalidArgument, "sqlite: more than one statement in exec()");
    }
  }
  int expected = sqlite3_bind_parameter_count(stmt.get());
  if (static_cast<std::size_t>(expected) != params.size()) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("sqlite: statement has {} placeholders but {} values were given",
                                  expected, params.size()));
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    rc = bind(stmt.get(), static_cast<int>(i + 1), params[i]);
    if (rc != SQLITE_OK) return sqlite_error(db_, rc, "bind");
  }

  std::vector<std::string> columns;
  int ncol = sqlite3_column_count(stmt.get());
  for (int i = 0; i < ncol; ++i) columns.emplace_back(sqlite3_column_name(stmt.get(), i));
  std::vector<std::vector<Value>> rows;
  sqlite3_int64 changes_before = sqlite3_total_changes64(db_);
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    std::vector<Value> row;
    row.reserve(static_cast<std::size_t>(ncol));
    for (int i = 0; i < ncol; ++i) row.push_back(column(stmt.get(), i));
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) return sqlite_error(db_, rc, "step");
  // sqlite3_changes() keeps the count of the last INSERT/UPDATE/DELETE even
  // after a SELECT or DDL; only trust it when this statement changed rows.
  std::int64_t affected =
      sqlite3_total_changes64(db_) != changes_before ? sqlite3_changes64(db_) : 0;
  return QueryResult(std::move(columns), std::move(rows), affected);
}

Status SqliteDatabase::do_begin() {
  // IMMEDIATE takes the write lock now, so two connections never deadlock
  // upgrading read locks to write locks half-way through.
  auto r = do_exec("BEGIN IMMEDIATE", {});
  return r ? Status{} : Status{r.error()};
}

Status SqliteDatabase::do_commit() {
  auto r = do_exec("COMMIT", {});
  return r ? Status{} : Status{r.error()};
}

Status SqliteDatabase::do_rollback() {
  // After some errors SQLite has already rolled back on its own.
  if (sqlite3_get_autocommit(db_)) return {};
  auto r = do_exec("ROLLBACK", {});
  return r ? Status{} : Status{r.error()};
}

}  // namespace switchboard::store
