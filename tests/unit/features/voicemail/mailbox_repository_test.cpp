// store::MailboxRepository (migration 10) on SQLite and PostgreSQL:
// settings upserts, failure counters, lockouts and their clearing; and
// VoicemailRepository::has_file.
#include "store/mailbox_repository.hpp"

#include <gtest/gtest.h>

#include "store/voicemail_repository.hpp"
#include "unit/store/test_db.hpp"

namespace switchboard::store {
namespace {

class MailboxRepositoryTest : public testing::EngineTest {
 protected:
  MailboxRepository repo() { return MailboxRepository(db(), clock_.fn()); }
};

TEST_P(MailboxRepositoryTest, SettingsDefaultEmptyThenUpserted) {
  auto s = repo().get("1001");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->mailbox, "1001");
  EXPECT_TRUE(s->pin_hash.empty() && s->greeting_busy.empty() && s->name_recording.empty());
  ASSERT_TRUE(repo().set_pin_hash("1001", "pbkdf2-sha256$1$aa$bb").ok());
  ASSERT_TRUE(repo().set_recording("1001", Recording::kBusyGreeting, "/vm/1001/busy.wav").ok());
  ASSERT_TRUE(repo().set_recording("1001", Recording::kName, "/vm/1001/name.wav").ok());
  ASSERT_TRUE(
      repo().set_recording("1001", Recording::kUnavailableGreeting, "/vm/1001/un.wav").ok());
  ASSERT_TRUE(repo().set_pin_hash("1001", "pbkdf2-sha256$1$cc$dd").ok());
  s = repo().get("1001");
  EXPECT_EQ(s->pin_hash, "pbkdf2-sha256$1$cc$dd");
  EXPECT_EQ(s->greeting_busy, "/vm/1001/busy.wav");
  EXPECT_EQ(s->greeting_unavailable, "/vm/1001/un.wav");
  EXPECT_EQ(s->name_recording, "/vm/1001/name.wav");
  EXPECT_TRUE(repo().get("1002")->pin_hash.empty());
  EXPECT_FALSE(repo().set_pin_hash("", "x").ok());
}

TEST_P(MailboxRepositoryTest, FailuresLockAtTheThresholdAndClear) {
  Timestamp until = clock_.now + std::chrono::minutes(30);
  for (int i = 1; i <= 2; ++i) {
    auto f = repo().add_failure(LockScope::kMailbox, "1001", 3, until);
    ASSERT_TRUE(f.ok()) << f.error().message;
    EXPECT_EQ(f->failures, i);
    EXPECT_FALSE(f->locked_at(clock_.now));
  }
  auto f = repo().add_failure(LockScope::kMailbox, "1001", 3, until);
  EXPECT_TRUE(f->locked_at(clock_.now));
  EXPECT_FALSE(f->locked_at(until));
  // The same subject in the other scope is counted apart.
  EXPECT_EQ(repo().failures(LockScope::kSource, "1001")->failures, 0);
  ASSERT_TRUE(repo().add_failure(LockScope::kSource, "10.0.0.9", 0, until).ok());
  auto locked = repo().locked(clock_.now);
  ASSERT_TRUE(locked.ok()) << locked.error().message;
  ASSERT_EQ(locked->size(), 1U);
  EXPECT_EQ((*locked)[0].subject, "1001");
  EXPECT_EQ((*locked)[0].failures, 3);
  EXPECT_TRUE(repo().locked(until)->empty());
  EXPECT_TRUE(*repo().clear(LockScope::kMailbox, "1001"));
  EXPECT_FALSE(*repo().clear(LockScope::kMailbox, "1001"));
  EXPECT_EQ(repo().failures(LockScope::kMailbox, "1001")->failures, 0);
  EXPECT_FALSE(repo().failures(LockScope::kMailbox, "1001")->locked_until.has_value());
  EXPECT_EQ(repo().failures(LockScope::kSource, "10.0.0.9")->failures, 1);
}

TEST_P(MailboxRepositoryTest, HasFile) {
  VoicemailRepository messages(db());
  VoicemailMessage m;
  m.mailbox = "1001";
  m.received_at = clock_.now;
  m.file_path = "/vm/1001/a.wav";
  ASSERT_TRUE(messages.insert(m).ok());
  EXPECT_TRUE(*messages.has_file("/vm/1001/a.wav"));
  EXPECT_FALSE(*messages.has_file("/vm/1001/b.wav"));
}

SB_INSTANTIATE_ON_BOTH_ENGINES(MailboxRepositoryTest);

}  // namespace
}  // namespace switchboard::store
