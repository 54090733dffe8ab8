// The Database interface on both engines: values, placeholders, errors,
// transactions and thread safety.
#include "store/database.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <limits>
#include <stdexcept>
#include <thread>

#include "test_db.hpp"

namespace switchboard::store {
namespace {

using ::testing::HasSubstr;

class DatabaseTest : public testing::EngineTest {
 protected:
  DatabaseTest() : EngineTest(/*migrate_on_setup=*/false) {}

  void SetUp() override {
    EngineTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(db().exec("CREATE TABLE t (k TEXT PRIMARY KEY, i BIGINT, d DOUBLE PRECISION,"
                          " s TEXT)")
                    .ok());
  }

  std::int64_t count() { return db().exec("SELECT COUNT(*) FROM t")->rows()[0].get_int(0); }
};

TEST_P(DatabaseTest, ReportsItsEngine) {
  EXPECT_EQ(db().engine(), GetParam());
}

TEST_P(DatabaseTest, RoundTripsEveryValueType) {
  const std::int64_t big = std::numeric_limits<std::int64_t>::max();
  auto ins = db().exec("INSERT INTO t (k, i, d, s) VALUES (?, ?, ?, ?)",
                       {"a", big, 3.25, "h\xC3\xA9llo \"w\xC3\xB6rld\""});
  ASSERT_TRUE(ins.ok()) << ins.error().message;
  EXPECT_EQ(ins->affected_rows(), 1);

  auto r = db().exec("SELECT k, i, d, s FROM t WHERE k = ?", {"a"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ(r->columns(), (std::vector<std::string>{"k", "i", "d", "s"}));
  const Row& row = (*r)[0];
  EXPECT_EQ(row.get_int(1), big);
  EXPECT_EQ(row.get_int("i"), big);
  EXPECT_DOUBLE_EQ(row.get_double("d"), 3.25);
  EXPECT_EQ(row.get_text("s"), "h\xC3\xA9llo \"w\xC3\xB6rld\"");
  EXPECT_EQ(row.get_text("i"), std::to_string(big));
  EXPECT_FALSE(row.is_null("s"));
}

TEST_P(DatabaseTest, NullGoesInAndComesOutAsNull) {
  ASSERT_TRUE(db().exec("INSERT INTO t (k, i, d, s) VALUES (?, ?, ?, ?)",
                        {"n", null_value(), null_value(), opt_value(std::optional<std::string>{})})
                  .ok());
  auto r = db().exec("SELECT i, d, s FROM t WHERE s IS NULL AND i IS NULL");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  const Row& row = (*r)[0];
  EXPECT_TRUE(row.is_null(0));
  EXPECT_TRUE(row.is_null("d"));
  EXPECT_TRUE(row.is_null("s"));
  EXPECT_EQ(row.get_int("i"), 0);  // documented NULL fallbacks
  EXPECT_EQ(row.get_text("s"), "");
  EXPECT_EQ(row.opt_text("s"), std::nullopt);
  EXPECT_EQ(row.opt_int("i"), std::nullopt);
}

TEST_P(DatabaseTest, BooleanHelperStoresZeroOrOne) {
  ASSERT_TRUE(db().exec("INSERT INTO t (k, i) VALUES (?, ?), (?, ?)",
                        {"yes", bool_value(true), "no", bool_value(false)})
                  .ok());
  auto r = db().exec("SELECT k, i FROM t ORDER BY k");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].get_int("i"), 0);
  EXPECT_FALSE((*r)[0].get_bool("i"));
  EXPECT_EQ((*r)[1].get_int("i"), 1);
  EXPECT_TRUE((*r)[1].get_bool("i"));
}

TEST_P(DatabaseTest, AffectedRowsCountOnlyChanges) {
  ASSERT_TRUE(db().exec("INSERT INTO t (k, i) VALUES ('a', 1), ('b', 1), ('c', 2)").ok());
  auto upd = db().exec("UPDATE t SET s = ? WHERE i = ?", {"x", 1});
  ASSERT_TRUE(upd.ok());
  EXPECT_EQ(upd->affected_rows(), 2);
  auto sel = db().exec("SELECT * FROM t");
  ASSERT_TRUE(sel.ok());
  EXPECT_EQ(sel->size(), 3u);
  EXPECT_EQ(sel->affected_rows(), 0);
  auto ddl = db().exec("CREATE TABLE u (x INTEGER)");
  ASSERT_TRUE(ddl.ok());
  EXPECT_EQ(ddl->affected_rows(), 0);
  auto del = db().exec("DELETE FROM t WHERE k = ?", {"nope"});
  ASSERT_TRUE(del.ok());
  EXPECT_EQ(del->affected_rows(), 0);
}

TEST_P(DatabaseTest, QuestionMarksInLiteralsIdentifiersAndCommentsAreNotPlaceholders) {
  ASSERT_TRUE(db().exec("CREATE TABLE \"odd?name\" (\"what?\" TEXT, v TEXT)").ok());
  auto ins = db().exec(
      "INSERT INTO \"odd?name\" (\"what?\", v) /* really? */ VALUES ('is it?', ?) -- sure?\n",
      {"yes?"});
  ASSERT_TRUE(ins.ok()) << ins.error().message;
  auto r = db().exec("SELECT \"what?\" AS q, v FROM \"odd?name\" WHERE v = ? AND 'a?b' <> ?",
                     {"yes?", "?"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].get_text("q"), "is it?");
  EXPECT_EQ((*r)[0].get_text("v"), "yes?");
}

TEST_P(DatabaseTest, SqlInjectionAttemptIsStoredVerbatim) {
  const std::string evil = "x'); DROP TABLE t; -- ? $1 \\' \"";
  ASSERT_TRUE(db().exec("INSERT INTO t (k, s) VALUES (?, ?)", {"evil", evil}).ok());
  auto r = db().exec("SELECT s FROM t WHERE s = ?", {evil});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].get_text(0), evil);
  EXPECT_EQ(count(), 1);  // the table is still there
}

TEST_P(DatabaseTest, WrongNumberOfValuesIsAnError) {
  auto r = db().exec("SELECT * FROM t WHERE k = ? AND s = ?", {"only one"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(r.error().message, HasSubstr("placeholders"));
}

TEST_P(DatabaseTest, OnlyOneStatementPerCall) {
  auto r = db().exec("INSERT INTO t (k) VALUES ('a'); DROP TABLE t");
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(db().exec("SELECT 1 FROM t").ok());
}

TEST_P(DatabaseTest, SyntaxErrorIsAnErrorNotACrash) {
  auto r = db().exec("SELEKT nonsense FROM nowhere");
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(r.error().message.empty());
  EXPECT_TRUE(db().exec("SELECT 1").ok());  // the connection still works
}

TEST_P(DatabaseTest, UniqueViolationIsAlreadyExists) {
  ASSERT_TRUE(db().exec("INSERT INTO t (k) VALUES (?)", {"dup"}).ok());
  auto r = db().exec("INSERT INTO t (k) VALUES (?)", {"dup"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kAlreadyExists) << r.error().message;
}

TEST_P(DatabaseTest, TransactionCommits) {
  Status s = transaction(db(), [&]() -> Status {
    EXPECT_TRUE(db().in_transaction());
    auto r = db().exec("INSERT INTO t (k) VALUES ('a'), ('b')");
    return r ? Status{} : Status{r.error()};
  });
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_FALSE(db().in_transaction());
  EXPECT_EQ(count(), 2);
}

TEST_P(DatabaseTest, TransactionRollsBackWhenTheBodyFails) {
  Status s = transaction(db(), [&]() -> Status {
    EXPECT_TRUE(db().exec("INSERT INTO t (k) VALUES ('a')").ok());
    return make_error(ErrorCode::kInvalidArgument, "changed my mind");
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "changed my mind");
  EXPECT_EQ(count(), 0);
}

TEST_P(DatabaseTest, TransactionRollsBackAfterAFailedStatement) {
  ASSERT_TRUE(db().exec("INSERT INTO t (k) VALUES ('taken')").ok());
  Status s = transaction(db(), [&]() -> Status {
    if (auto r = db().exec("INSERT INTO t (k) VALUES ('new')"); !r) return r.error();
    if (auto r = db().exec("INSERT INTO t (k) VALUES ('taken')"); !r) return r.error();
    return {};
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(count(), 1);
  EXPECT_TRUE(db().exec("INSERT INTO t (k) VALUES ('after')").ok());  // usable again
}

TEST_P(DatabaseTest, TransactionRollsBackWhenTheBodyThrows) {
  EXPECT_THROW((void)transaction(db(),
                                 [&]() -> Status {
                                   EXPECT_TRUE(db().exec("INSERT INTO t (k) VALUES ('a')").ok());
                                   throw std::runtime_error("boom");
                                 }),
               std::runtime_error);
  EXPECT_FALSE(db().in_transaction());
  EXPECT_EQ(count(), 0);
}

TEST_P(DatabaseTest, NestedBeginAndStrayCommitAreErrors) {
  ASSERT_TRUE(db().begin().ok());
  Status nested = db().begin();
  ASSERT_FALSE(nested.ok());
  EXPECT_EQ(nested.error().code, ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(db().rollback().ok());
  EXPECT_FALSE(db().commit().ok());
  EXPECT_FALSE(db().rollback().ok());
}

TEST_P(DatabaseTest, CommitOfAFailedTransactionReportsIt) {
  ASSERT_TRUE(db().begin().ok());
  ASSERT_TRUE(db().exec("INSERT INTO t (k) VALUES ('a')").ok());
  EXPECT_FALSE(db().exec("INSERT INTO t (k) VALUES ('a')").ok());
  Status c = db().commit();
  if (GetParam() == Engine::kPostgres) {
    // PostgreSQL aborts the whole transaction on the first error.
    EXPECT_FALSE(c.ok());
    EXPECT_EQ(count(), 0);
  } else {
    // SQLite only undoes the failed statement.
    EXPECT_TRUE(c.ok());
    EXPECT_EQ(count(), 1);
  }
  EXPECT_FALSE(db().in_transaction());
}

TEST_P(DatabaseTest, ConcurrentTransactionsDoNotInterleave) {
  ASSERT_TRUE(db().exec("INSERT INTO t (k, i) VALUES ('counter', 0)").ok());
  constexpr int kThreads = 4, kIncrements = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int n = 0; n < kThreads; ++n) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        // Read-modify-write: only correct if no other thread's statements
        // run between the SELECT and the UPDATE.
        Status s = transaction(db(), [&]() -> Status {
          auto r = db().exec("SELECT i FROM t WHERE k = 'counter'");
          if (!r) return r.error();
          std::int64_t v = (*r)[0].get_int(0);
          std::this_thread::yield();
          auto u = db().exec("UPDATE t SET i = ? WHERE k = 'counter'", {v + 1});
          return u ? Status{} : Status{u.error()};
        });
        if (!s) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto r = db().exec("SELECT i FROM t WHERE k = 'counter'");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].get_int(0), kThreads * kIncrements);
}

SB_INSTANTIATE_ON_BOTH_ENGINES(DatabaseTest);

}  // namespace
}  // namespace switchboard::store
