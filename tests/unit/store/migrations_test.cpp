// Migrations on both engines: idempotent, atomic, safe to race, and the
// resulting schema is the one the requirements ask for.
#include "store/migrations.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "store/cdr_repository.hpp"
#include "test_db.hpp"

namespace switchboard::store {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

class MigrationsTest : public testing::EngineTest {
 protected:
  MigrationsTest() : EngineTest(/*migrate_on_setup=*/false) {}

  bool table_exists(const std::string& name) {
    auto r =
        GetParam() == Engine::kSqlite
            ? db().exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", {name})
            : db().exec(
                  "SELECT 1 FROM information_schema.tables"
                  " WHERE table_schema = current_schema() AND table_name = ?",
                  {name});
    return r.ok() && !r->empty();
  }

  std::vector<std::string> index_names(const std::string& table) {
    auto r = GetParam() == Engine::kSqlite
                 ? db().exec(
                       "SELECT name FROM sqlite_master WHERE type = 'index'"
                       " AND tbl_name = ? AND sql IS NOT NULL",
                       {table})
                 : db().exec(
                       "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
                       " AND tablename = ? AND indexname NOT LIKE '%pkey'"
                       " AND indexname NOT LIKE '%_key'",
                       {table});
    std::vector<std::string> out;
    if (r) {
      for (const auto& row : *r) out.push_back(row.get_text(0));
    }
    return out;
  }
};

TEST_P(MigrationsTest, FreshDatabaseGetsEveryMigrationOnce) {
  auto first = migrate(db(), builtin_migrations(), clock_.fn());
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(*first, static_cast<int>(builtin_migrations().size()));
  auto versions = applied_versions(db());
  ASSERT_TRUE(versions.ok());
  std::vector<int> expected;  // 1, 2, … in order, whatever the latest is
  for (const auto& m : builtin_migrations()) expected.push_back(m.version);
  EXPECT_THAT(*versions, ::testing::ElementsAreArray(expected));
  EXPECT_EQ(expected.front(), 1);
  // Strictly increasing; a number reserved by a change still in review
  // (13, recordings, while 14 is call forwarding) may be missing for a while.
  for (size_t i = 1; i < expected.size(); ++i) EXPECT_GT(expected[i], expected[i - 1]);

  auto second = migrate(db(), builtin_migrations(), clock_.fn());
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(*second, 0);

  auto rows =
      db().exec("SELECT version, name, applied_at FROM schema_migrations WHERE version = 3");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].get_text("name"), "vip_callers");
  EXPECT_EQ((*rows)[0].get_text("applied_at"), "2024-03-01T09:00:00.000Z");
}

TEST_P(MigrationsTest, FailingMigrationLeavesNoTrace) {
  auto list = builtin_migrations();
  Migration broken{99, "broken", {}, {}};
  for (auto* statements : {&broken.sqlite, &broken.postgres}) {
    *statements = {"CREATE TABLE half_done (x INTEGER)", "CREATE TABLE oops (x NOSUCHTYPE("};
  }
  list.push_back(broken);
  auto r = migrate(db(), list, clock_.fn());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, ::testing::HasSubstr("migration 99 (broken)"));
  EXPECT_FALSE(table_exists("half_done"));
  auto versions = applied_versions(db());
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ(versions->size(), builtin_migrations().size());  // the good ones stay applied

  list.back().sqlite = {"CREATE TABLE half_done (x INTEGER)"};
  list.back().postgres = list.back().sqlite;
  auto fixed = migrate(db(), list, clock_.fn());
  ASSERT_TRUE(fixed.ok()) << fixed.error().message;
  EXPECT_EQ(*fixed, 1);
  EXPECT_TRUE(table_exists("half_done"));
}

TEST_P(MigrationsTest, OutOfOrderListIsRejected) {
  std::vector<Migration> list = {{2, "b", {"SELECT 1"}, {"SELECT 1"}},
                                 {1, "a", {"SELECT 1"}, {"SELECT 1"}}};
  EXPECT_FALSE(migrate(db(), list, clock_.fn()).ok());
}

TEST_P(MigrationsTest, NodesStartingTogetherApplyEachMigrationOnce) {
  // Two connections to the same database, as two Switchboard nodes would have.
  auto other = open_database({.url = scratch().url()});
  ASSERT_TRUE(other.ok()) << other.error().message;
  Result<int> a = 0, b = 0;
  std::thread t1([&] { a = migrate(db(), builtin_migrations(), clock_.fn()); });
  std::thread t2([&] { b = migrate(**other, builtin_migrations(), clock_.fn()); });
  t1.join();
  t2.join();
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(*a + *b, static_cast<int>(builtin_migrations().size()));
  auto versions = applied_versions(db());
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ(versions->size(), builtin_migrations().size());
}

// Migration 15 (issue 7 §7): rows written before it read as "no transfers".
TEST_P(MigrationsTest, CdrTransfersUpgradesExistingRowsToAnEmptyChain) {
  auto list = builtin_migrations();
  ASSERT_EQ(list.back().version, 15);
  EXPECT_EQ(list.back().name, "cdr_transfers");
  list.pop_back();
  ASSERT_TRUE(migrate(db(), list, clock_.fn()).ok());
  auto old = db().exec(
      "INSERT INTO cdr (call_id, caller, caller_name, callee, direction, start_time,"
      " end_time, duration_s, billsec_s, disposition, hangup_cause, hangup_side, codec,"
      " caller_user_agent, callee_user_agent, packets_caller, packets_callee, packets_lost,"
      " jitter_ms, status) VALUES ('old', '1001', '', '1002', 'internal',"
      " '2024-03-01T08:00:00.000Z', '2024-03-01T08:00:10.000Z', 10, 5, 'ANSWERED', 'bye',"
      " 'caller', '', '', '', 0, 0, 0, 0, 'complete')");
  ASSERT_TRUE(old.ok()) << old.error().message;
  auto applied = migrate(db(), builtin_migrations(), clock_.fn());
  ASSERT_TRUE(applied.ok()) << applied.error().message;
  EXPECT_EQ(*applied, 1);
  auto page = CdrRepository(db()).query({});
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_TRUE(page->items[0].transfers.empty());
}

TEST_P(MigrationsTest, CreatesTheTablesAndIndexes) {
  ASSERT_TRUE(migrate(db()).ok());
  for (const char* t : {"extensions", "roles", "users", "vip_callers", "cdr", "voicemail_messages",
                        "audit_log", "registrar_bindings", "schema_migrations"}) {
    EXPECT_TRUE(table_exists(t)) << t;
  }
  EXPECT_THAT(index_names("vip_callers"), UnorderedElementsAre("idx_caller_id", "idx_priority"));
  EXPECT_THAT(index_names("cdr"),
              UnorderedElementsAre("idx_cdr_start_time", "idx_cdr_caller", "idx_cdr_callee",
                                   "idx_cdr_call_id"));
  auto roles = db().exec("SELECT name FROM roles ORDER BY name");
  ASSERT_TRUE(roles.ok());
  std::vector<std::string> names;
  for (const auto& row : *roles) names.push_back(row.get_text(0));
  EXPECT_THAT(names, ElementsAre("admin", "operator", "supervisor", "user"));
}

TEST_P(MigrationsTest, VipTableHasTheRequirementsSchema) {
  ASSERT_TRUE(migrate(db()).ok());
  if (GetParam() == Engine::kPostgres) {
    auto r = db().exec(
        "SELECT column_name, data_type, character_maximum_length, is_nullable, column_default"
        " FROM information_schema.columns WHERE table_schema = current_schema()"
        " AND table_name = 'vip_callers' ORDER BY ordinal_position");
    ASSERT_TRUE(r.ok()) << r.error().message;
    std::vector<std::string> got;
    for (const auto& row : *r) {
      got.push_back(fmt::format("{} {} {} {} {}", row.get_text(0), row.get_text(1),
                                row.is_null(2) ? "-" : row.get_text(2), row.get_text(3),
                                row.get_text(4)));
    }
    EXPECT_THAT(got,
                ElementsAre("id integer - NO nextval('vip_callers_id_seq'::regclass)",
                            "caller_id character varying 20 NO ", "name character varying 255 YES ",
                            "priority_level integer - YES 1", "notes text - YES ",
                            "special_routing character varying 50 YES ",
                            "created_at timestamp without time zone - YES CURRENT_TIMESTAMP",
                            "updated_at timestamp without time zone - YES CURRENT_TIMESTAMP"));
  } else {
    auto r = db().exec(
        "SELECT name, type, \"notnull\", dflt_value, pk"
        " FROM pragma_table_info('vip_callers') ORDER BY cid");
    ASSERT_TRUE(r.ok()) << r.error().message;
    std::vector<std::string> got;
    for (const auto& row : *r) {
      got.push_back(fmt::format("{} {} {} {} {}", row.get_text(0), row.get_text(1), row.get_int(2),
                                row.get_text(3), row.get_int(4)));
    }
    EXPECT_THAT(got, ElementsAre("id INTEGER 0  1", "caller_id VARCHAR(20) 1  0",
                                 "name VARCHAR(255) 0  0", "priority_level INTEGER 0 1 0",
                                 "notes TEXT 0  0", "special_routing VARCHAR(50) 0  0",
                                 "created_at TIMESTAMP 0 CURRENT_TIMESTAMP 0",
                                 "updated_at TIMESTAMP 0 CURRENT_TIMESTAMP 0"));
  }
}

SB_INSTANTIATE_ON_BOTH_ENGINES(MigrationsTest);

}  // namespace
}  // namespace switchboard::store
