// The outbox table on SQLite and PostgreSQL.
#include "store/mail_outbox_repository.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/voicemail_repository.hpp"
#include "unit/store/test_db.hpp"

namespace switchboard::store {
namespace {

class MailOutboxRepositoryTest : public testing::EngineTest {
 protected:
  MailOutboxRepository repo() { return MailOutboxRepository(db(), clock_.fn()); }
};

TEST_P(MailOutboxRepositoryTest, EnqueueIsIdempotentPerKey) {
  auto first = repo().enqueue_voicemail(7, "1001", "alice@example.com");
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_GT(*first, 0);
  auto again = repo().enqueue_voicemail(7, "1001", "alice@example.com");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(*again, 0);
  auto e = repo().get(*first);
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ(e->dedup_key, "voicemail:7");
  EXPECT_EQ(e->kind, OutboxKind::kVoicemail);
  EXPECT_EQ(e->status, OutboxStatus::kPending);
  EXPECT_EQ(e->recipient, "alice@example.com");
  EXPECT_EQ(e->voicemail_id, 7);
  EXPECT_EQ(e->attempts, 0);
  EXPECT_EQ(e->next_attempt_at, clock_.now);
  EXPECT_FALSE(e->sent_at);
}

TEST_P(MailOutboxRepositoryTest, RejectsIncompleteRows) {
  EXPECT_EQ(repo().enqueue_voicemail(7, "1001", "").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(repo().enqueue_voicemail(0, "1001", "a@b.c").error().code, ErrorCode::kInvalidArgument);
}

TEST_P(MailOutboxRepositoryTest, DueFailedSentAndCancelled) {
  auto a = *repo().enqueue_voicemail(1, "1001", "a@example.com");
  auto b = *repo().enqueue_voicemail(2, "1002", "b@example.com");
  OutboxEntry r;
  r.dedup_key = "reminder:1003:2024-03-01";
  r.kind = OutboxKind::kReminder;
  r.recipient = "c@example.com";
  r.mailbox = "1003";
  r.subject = "Reminder";
  r.body = "two messages";
  auto c = *repo().enqueue(r);
  EXPECT_EQ(repo().due(clock_.now, 10)->size(), 3u);
  EXPECT_EQ(repo().due(clock_.now, 2)->size(), 2u);

  const auto later = clock_.now + std::chrono::minutes(5);
  ASSERT_TRUE(repo().mark_failed(a, "SMTP down", later).ok());
  ASSERT_TRUE(repo().mark_sent(b).ok());
  ASSERT_TRUE(repo().cancel(c, "gone").ok());
  EXPECT_TRUE(repo().due(clock_.now, 10)->empty());
  EXPECT_EQ(*repo().next_due(), later);
  auto failed = *repo().get(a);
  EXPECT_EQ(failed.attempts, 1);
  EXPECT_EQ(failed.last_error, "SMTP down");
  auto due_later = *repo().due(later, 10);
  ASSERT_EQ(due_later.size(), 1u);
  EXPECT_EQ(due_later[0].id, a);
  auto sent = *repo().get(b);
  EXPECT_EQ(sent.status, OutboxStatus::kSent);
  ASSERT_TRUE(sent.sent_at);
  EXPECT_EQ(*sent.sent_at, clock_.now);
  auto cancelled = *repo().get(c);
  EXPECT_EQ(cancelled.status, OutboxStatus::kCancelled);
  EXPECT_EQ(cancelled.body, "two messages");
  // A row that is no longer pending cannot be sent or failed again.
  EXPECT_EQ(repo().mark_sent(b).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(repo().mark_failed(c, "x", later).error().code, ErrorCode::kNotFound);

  ASSERT_TRUE(repo().mark_sent(a).ok());
  EXPECT_FALSE(repo().next_due()->has_value());
  EXPECT_EQ(repo().list(OutboxStatus::kSent, 10)->size(), 2u);
  EXPECT_EQ(repo().list(std::nullopt, 10)->size(), 3u);
}

TEST_P(MailOutboxRepositoryTest, LongErrorsAreClippedOnACharacterBoundary) {
  auto a = *repo().enqueue_voicemail(1, "1001", "a@example.com");
  std::string err(499, 'x');
  err += "ü and more";  // the 2-byte character straddles the 500-byte cut
  ASSERT_TRUE(repo().mark_failed(a, err, clock_.now).ok());
  EXPECT_EQ(repo().get(a)->last_error, std::string(499, 'x'));
}

TEST_P(MailOutboxRepositoryTest, WrittenInTheVoicemailsTransaction) {
  // The voicemail feature's step: the message and its e-mail, both or none.
  VoicemailMessage m;
  m.mailbox = "1001";
  m.received_at = clock_.now;
  m.file_path = "/var/vm/1.wav";
  std::int64_t id = 0;
  auto s = transaction(db(), [&]() -> Status {
    auto v = VoicemailRepository(db()).insert(m);
    if (!v) return v.error();
    id = *v;
    auto o = repo().enqueue_voicemail(id, m.mailbox, "a@example.com");
    if (!o) return o.error();
    return make_error(ErrorCode::kInternal, "crash before commit");
  });
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(repo().list(std::nullopt, 10)->empty());
  EXPECT_EQ(VoicemailRepository(db()).get(id).error().code, ErrorCode::kNotFound);
}

SB_INSTANTIATE_ON_BOTH_ENGINES(MailOutboxRepositoryTest);

}  // namespace
}  // namespace switchboard::store
