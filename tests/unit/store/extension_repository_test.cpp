#include "store/extension_repository.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_db.hpp"

namespace switchboard::store {
namespace {

using std::chrono::hours;

Extension ext(std::string number, ExtensionSource source = ExtensionSource::kApi) {
  Extension e;
  e.number = std::move(number);
  e.name = "Ext " + e.number;
  e.email = e.number + "@example.com";
  e.allow_external = true;
  e.ha1_md5 = "0123456789abcdef0123456789abcdef";
  e.ha1_sha256 = std::string(64, 'a');
  e.realm = "pbx.example.com";
  e.voicemail_pin_hash = "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA";
  e.source = source;
  return e;
}

class ExtensionRepositoryTest : public testing::EngineTest {
 protected:
  ExtensionRepository repo() { return ExtensionRepository(db(), clock_.fn()); }

  std::vector<std::string> numbers() {
    std::vector<std::string> out;
    auto all = repo().list();  // named: a range-for over *temporary would dangle
    EXPECT_TRUE(all.ok()) << all.error().message;
    if (!all) return out;
    for (const auto& e : *all) out.push_back(e.number + ":" + to_string(e.source));
    return out;
  }
};

TEST_P(ExtensionRepositoryTest, UpsertThenGetReturnsEveryField) {
  auto stored = repo().upsert(ext("1001"));
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  auto got = repo().get("1001");
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->name, "Ext 1001");
  EXPECT_EQ(got->email, "1001@example.com");
  EXPECT_TRUE(got->allow_external);
  EXPECT_TRUE(got->enabled);
  EXPECT_EQ(got->ha1_md5, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(got->ha1_sha256, std::string(64, 'a'));
  EXPECT_EQ(got->realm, "pbx.example.com");
  EXPECT_EQ(got->voicemail_pin_hash, "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA");
  EXPECT_EQ(got->source, ExtensionSource::kApi);
  EXPECT_EQ(to_iso(got->created_at), "2024-03-01T09:00:00.000Z");
  EXPECT_EQ(got->updated_at, got->created_at);
}

TEST_P(ExtensionRepositoryTest, UpsertReplacesButKeepsCreatedAt) {
  ASSERT_TRUE(repo().upsert(ext("1001")).ok());
  clock_.now += hours(1);
  Extension changed = ext("1001");
  changed.name = "Renamed";
  changed.enabled = false;
  changed.allow_external = false;
  auto stored = repo().upsert(changed);
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  EXPECT_EQ(stored->name, "Renamed");
  EXPECT_FALSE(stored->enabled);
  EXPECT_FALSE(stored->allow_external);
  EXPECT_EQ(to_iso(stored->created_at), "2024-03-01T09:00:00.000Z");
  EXPECT_EQ(to_iso(stored->updated_at), "2024-03-01T10:00:00.000Z");
  EXPECT_EQ(repo().list()->size(), 1u);
}

TEST_P(ExtensionRepositoryTest, MissingExtensionIsNotFound) {
  auto got = repo().get("9999");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
  Status removed = repo().remove("9999");
  ASSERT_FALSE(removed.ok());
  EXPECT_EQ(removed.error().code, ErrorCode::kNotFound);
}

TEST_P(ExtensionRepositoryTest, EmptyNumberIsRejected) {
  auto r = repo().upsert(ext(""));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(ExtensionRepositoryTest, ListIsOrderedAndRemoveDeletes) {
  for (const char* n : {"1003", "1001", "1002"}) ASSERT_TRUE(repo().upsert(ext(n)).ok());
  EXPECT_THAT(numbers(), ::testing::ElementsAre("1001:api", "1002:api", "1003:api"));
  ASSERT_TRUE(repo().remove("1002").ok());
  EXPECT_THAT(numbers(), ::testing::ElementsAre("1001:api", "1003:api"));
}

TEST_P(ExtensionRepositoryTest, SyncFromConfigPrunesOnlyConfigRows) {
  ASSERT_TRUE(repo().sync_from_config({ext("1000"), ext("1001"), ext("1002")}).ok());
  ASSERT_TRUE(repo().upsert(ext("2000", ExtensionSource::kApi)).ok());
  ASSERT_TRUE(repo().upsert(ext("3000", ExtensionSource::kLdap)).ok());

  // 1002 left the config file; 1003 joined.
  auto report = repo().sync_from_config({ext("1000"), ext("1001"), ext("1003")});
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->upserted, 3);
  EXPECT_EQ(report->removed, 1);
  EXPECT_THAT(numbers(), ::testing::ElementsAre("1000:config", "1001:config", "1003:config",
                                                "2000:api", "3000:ldap"));

  // An empty config removes every config row and nothing else.
  report = repo().sync_from_config({});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->removed, 3);
  EXPECT_THAT(numbers(), ::testing::ElementsAre("2000:api", "3000:ldap"));
}

TEST_P(ExtensionRepositoryTest, SyncTakesOverAnApiRowOfTheSameNumber) {
  ASSERT_TRUE(repo().upsert(ext("1001", ExtensionSource::kApi)).ok());
  ASSERT_TRUE(repo().sync_from_config({ext("1001")}).ok());
  EXPECT_THAT(numbers(), ::testing::ElementsAre("1001:config"));
}

TEST_P(ExtensionRepositoryTest, FailedSyncChangesNothing) {
  ASSERT_TRUE(repo().sync_from_config({ext("1000"), ext("1001")}).ok());
  // The empty number fails half-way; the earlier upsert and the prune of 1001
  // must both be undone.
  Extension renamed = ext("1000");
  renamed.name = "changed";
  auto report = repo().sync_from_config({renamed, ext("")});
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(numbers(), ::testing::ElementsAre("1000:config", "1001:config"));
  EXPECT_EQ(repo().get("1000")->name, "Ext 1000");
}

SB_INSTANTIATE_ON_BOTH_ENGINES(ExtensionRepositoryTest);

}  // namespace
}  // namespace switchboard::store
