#include "store/audit_repository.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_db.hpp"

namespace switchboard::store {
namespace {

AuditEntry entry(const char* actor, const char* action, const char* target = "") {
  AuditEntry e;
  e.actor = actor;
  e.action = action;
  e.target = target;
  e.source_ip = "192.0.2.10";
  e.details = R"({"reason":"test","n":1})";
  return e;
}

class AuditRepositoryTest : public testing::EngineTest {
 protected:
  AuditRepository repo() { return AuditRepository(db(), clock_.fn()); }

  // Appends one entry per minute from the fake clock's start.
  void load() {
    for (const auto& e : {entry("alice", "user.create", "bob"), entry("bob", "login"),
                          entry("alice", "vip.update", "+1555"), entry("system", "config.reload"),
                          entry("alice", "user.delete", "bob")}) {
      ASSERT_TRUE(repo().append(e).ok());
      clock_.now += std::chrono::minutes(1);
    }
  }

  static std::vector<std::string> actions(const Page<AuditEntry>& page) {
    std::vector<std::string> out;
    for (const auto& e : page.items) out.push_back(e.action);
    return out;
  }
};

TEST_P(AuditRepositoryTest, AppendRecordsEveryFieldWithTheRepositoryClock) {
  AuditEntry e = entry("alice", "user.create", "bob");
  e.at = *parse_timestamp("1999-01-01T00:00:00Z");  // ignored: the log keeps its own time
  auto id = repo().append(e);
  ASSERT_TRUE(id.ok()) << id.error().message;
  auto page = repo().query({});
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->items.size(), 1u);
  const AuditEntry& got = page->items[0];
  EXPECT_EQ(got.id, *id);
  EXPECT_EQ(to_iso(got.at), "2024-03-01T09:00:00.000Z");
  EXPECT_EQ(got.actor, "alice");
  EXPECT_EQ(got.source_ip, "192.0.2.10");
  EXPECT_EQ(got.action, "user.create");
  EXPECT_EQ(got.target, "bob");
  EXPECT_EQ(got.details, R"({"reason":"test","n":1})");
}

TEST_P(AuditRepositoryTest, RejectsIncompleteEntriesAndNonJsonDetails) {
  EXPECT_EQ(repo().append(entry("", "login")).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(repo().append(entry("alice", "")).error().code, ErrorCode::kInvalidArgument);
  AuditEntry e = entry("alice", "login");
  e.details = "{not json";
  EXPECT_EQ(repo().append(e).error().code, ErrorCode::kInvalidArgument);
  e.details.clear();  // empty means "{}"
  ASSERT_TRUE(repo().append(e).ok());
  EXPECT_EQ(repo().query({})->items[0].details, "{}");
}

TEST_P(AuditRepositoryTest, QueryIsNewestFirstWithFilters) {
  load();
  auto all = repo().query({});
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(all->total, 5);
  EXPECT_THAT(actions(*all), ::testing::ElementsAre("user.delete", "config.reload", "vip.update",
                                                    "login", "user.create"));

  AuditFilter by_actor;
  by_actor.actor = "alice";
  auto alice = repo().query(by_actor);
  ASSERT_TRUE(alice.ok());
  EXPECT_EQ(alice->total, 3);
  EXPECT_THAT(actions(*alice), ::testing::ElementsAre("user.delete", "vip.update", "user.create"));

  AuditFilter by_action;
  by_action.action = "login";
  EXPECT_EQ(repo().query(by_action)->total, 1);

  AuditFilter window;  // [09:01, 09:03)
  window.from = *parse_timestamp("2024-03-01T09:01:00Z");
  window.to = *parse_timestamp("2024-03-01T09:03:00Z");
  auto w = repo().query(window);
  ASSERT_TRUE(w.ok());
  EXPECT_THAT(actions(*w), ::testing::ElementsAre("vip.update", "login"));

  AuditFilter page;
  page.actor = "alice";
  page.limit = 1;
  page.offset = 1;
  auto p = repo().query(page);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->total, 3);
  EXPECT_THAT(actions(*p), ::testing::ElementsAre("vip.update"));

  page.limit = kMaxPageSize + 1;
  EXPECT_EQ(repo().query(page).error().code, ErrorCode::kInvalidArgument);
}

TEST_P(AuditRepositoryTest, SameInstantEntriesKeepAppendOrder) {
  ASSERT_TRUE(repo().append(entry("a", "first")).ok());
  ASSERT_TRUE(repo().append(entry("a", "second")).ok());
  auto all = repo().query({});
  ASSERT_TRUE(all.ok());
  EXPECT_THAT(actions(*all), ::testing::ElementsAre("second", "first"));
}

TEST_P(AuditRepositoryTest, HostileTextIsStoredVerbatim) {
  AuditEntry e = entry("alice'; DELETE FROM audit_log; --", "login?");
  e.details = R"({"note":"'); DROP TABLE audit_log; --"})";
  ASSERT_TRUE(repo().append(e).ok());
  AuditFilter f;
  f.actor = "alice'; DELETE FROM audit_log; --";
  auto r = repo().query(f);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->total, 1);
  EXPECT_EQ(r->items[0].action, "login?");
  EXPECT_EQ(r->items[0].details, e.details);
}

SB_INSTANTIATE_ON_BOTH_ENGINES(AuditRepositoryTest);

}  // namespace
}  // namespace switchboard::store
