// Pure functions of the store layer: placeholder rewriting, URL redaction,
// timestamps. No database needed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/placeholders.hpp"
#include "store/time.hpp"
#include "store/url.hpp"

namespace switchboard::store {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string rewrite(std::string_view sql) {
  return rewrite_placeholders(sql).sql;
}

TEST(PlaceholdersTest, NumbersEachQuestionMarkInOrder) {
  auto r = rewrite_placeholders("SELECT * FROM t WHERE a = ? AND b IN (?, ?)");
  EXPECT_EQ(r.sql, "SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)");
  EXPECT_EQ(r.placeholders, 3u);
}

TEST(PlaceholdersTest, LeavesQuotedTextAlone) {
  EXPECT_EQ(rewrite("SELECT 'a?b', ?"), "SELECT 'a?b', $1");
  EXPECT_EQ(rewrite("SELECT 'it''s?', ?"), "SELECT 'it''s?', $1");
  EXPECT_EQ(rewrite("SELECT \"col?\" FROM \"t\"\"?\" WHERE x = ?"),
            "SELECT \"col?\" FROM \"t\"\"?\" WHERE x = $1");
  EXPECT_EQ(rewrite("SELECT E'\\'?', ?"), "SELECT E'\\'?', $1");
  // Without E, a backslash is an ordinary character: the literal ends at '.
  EXPECT_EQ(rewrite("SELECT '\\', ?"), "SELECT '\\', $1");
  EXPECT_EQ(rewrite("SELECT $$ ? $$, $tag$ '?' $tag$, ?"), "SELECT $$ ? $$, $tag$ '?' $tag$, $1");
}

TEST(PlaceholdersTest, LeavesCommentsAlone) {
  EXPECT_EQ(rewrite("SELECT ? -- why?\n, ?"), "SELECT $1 -- why?\n, $2");
  EXPECT_EQ(rewrite("SELECT /* a /* nested? */ b? */ ?"), "SELECT /* a /* nested? */ b? */ $1");
}

TEST(PlaceholdersTest, UnterminatedQuoteSwallowsTheRest) {
  // The server rejects the statement; we must not invent parameters in it.
  auto r = rewrite_placeholders("SELECT 'open ? ");
  EXPECT_EQ(r.placeholders, 0u);
}

TEST(PlaceholdersTest, ExistingDollarParametersAreNotDollarQuotes) {
  EXPECT_EQ(rewrite("SELECT $1, ?"), "SELECT $1, $1");
}

TEST(UrlTest, RecognisesEngines) {
  EXPECT_TRUE(is_postgres_url("postgresql://h/db"));
  EXPECT_TRUE(is_postgres_url("postgres://h/db"));
  EXPECT_FALSE(is_postgres_url("sqlite:var/x.db"));
  EXPECT_EQ(sqlite_path_from_url("sqlite:var/x.db"), "var/x.db");
  EXPECT_EQ(sqlite_path_from_url("sqlite:///abs/x.db"), "/abs/x.db");
  EXPECT_EQ(sqlite_path_from_url("var/plain.db"), "var/plain.db");
  EXPECT_EQ(sqlite_path_from_url("sqlite::memory:"), ":memory:");
}

TEST(UrlTest, RedactsPasswords) {
  EXPECT_EQ(redact_url("postgresql://u:pw@h:5432/db"), "postgresql://u:****@h:5432/db");
  EXPECT_EQ(redact_url("postgresql://u@h/db"), "postgresql://u@h/db");
  EXPECT_EQ(redact_url("postgresql://h/db?user=u&password=pw&sslmode=require"),
            "postgresql://h/db?user=u&password=****&sslmode=require");
  // An unencoded '@' or '/' in the password must not leak the rest of it.
  EXPECT_EQ(redact_url("postgresql://u:p@ss/w@h/db"), "postgresql://u:****@h/db");
  EXPECT_EQ(url_password("postgresql://u:p%40ss@h/db"), "p@ss");
  EXPECT_EQ(url_password("postgresql://u@h/db"), std::nullopt);
}

TEST(UrlTest, ScrubsPasswordsFromMessages) {
  std::string url = "postgresql://u:p%40ss@h/db";
  EXPECT_EQ(scrub_secrets("bad token p%40ss near p@ss", url), "bad token **** near ****");
}

TEST(TimeTest, FormatsIsoUtcWithMilliseconds) {
  Timestamp t = Timestamp{std::chrono::milliseconds{1709283600123}};  // 2024-03-01T09:00:00.123Z
  EXPECT_EQ(to_iso(t), "2024-03-01T09:00:00.123Z");
  EXPECT_EQ(to_sql_timestamp(t), "2024-03-01 09:00:00");
  EXPECT_EQ(to_iso(Timestamp{}), "1970-01-01T00:00:00.000Z");
}

TEST(TimeTest, ParsesWhatBothEnginesReturn) {
  auto iso = parse_timestamp("2024-03-01T09:00:00.123Z");
  ASSERT_TRUE(iso.ok());
  EXPECT_EQ(to_iso(*iso), "2024-03-01T09:00:00.123Z");
  auto pg = parse_timestamp("2024-03-01 09:00:00.123456");
  ASSERT_TRUE(pg.ok());
  EXPECT_EQ(to_iso(*pg), "2024-03-01T09:00:00.123Z");
  auto tz = parse_timestamp("2024-03-01 09:00:00+00");
  ASSERT_TRUE(tz.ok());
  EXPECT_FALSE(parse_timestamp("2024-02-30T00:00:00Z").ok());
  EXPECT_FALSE(parse_timestamp("2024-03-01T09:00:00+02:00").ok());
  EXPECT_FALSE(parse_timestamp("yesterday").ok());
}

TEST(TimeTest, NormalisesToSeconds) {
  EXPECT_EQ(normalise_timestamp("2024-03-01 09:00:05.987654"), "2024-03-01T09:00:05Z");
  EXPECT_EQ(normalise_timestamp("2024-03-01 09:00:05"), "2024-03-01T09:00:05Z");
  EXPECT_EQ(normalise_timestamp("garbage"), "garbage");
}

TEST(TimeTest, IsoTextSortsLikeTime) {
  Timestamp a = *parse_timestamp("2024-03-01T09:00:00.999Z");
  Timestamp b = *parse_timestamp("2024-03-01T09:00:01.000Z");
  EXPECT_LT(to_iso(a), to_iso(b));
}

}  // namespace
}  // namespace switchboard::store
