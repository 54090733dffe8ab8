#include "store/voicemail_repository.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_db.hpp"

namespace switchboard::store {
namespace {

VoicemailMessage message(const char* mailbox, const char* received, const char* caller = "1002") {
  VoicemailMessage m;
  m.mailbox = mailbox;
  m.caller_id = caller;
  m.caller_name = std::string("Caller ") + caller;
  m.received_at = *parse_timestamp(received);
  m.duration_ms = 12345;
  m.file_path = std::string("var/voicemail/") + mailbox + "/" + received + ".wav";
  return m;
}

class VoicemailRepositoryTest : public testing::EngineTest {
 protected:
  VoicemailRepository repo() { return VoicemailRepository(db()); }

  std::int64_t add(const VoicemailMessage& m) {
    auto id = repo().insert(m);
    EXPECT_TRUE(id.ok()) << id.error().message;
    return id.ok() ? *id : 0;
  }

  static std::vector<std::int64_t> ids(const std::vector<VoicemailMessage>& v) {
    std::vector<std::int64_t> out;
    for (const auto& m : v) out.push_back(m.id);
    return out;
  }
};

TEST_P(VoicemailRepositoryTest, InsertAndGet) {
  std::int64_t id = add(message("1001", "2024-03-01T08:00:00.500Z"));
  auto got = repo().get(id);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->mailbox, "1001");
  EXPECT_EQ(got->caller_id, "1002");
  EXPECT_EQ(got->caller_name, "Caller 1002");
  EXPECT_EQ(to_iso(got->received_at), "2024-03-01T08:00:00.500Z");
  EXPECT_EQ(got->duration_ms, 12345);
  EXPECT_EQ(got->folder, VoicemailFolder::kNew);
  EXPECT_FALSE(got->is_read);
  EXPECT_EQ(got->file_path, "var/voicemail/1001/2024-03-01T08:00:00.500Z.wav");
  EXPECT_EQ(repo().get(id + 100).error().code, ErrorCode::kNotFound);
}

TEST_P(VoicemailRepositoryTest, RejectsMessagesWithoutMailboxOrFile) {
  VoicemailMessage m = message("1001", "2024-03-01T08:00:00.000Z");
  m.mailbox.clear();
  EXPECT_EQ(repo().insert(m).error().code, ErrorCode::kInvalidArgument);
  m = message("1001", "2024-03-01T08:00:00.000Z");
  m.file_path.clear();
  EXPECT_EQ(repo().insert(m).error().code, ErrorCode::kInvalidArgument);
}

TEST_P(VoicemailRepositoryTest, ListsOneFolderOldestFirst) {
  std::int64_t late = add(message("1001", "2024-03-01T10:00:00.000Z"));
  std::int64_t early = add(message("1001", "2024-03-01T08:00:00.000Z"));
  add(message("1002", "2024-03-01T09:00:00.000Z"));
  auto list = repo().list("1001", VoicemailFolder::kNew);
  ASSERT_TRUE(list.ok()) << list.error().message;
  EXPECT_THAT(ids(*list), ::testing::ElementsAre(early, late));
  EXPECT_TRUE(repo().list("1001", VoicemailFolder::kSaved)->empty());
}

TEST_P(VoicemailRepositoryTest, MarkReadMoveAndCounts) {
  std::int64_t a = add(message("1001", "2024-03-01T08:00:00.000Z"));
  std::int64_t b = add(message("1001", "2024-03-01T09:00:00.000Z"));
  add(message("1001", "2024-03-01T10:00:00.000Z"));
  auto counts = repo().counts("1001");
  ASSERT_TRUE(counts.ok()) << counts.error().message;
  EXPECT_EQ(counts->new_messages, 3);
  EXPECT_EQ(counts->saved_messages, 0);

  ASSERT_TRUE(repo().mark_read(a).ok());
  EXPECT_TRUE(repo().get(a)->is_read);
  ASSERT_TRUE(repo().move(a, VoicemailFolder::kSaved).ok());
  ASSERT_TRUE(repo().move(b, VoicemailFolder::kDeleted).ok());
  counts = repo().counts("1001");
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->new_messages, 1);
  EXPECT_EQ(counts->saved_messages, 1);
  EXPECT_THAT(ids(*repo().list("1001", VoicemailFolder::kSaved)), ::testing::ElementsAre(a));

  ASSERT_TRUE(repo().mark_read(a, false).ok());
  EXPECT_FALSE(repo().get(a)->is_read);
  EXPECT_EQ(repo().mark_read(9999).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(repo().move(9999, VoicemailFolder::kSaved).error().code, ErrorCode::kNotFound);
}

TEST_P(VoicemailRepositoryTest, CountsOfAnEmptyMailboxAreZero) {
  auto counts = repo().counts("4242");
  ASSERT_TRUE(counts.ok()) << counts.error().message;
  EXPECT_EQ(counts->new_messages, 0);
  EXPECT_EQ(counts->saved_messages, 0);
}

TEST_P(VoicemailRepositoryTest, RemoveDeletesTheRow) {
  std::int64_t id = add(message("1001", "2024-03-01T08:00:00.000Z"));
  ASSERT_TRUE(repo().remove(id).ok());
  EXPECT_EQ(repo().get(id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(repo().remove(id).error().code, ErrorCode::kNotFound);
}

TEST_P(VoicemailRepositoryTest, UnreadOlderThanFindsReminderCandidates) {
  std::int64_t old_unread = add(message("1002", "2024-02-28T08:00:00.000Z"));
  std::int64_t old_read = add(message("1001", "2024-02-28T09:00:00.000Z"));
  std::int64_t old_deleted = add(message("1001", "2024-02-28T10:00:00.000Z"));
  std::int64_t old_saved_unread = add(message("1001", "2024-02-27T10:00:00.000Z"));
  add(message("1001", "2024-03-01T08:00:00.000Z"));  // too recent
  ASSERT_TRUE(repo().mark_read(old_read).ok());
  ASSERT_TRUE(repo().move(old_deleted, VoicemailFolder::kDeleted).ok());
  ASSERT_TRUE(repo().move(old_saved_unread, VoicemailFolder::kSaved).ok());

  auto due = repo().unread_older_than(*parse_timestamp("2024-02-29T00:00:00.000Z"));
  ASSERT_TRUE(due.ok()) << due.error().message;
  // By mailbox, then age.
  EXPECT_THAT(ids(*due), ::testing::ElementsAre(old_saved_unread, old_unread));
}

SB_INSTANTIATE_ON_BOTH_ENGINES(VoicemailRepositoryTest);

}  // namespace
}  // namespace switchboard::store
