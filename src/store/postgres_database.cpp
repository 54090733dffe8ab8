#include "store/postgres_database.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <cstring>
#include <memory>

#include "common/log.hpp"
#include "store/placeholders.hpp"
#include "store/url.hpp"

namespace switchboard::store {
namespace {

// Type OIDs from pg_type.h (stable across PostgreSQL versions).
constexpr Oid kBoolOid = 16, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kOidOid = 26,
              kFloat4Oid = 700, kFloat8Oid = 701, kNumericOid = 1700;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// Maps SQLSTATE codes onto our error classes.
ErrorCode classify(const char* sqlstate) {
  std::string_view s = sqlstate ? sqlstate : "";
  if (s == "23505") return ErrorCode::kAlreadyExists;  // unique_violation
  if (s.substr(0, 2) == "23" || s.substr(0, 2) == "22") {
    return ErrorCode::kInvalidArgument;  // integrity constraints, data exceptions
  }
  if (s.substr(0, 2) == "08" || s == "40001" || s == "40P01" || s == "55P03" || s == "57014" ||
      s.substr(0, 3) == "57P") {
    return ErrorCode::kUnavailable;  // connection, serialization, lock, shutdown
  }
  return ErrorCode::kInternal;
}

// Only the primary message: DETAIL may quote row values (a password hash in
// a duplicate key, say), which do not belong in logs or API errors.
Error result_error(const PGresult* res, PGconn* conn) {
  const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  const char* sqlstate = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = primary ? primary : PQerrorMessage(conn);
  while (!message.empty() && message.back() == '\n') message.pop_back();
  ErrorCode code = classify(sqlstate);
  if (!sqlstate && PQstatus(conn) != CONNECTION_OK) code = ErrorCode::kUnavailable;
  return make_error(code, fmt::format("postgres: {}", message));
}

Value cell(const PGresult* res, int row, int col) {
  if (PQgetisnull(res, row, col)) return null_value();
  const char* text = PQgetvalue(res, row, col);
  std::string_view v(text, static_cast<std::size_t>(PQgetlength(res, row, col)));
  switch (PQftype(res, col)) {
    case kBoolOid:
      return bool_value(v == "t");
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid:
      return std::int64_t{std::strtoll(text, nullptr, 10)};
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid:
      return std::strtod(text, nullptr);
    default:
      return std::string(v);
  }
}

// libpq messages span lines ("…failed\n\tIs the server running…"); log
// lines and API errors read better as one.
std::string one_line(std::string_view text) {
  std::string out;
  for (char c : text) {
    bool space = c == '\n' || c == '\t' || c == ' ';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

void notice_to_log(void* /*arg*/, const char* message) {
  std::string_view m = message;
  while (!m.empty() && m.back() == '\n') m.remove_suffix(1);
  log::get("store")->debug("postgres: {}", m);
}

}  // namespace

Result<DatabasePtr> PostgresDatabase::open(const std::string& url, int connect_timeout_s) {
  // Keywords before "dbname" are defaults; the URL (expanded in place of
  // dbname) overrides them.
  std::string timeout = std::to_string(connect_timeout_s);
  const char* keys[] = {"connect_timeout", "application_name", "client_encoding", "dbname",
                        nullptr};
  const char* values[] = {timeout.c_str(), "switchboard", "UTF8", url.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  std::unique_ptr<PostgresDatabase> db(new PostgresDatabase(conn, redact_url(url)));
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    std::string why = one_line(conn ? PQerrorMessage(conn) : "out of memory");
    return make_error(ErrorCode::kUnavailable,
                      fmt::format("postgres: cannot connect to {}: {}", redact_url(url),
                                  scrub_secrets(why, url)));
  }
  PQsetNoticeProcessor(conn, notice_to_log, nullptr);
  if (Status s = db->prepare_session(); !s) return s.error();
  log::get("store")->debug("connected to {}", redact_url(url));
  return DatabasePtr(std::move(db));
}

PostgresDatabase::~PostgresDatabase() {
  PQfinish(conn_);
}

Status PostgresDatabase::prepare_session() {
  // TIMESTAMP columns (the VIP table) are written and read as UTC; ISO
  // DateStyle makes their text form parseable whatever the server default.
  ResultPtr res(PQexec(conn_,
                       "SET TIME ZONE 'UTC'; SET DateStyle TO 'ISO, YMD'; "
                       "SET client_min_messages TO warning"));
  if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) return result_error(res.get(), conn_);
  return {};
}

Status PostgresDatabase::ensure_connected() {
  if (PQstatus(conn_) == CONNECTION_OK) return {};
  if (in_tx_) {
    return make_error(ErrorCode::kUnavailable, "postgres: connection lost inside a transaction");
  }
  log::get("store")->warn("postgres connection lost; reconnecting to {}", redacted_url_);
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    return make_error(ErrorCode::kUnavailable, fmt::format("postgres: cannot reconnect to {}: {}",
                                                           redacted_url_, PQerrorMessage(conn_)));
  }
  return prepare_session();
}

Result<QueryResult> PostgresDatabase::do_exec(std::string_view sql,
                                              const std::vector<Value>& params) {
  if (Status s = ensure_connected(); !s) return s.error();
  RewrittenSql rewritten = rewrite_placeholders(sql);
  if (rewritten.placeholders != params.size()) {
    return make_error(
        ErrorCode::kInvalidArgument,
        fmt::format("postgres: statement has {} placeholders but {} values were given",
                    rewritten.placeholders, params.size()));
  }
  // Text-format parameters. Integers and reals are typed so that a bare `?`
  // (LIMIT ?, ? + 1) has a type; text stays "unknown" so the server casts it
  // to the column's type (TEXT, VARCHAR, TIMESTAMP).
  std::vector<std::string> texts(params.size());
  std::vector<const char*> pointers(params.size(), nullptr);
  std::vector<Oid> types(params.size(), 0);
  for (std::size_t i = 0; i < params.size(); ++i) {
    const Value& v = params[i];
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
      texts[i] = std::to_string(*n);
      types[i] = kInt8Oid;
    } else if (const auto* d = std::get_if<double>(&v)) {
      texts[i] = fmt::format("{}", *d);  // shortest round-trip form
      types[i] = kFloat8Oid;
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      texts[i] = *s;
    } else {
      continue;  // NULL: pointer stays nullptr
    }
    pointers[i] = texts[i].c_str();
  }
  ResultPtr res(PQexecParams(conn_, rewritten.sql.c_str(), static_cast<int>(params.size()),
                             types.data(), pointers.data(), nullptr, nullptr, 0));
  ExecStatusType status = PQresultStatus(res.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return result_error(res.get(), conn_);
  }
  std::vector<std::string> columns;
  int ncol = PQnfields(res.get());
  for (int c = 0; c < ncol; ++c) columns.emplace_back(PQfname(res.get(), c));
  std::vector<std::vector<Value>> rows;
  int nrow = PQntuples(res.get());
  rows.reserve(static_cast<std::size_t>(nrow));
  for (int r = 0; r < nrow; ++r) {
    std::vector<Value> row;
    row.reserve(static_cast<std::size_t>(ncol));
    for (int c = 0; c < ncol; ++c) row.push_back(cell(res.get(), r, c));
    rows.push_back(std::move(row));
  }
  // PQcmdTuples also counts the rows a SELECT returned; we report changes only.
  std::int64_t affected = 0;
  if (std::strncmp(PQcmdStatus(res.get()), "SELECT", 6) != 0) {
    affected = std::strtoll(PQcmdTuples(res.get()), nullptr, 10);
  }
  return QueryResult(std::move(columns), std::move(rows), affected);
}

Status PostgresDatabase::do_begin() {
  auto r = do_exec("BEGIN", {});
  if (!r) return r.error();
  in_tx_ = true;
  return {};
}

Status PostgresDatabase::do_commit() {
  in_tx_ = false;
  ResultPtr res(PQexec(conn_, "COMMIT"));
  if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) return result_error(res.get(), conn_);
  // COMMIT of a transaction that hit an error succeeds as a ROLLBACK.
  if (std::strcmp(PQcmdStatus(res.get()), "ROLLBACK") == 0) {
    return make_error(ErrorCode::kFailedPrecondition,
                      "postgres: transaction had failed and was rolled back");
  }
  return {};
}

Status PostgresDatabase::do_rollback() {
  in_tx_ = false;
  if (PQstatus(conn_) != CONNECTION_OK) return {};  // the server rolled it back
  ResultPtr res(PQexec(conn_, "ROLLBACK"));
  if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) return result_error(res.get(), conn_);
  return {};
}

}  // namespace switchboard::store
