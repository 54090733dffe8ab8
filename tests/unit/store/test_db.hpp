// Test support for the store layer: a fresh, empty database per test on
// either engine, and a clock the test sets.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/database.hpp"
#include "store/time.hpp"

namespace switchboard::store::testing {

/// A database that exists for one test: a new SQLite file in its own temp
/// directory, or a new schema in the harness's PostgreSQL cluster (found
/// through SB_BINARY_DIR/test-postgres/url). Removed by the destructor.
class ScratchDatabase {
 public:
  /// Fails (with a message saying how to get one) when the PostgreSQL test
  /// cluster is not running: the PostgreSQL cases must never skip silently.
  static Result<std::unique_ptr<ScratchDatabase>> create(Engine engine);
  ~ScratchDatabase();

  Database& db() { return *db_; }
  /// A URL that opens another connection to the same scratch database.
  const std::string& url() const { return url_; }

 private:
  ScratchDatabase() = default;

  Engine engine_ = Engine::kSqlite;
  std::string url_;
  std::string dir_;     // SQLite: the temp directory
  std::string schema_;  // PostgreSQL: the schema
  DatabasePtr admin_;   // PostgreSQL: creates and drops the schema
  DatabasePtr db_;
};

/// A clock that moves only when told to.
struct FakeClock {
  Timestamp now = *parse_timestamp("2024-03-01T09:00:00.000Z");
  NowFn fn() {
    return [this] { return now; };
  }
};

/// Base fixture of every test that runs on both engines; SetUp() opens a
/// scratch database and (unless migrate_on_setup is false) migrates it.
class EngineTest : public ::testing::TestWithParam<Engine> {
 protected:
  explicit EngineTest(bool migrate_on_setup = true) : migrate_on_setup_(migrate_on_setup) {}
  void SetUp() override;
  void TearDown() override { scratch_.reset(); }

  Database& db() { return scratch_->db(); }
  ScratchDatabase& scratch() { return *scratch_; }

  FakeClock clock_;

 private:
  bool migrate_on_setup_;
  std::unique_ptr<ScratchDatabase> scratch_;
};

/// "Sqlite" / "Postgres", for test names.
std::string engine_name(const ::testing::TestParamInfo<Engine>& info);

}  // namespace switchboard::store::testing

#define SB_INSTANTIATE_ON_BOTH_ENGINES(suite)                                          \
  INSTANTIATE_TEST_SUITE_P(Engines, suite,                                             \
                           ::testing::Values(::switchboard::store::Engine::kSqlite,    \
                                             ::switchboard::store::Engine::kPostgres), \
                           ::switchboard::store::testing::engine_name)
