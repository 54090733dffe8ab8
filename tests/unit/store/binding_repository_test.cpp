#include "store/binding_repository.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_db.hpp"

namespace switchboard::store {
namespace {

using std::chrono::seconds;

StoredBinding binding(std::string aor, std::string key, Timestamp expires) {
  StoredBinding b;
  b.aor = std::move(aor);
  b.binding_key = std::move(key);
  b.contact = "sip:" + b.aor + "@198.51.100.7:5062";
  b.call_id = "call-" + b.aor;
  b.cseq = 3;
  b.q = 500;
  b.path = "<sip:edge.example.net;lr>";
  b.user_agent = "Phone/1.0";
  b.transport = "UDP";
  b.source_ip = "198.51.100.7";
  b.source_port = 5062;
  b.expires_at = expires;
  return b;
}

class BindingRepositoryTest : public testing::EngineTest {
 protected:
  BindingRepository repo() { return BindingRepository(db(), clock_.fn()); }
  Timestamp in(int s) { return clock_.now + seconds(s); }
};

TEST_P(BindingRepositoryTest, UpsertReplacesByAorAndKey) {
  ASSERT_TRUE(repo().upsert(binding("1001", "k1", in(60))).ok());
  auto b = binding("1001", "k1", in(600));
  b.cseq = 4;
  b.source_port = 6000;
  ASSERT_TRUE(repo().upsert(b).ok());
  ASSERT_TRUE(repo().upsert(binding("1001", "k2", in(60))).ok());
  ASSERT_TRUE(repo().upsert(binding("1002", "k1", in(60))).ok());
  EXPECT_EQ(repo().count().value(), 3);
  auto rows = repo().list_for("1001");
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].binding_key, "k1");
  EXPECT_EQ((*rows)[0].cseq, 4);
  EXPECT_EQ((*rows)[0].source_port, 6000);
  EXPECT_EQ((*rows)[0].expires_at, in(600));
  EXPECT_EQ((*rows)[0].path, "<sip:edge.example.net;lr>");
  EXPECT_EQ((*rows)[0].q, 500);
  EXPECT_EQ((*rows)[0].updated_at, clock_.now);
}

TEST_P(BindingRepositoryTest, LiveListAndPurgeFollowExpiry) {
  ASSERT_TRUE(repo().upsert(binding("1001", "old", in(-1))).ok());
  ASSERT_TRUE(repo().upsert(binding("1001", "new", in(60))).ok());
  auto live = repo().list_live(clock_.now);
  ASSERT_TRUE(live.ok());
  ASSERT_EQ(live->size(), 1u);
  EXPECT_EQ((*live)[0].binding_key, "new");
  auto purged = repo().purge_expired(clock_.now);
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 1);
  EXPECT_EQ(repo().count().value(), 1);
}

TEST_P(BindingRepositoryTest, RemoveAndBatchesApplyInOrder) {
  ASSERT_TRUE(repo().upsert(binding("1001", "k1", in(60))).ok());
  EXPECT_TRUE(repo().remove("1001", "k1").ok());
  EXPECT_EQ(repo().remove("1001", "k1").error().code, ErrorCode::kNotFound);

  std::vector<BindingWrite> batch;
  batch.push_back({false, binding("1001", "a", in(60))});
  batch.push_back({false, binding("1001", "b", in(60))});
  batch.push_back({true, binding("1001", "a", in(0))});
  batch.push_back({false, binding("1002", "a", in(60))});
  ASSERT_TRUE(repo().apply(batch).ok());
  auto rows = repo().list_live(clock_.now);
  ASSERT_TRUE(rows.ok());
  std::vector<std::string> keys;
  for (const auto& r : *rows) keys.push_back(r.aor + "/" + r.binding_key);
  EXPECT_THAT(keys, ::testing::ElementsAre("1001/b", "1002/a"));
}

TEST_P(BindingRepositoryTest, ABadWriteRollsTheWholeBatchBack) {
  std::vector<BindingWrite> batch;
  batch.push_back({false, binding("1001", "a", in(60))});
  auto bad = binding("1001", "b", in(60));
  bad.transport = "SCTP";  // violates the CHECK constraint
  batch.push_back({false, bad});
  EXPECT_FALSE(repo().apply(batch).ok());
  EXPECT_EQ(repo().count().value(), 0);
  EXPECT_FALSE(repo().upsert(binding("", "a", in(60))).ok());
}

SB_INSTANTIATE_ON_BOTH_ENGINES(BindingRepositoryTest);

}  // namespace
}  // namespace switchboard::store
