// The server engine: one libpq connection, for deployments with several
// Switchboard nodes (DESIGN.md §6).
#pragma once

#include <memory>
#include <string>

#include "store/locked_database.hpp"

struct pg_conn;

namespace switchboard::store {

class PostgresDatabase final : public LockedDatabase {
 public:
  /// Connects to `url` ("postgresql://…"). The error message on failure
  /// carries the URL with its password masked, never the password itself.
  static Result<DatabasePtr> open(const std::string& url, int connect_timeout_s);

  ~PostgresDatabase() override;
  PostgresDatabase(const PostgresDatabase&) = delete;
  PostgresDatabase& operator=(const PostgresDatabase&) = delete;

  Engine engine() const override { return Engine::kPostgres; }

 private:
  PostgresDatabase(pg_conn* conn, std::string redacted_url)
      : conn_(conn), redacted_url_(std::move(redacted_url)) {}

  Result<QueryResult> do_exec(std::string_view sql, const std::vector<Value>& params) override;
  Status do_begin() override;
  Status do_commit() override;
  Status do_rollback() override;

  /// Session settings every connection needs (UTC, ISO dates, quiet notices).
  Status prepare_session();
  /// Reconnects a broken connection, but never inside a transaction (its
  /// work would silently vanish).
  Status ensure_connected();

  pg_conn* conn_;
  std::string redacted_url_;  // for log lines; libpq keeps what reconnecting needs
  bool in_tx_ = false;
};

}  // namespace switchboard::store
