#include "store/vip_repository.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_db.hpp"

namespace switchboard::store {
namespace {

VipCaller vip(std::string caller_id, int priority = kVip) {
  VipCaller v;
  v.caller_id = std::move(caller_id);
  v.name = "Caller " + v.caller_id;
  v.priority_level = priority;
  v.notes = "prefers German";
  v.special_routing = "1000";
  return v;
}

class VipRepositoryTest : public testing::EngineTest {
 protected:
  VipRepository repo() { return VipRepository(db(), clock_.fn()); }
};

TEST_P(VipRepositoryTest, CreateAndFindByCallerId) {
  auto created = repo().create(vip("+15551230001", kExecutive));
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_GT(created->id, 0);
  auto found = repo().find_by_caller_id("+15551230001");
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(found->id, created->id);
  EXPECT_EQ(found->name, "Caller +15551230001");
  EXPECT_EQ(found->priority_level, kExecutive);
  EXPECT_EQ(found->notes, "prefers German");
  EXPECT_EQ(found->special_routing, "1000");
  EXPECT_EQ(found->created_at, "2024-03-01T09:00:00Z");
  EXPECT_EQ(found->updated_at, "2024-03-01T09:00:00Z");
  EXPECT_EQ(repo().find_by_caller_id("+15550000000").error().code, ErrorCode::kNotFound);
}

TEST_P(VipRepositoryTest, OptionalFieldsRoundTripAsNull) {
  VipCaller v;
  v.caller_id = "2000";
  auto created = repo().create(v);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->name, std::nullopt);
  EXPECT_EQ(created->notes, std::nullopt);
  EXPECT_EQ(created->special_routing, std::nullopt);
  EXPECT_EQ(created->priority_level, kVip);
  auto raw = db().exec("SELECT name, notes FROM vip_callers WHERE id = ?", {created->id});
  ASSERT_TRUE(raw.ok());
  EXPECT_TRUE((*raw)[0].is_null("name"));
  EXPECT_TRUE((*raw)[0].is_null("notes"));
}

TEST_P(VipRepositoryTest, RowsWrittenByOtherProgramsGetDefaultsAndNormalisedTimes) {
  // As the legacy system would insert: no priority, timestamps by DEFAULT.
  ASSERT_TRUE(db().exec("INSERT INTO vip_callers (caller_id) VALUES ('3000')").ok());
  auto found = repo().find_by_caller_id("3000");
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(found->priority_level, kVip);
  EXPECT_THAT(found->created_at,
              ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"));
}

TEST_P(VipRepositoryTest, DuplicateCallerIdIsAlreadyExists) {
  ASSERT_TRUE(repo().create(vip("5551234")).ok());
  auto again = repo().create(vip("5551234", kVvip));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
}

TEST_P(VipRepositoryTest, ValidatesPriorityAndLengths) {
  for (int bad : {0, 4, -1}) {
    auto r = repo().create(vip("5551234", bad));
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_TRUE(repo().create(vip(std::string(20, '9'))).ok());
  EXPECT_EQ(repo().create(vip(std::string(21, '9'))).error().code, ErrorCode::kInvalidArgument);
  // 20 characters, 40 bytes: VARCHAR counts characters.
  std::string wide;
  for (int i = 0; i < 20; ++i) wide += "\xC3\xA9";
  EXPECT_TRUE(repo().create(vip(wide)).ok());
  VipCaller long_routing = vip("777");
  long_routing.special_routing = std::string(51, 'q');
  EXPECT_EQ(repo().create(long_routing).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(repo().create(vip("")).error().code, ErrorCode::kInvalidArgument);
}

TEST_P(VipRepositoryTest, UpdateSetsUpdatedAt) {
  auto created = repo().create(vip("5551234"));
  ASSERT_TRUE(created.ok());
  clock_.now += std::chrono::hours(26);
  VipCaller changed = *created;
  changed.priority_level = kVvip;
  changed.notes = std::nullopt;
  auto updated = repo().update(changed);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->priority_level, kVvip);
  EXPECT_EQ(updated->notes, std::nullopt);
  EXPECT_EQ(updated->created_at, "2024-03-01T09:00:00Z");
  EXPECT_EQ(updated->updated_at, "2024-03-02T11:00:00Z");

  changed.priority_level = 9;
  EXPECT_EQ(repo().update(changed).error().code, ErrorCode::kInvalidArgument);
  changed.priority_level = 1;
  changed.id = 424242;
  EXPECT_EQ(repo().update(changed).error().code, ErrorCode::kNotFound);
}

TEST_P(VipRepositoryTest, UpdateToATakenCallerIdIsAlreadyExists) {
  ASSERT_TRUE(repo().create(vip("111")).ok());
  auto second = repo().create(vip("222"));
  ASSERT_TRUE(second.ok());
  VipCaller changed = *second;
  changed.caller_id = "111";
  EXPECT_EQ(repo().update(changed).error().code, ErrorCode::kAlreadyExists);
}

TEST_P(VipRepositoryTest, ListAllOrByPriority) {
  ASSERT_TRUE(repo().create(vip("300", kVip)).ok());
  ASSERT_TRUE(repo().create(vip("100", kExecutive)).ok());
  ASSERT_TRUE(repo().create(vip("200", kVip)).ok());
  ASSERT_TRUE(repo().create(vip("400", kVvip)).ok());
  auto ids = [](const std::vector<VipCaller>& v) {
    std::vector<std::string> out;
    for (const auto& c : v) out.push_back(c.caller_id);
    return out;
  };
  auto all = repo().list();
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_THAT(ids(*all), ::testing::ElementsAre("100", "400", "200", "300"));
  auto vips = repo().list(kVip);
  ASSERT_TRUE(vips.ok());
  EXPECT_THAT(ids(*vips), ::testing::ElementsAre("200", "300"));
}

TEST_P(VipRepositoryTest, InjectionInCallerLookupFindsNothingAndHarmsNothing) {
  ASSERT_TRUE(repo().create(vip("5551234")).ok());
  auto r = repo().find_by_caller_id("' OR '1'='1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  VipCaller evil = vip("x'); DELETE --");
  evil.notes = "'; DROP TABLE vip_callers; --";
  auto created = repo().create(evil);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(repo().get(created->id)->notes, "'; DROP TABLE vip_callers; --");
  EXPECT_EQ(repo().list()->size(), 2u);
}

TEST_P(VipRepositoryTest, RemoveDeletes) {
  auto created = repo().create(vip("5551234"));
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(repo().remove(created->id).ok());
  EXPECT_EQ(repo().get(created->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(repo().remove(created->id).error().code, ErrorCode::kNotFound);
}

SB_INSTANTIATE_ON_BOTH_ENGINES(VipRepositoryTest);

}  // namespace
}  // namespace switchboard::store
