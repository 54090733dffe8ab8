// open_database(): choosing the engine, SQLite file set-up, and connection
// errors that never reveal a password. No test cluster needed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "store/database.hpp"

namespace switchboard::store {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(OpenDatabaseTest, PostgresConnectionErrorNeverShowsThePassword) {
  // Port 1 on loopback refuses at once.
  auto db = open_database({.url = "postgresql://alice:S3cret-Pw@127.0.0.1:1/pbx"});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(db.error().message, Not(HasSubstr("S3cret-Pw")));
  EXPECT_THAT(db.error().message, HasSubstr("postgresql://alice:****@127.0.0.1:1/pbx"));
}

TEST(OpenDatabaseTest, MalformedPostgresUrlErrorNeverShowsThePassword) {
  // libpq echoes the offending token of a malformed URL; here, the password.
  auto db = open_database({.url = "postgresql://alice:Pw%zzSecret@127.0.0.1:1/pbx"});
  ASSERT_FALSE(db.ok());
  EXPECT_THAT(db.error().message, Not(HasSubstr("Secret")));
  auto q = open_database({.url = "postgres://127.0.0.1:1/pbx?user=bob&password=Qu3ry-Pw"});
  ASSERT_FALSE(q.ok());
  EXPECT_THAT(q.error().message, Not(HasSubstr("Qu3ry-Pw")));
}

TEST(OpenDatabaseTest, UnwritableSqlitePathIsAnError) {
  auto db = open_database({.url = "sqlite:/dev/null/not-a-dir/x.db"});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::kIoError);
}

TEST(OpenDatabaseTest, UnknownSchemeIsRejected) {
  auto db = open_database({.url = "mysql://root:hunter2@localhost/pbx"});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(db.error().message, Not(HasSubstr("hunter2")));
}

TEST(OpenDatabaseTest, SqliteCreatesParentDirectoriesAndUsesWal) {
  auto dir =
      std::filesystem::temp_directory_path() / ("sb-store-open-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  DatabaseOptions options;
  options.path = (dir / "a" / "b" / "pbx.db").string();  // empty url: the default path
  {
    auto db = open_database(options);
    ASSERT_TRUE(db.ok()) << db.error().message;
    EXPECT_EQ((*db)->engine(), Engine::kSqlite);
    auto mode = (*db)->exec("PRAGMA journal_mode");
    ASSERT_TRUE(mode.ok());
    EXPECT_EQ((*mode)[0].get_text(0), "wal");
    auto fk = (*db)->exec("PRAGMA foreign_keys");
    ASSERT_TRUE(fk.ok());
    EXPECT_EQ((*fk)[0].get_int(0), 1);
  }
  EXPECT_TRUE(std::filesystem::exists(options.path));
  std::filesystem::remove_all(dir);
}

TEST(OpenDatabaseTest, InMemorySqlite) {
  auto db = open_database({.url = "sqlite::memory:"});
  ASSERT_TRUE(db.ok()) << db.error().message;
  EXPECT_TRUE((*db)->exec("SELECT 1").ok());
}

}  // namespace
}  // namespace switchboard::store
