// The call_forwarding table and the CDR's forwarding columns (migration
// 14) on SQLite and PostgreSQL.
#include "store/forwarding_repository.hpp"

#include <gtest/gtest.h>

#include "store/cdr_repository.hpp"
#include "unit/store/test_db.hpp"

namespace switchboard::store {
namespace {

class ForwardingRepositoryTest : public testing::EngineTest {
 protected:
  ForwardingRepository repo() { return ForwardingRepository(db(), clock_.fn()); }
};

TEST_P(ForwardingRepositoryTest, SetReplacesPerExtensionAndCondition) {
  auto r = repo();
  auto first = r.set({"1001", "always", "1003", "1001"});
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->updated_at, clock_.now);
  ASSERT_TRUE(r.set({"1001", "busy", "voicemail", "1001"}).ok());
  ASSERT_TRUE(r.set({"1002", "no_answer", "0049301234", "admin"}).ok());
  clock_.now += std::chrono::minutes(5);
  ASSERT_TRUE(r.set({"1001", "always", "", "1001"}).ok());  // `*73`: off
  auto all = r.list();
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].extension, "1001");
  EXPECT_EQ((*all)[0].condition, "always");
  EXPECT_EQ((*all)[0].target, "");
  EXPECT_EQ((*all)[0].updated_at, clock_.now);
  EXPECT_EQ((*all)[1].condition, "busy");
  EXPECT_EQ((*all)[1].target, "voicemail");
  EXPECT_EQ((*all)[2].target, "0049301234");
  EXPECT_EQ((*all)[2].updated_by, "admin");
  auto mine = r.of("1002");
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].condition, "no_answer");
  ASSERT_TRUE(r.remove("1001", "busy").ok());
  EXPECT_EQ(r.remove("1001", "busy").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(r.list()->size(), 2u);
}

TEST_P(ForwardingRepositoryTest, RefusesBadRows) {
  auto r = repo();
  EXPECT_EQ(r.set({"", "always", "1002", ""}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.set({"1001", "sometimes", "1002", ""}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.set({"1001", "always", std::string(65, '1'), ""}).error().code,
            ErrorCode::kInvalidArgument);
  // The table's own check holds too.
  auto raw = db().exec(
      "INSERT INTO call_forwarding (extension, forward_on, target, updated_at)"
      " VALUES ('1001', 'never', '', '2024-01-01T00:00:00.000Z')");
  EXPECT_FALSE(raw.ok());
}

TEST_P(ForwardingRepositoryTest, TheCdrSaysWhoForwardedACall) {
  CdrRepository cdr(db());
  CdrRecord c;
  c.call_id = "fwd-1";
  c.caller = "1001";
  c.callee = "1003";
  c.start_time = clock_.now;
  c.end_time = clock_.now;
  c.disposition = Disposition::kNoAnswer;
  ASSERT_TRUE(cdr.open(c).ok());
  c.forwarded_from = "1002";
  c.forward_reason = "busy";
  c.forward_loop = true;
  ASSERT_TRUE(cdr.set_forwarding(c).ok());
  CdrRecord plain = c;
  plain.call_id = "plain-1";
  plain.forwarded_from.clear();
  ASSERT_TRUE(cdr.insert(plain).ok());
  CdrFilter f;
  auto page = cdr.query(f);
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->items.size(), 2u);
  for (const auto& row : page->items) {
    if (row.call_id == "fwd-1") {
      EXPECT_EQ(row.callee, "1003");
      EXPECT_EQ(row.forwarded_from, "1002");
      EXPECT_EQ(row.forward_reason, "busy");
      EXPECT_TRUE(row.forward_loop);
    } else {
      EXPECT_EQ(row.forwarded_from, "");
      EXPECT_EQ(row.forward_reason, "");
      EXPECT_FALSE(row.forward_loop);
    }
  }
  // The forwarding extension finds the call among its own.
  CdrFilter mine;
  mine.extension = "1002";
  auto forwarded_away = cdr.query(mine);
  ASSERT_TRUE(forwarded_away.ok());
  ASSERT_EQ(forwarded_away->items.size(), 1u);
  EXPECT_EQ(forwarded_away->items[0].call_id, "fwd-1");
  c.call_id = "nobody";
  EXPECT_EQ(cdr.set_forwarding(c).error().code, ErrorCode::kNotFound);
}

SB_INSTANTIATE_ON_BOTH_ENGINES(ForwardingRepositoryTest);

}  // namespace
}  // namespace switchboard::store
