// The outbox's behaviour in virtual time: one e-mail per message, retries
// with capped exponential backoff that never give up, a restart resuming
// pending rows, delete-after-email only after acceptance.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mail_fixture.hpp"

namespace switchboard::features::mail::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST_F(MailServiceTest, SendsOneEmailPerNewMessage) {
  start_service();
  auto m = add_message("1001");
  service_->message_stored(m, "alice@example.com");
  run_queues();
  ASSERT_EQ(transport_->sent.size(), 1u);
  const auto& s = transport_->sent[0];
  EXPECT_EQ(s.from, "voicemail@example.com");
  EXPECT_EQ(s.to, "alice@example.com");
  EXPECT_THAT(s.message, HasSubstr("Subject: New Voicemail from 1002 - 2026-03-02 07:00:00\r\n"));
  EXPECT_THAT(s.message, HasSubstr("Content-Type: audio/wav"));
  auto rows = outbox();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].status, store::OutboxStatus::kSent);
  EXPECT_EQ(rows[0].attempts, 1);

  // The same message again (the voicemail feature retried): no second e-mail.
  service_->message_stored(m, "alice@example.com");
  run_queues();
  EXPECT_EQ(transport_->sent.size(), 1u);
  EXPECT_EQ(service_->stats().sent.load(), 1u);
  // The message itself stays (delete-after-email is off).
  EXPECT_TRUE(store::VoicemailRepository(db()).get(m.id).ok());
  EXPECT_TRUE(std::filesystem::exists(m.file_path));
}

TEST_F(MailServiceTest, NoAddressOrABadOneQueuesNothing) {
  start_service();
  auto m = add_message("1001");
  service_->message_stored(m, "");
  service_->message_stored(m, "not an address");
  run_queues();
  EXPECT_TRUE(outbox().empty());
  EXPECT_TRUE(transport_->attempts.empty());
}

TEST_F(MailServiceTest, RetriesWithCappedExponentialBackoffUntilAccepted) {
  transport_->failures_left = 5;
  start_service();
  auto m = add_message("1001");
  const auto t0 = wall_now();
  service_->message_stored(m, "alice@example.com");
  run_queues();
  ASSERT_EQ(transport_->attempts.size(), 1u);
  auto row = outbox().at(0);
  EXPECT_EQ(row.status, store::OutboxStatus::kPending);
  EXPECT_EQ(row.attempts, 1);
  EXPECT_THAT(row.last_error, HasSubstr("Couldn't connect"));

  advance(seconds(60));
  // 1 s, 2 s, 4 s, then the 4 s cap: attempts at 0, 1, 3, 7, 11, 15.
  std::vector<long> at;
  for (auto t : transport_->attempts) at.push_back((t - t0).count() / 1000);
  EXPECT_THAT(at, ElementsAre(0, 1, 3, 7, 11, 15));
  ASSERT_EQ(transport_->sent.size(), 1u);
  EXPECT_EQ(outbox().at(0).status, store::OutboxStatus::kSent);
  EXPECT_EQ(outbox().at(0).attempts, 6);
  EXPECT_EQ(timers_.pending(), 0u);  // nothing left to retry
}

TEST_F(MailServiceTest, ServerDownIsTriedOncePerRoundNotOncePerMessage) {
  transport_->failures_left = 1000;
  start_service();
  for (int i = 0; i < 5; ++i) service_->message_stored(add_message("1001"), "a@example.com");
  run_queues();
  EXPECT_EQ(transport_->attempts.size(), 1u);
  advance(seconds(30));
  // The whole outbox waits with the server: rounds at 0, 1, 3, 7, 11, 15,
  // 19, 23, 27 s — one attempt each, never a burst of five.
  EXPECT_LE(transport_->attempts.size(), 10u);
  EXPECT_EQ(outbox().size(), 5u);
  for (const auto& r : outbox()) EXPECT_EQ(r.status, store::OutboxStatus::kPending);

  transport_->failures_left = 0;  // the server is back
  advance(seconds(10));
  EXPECT_EQ(transport_->sent.size(), 5u);
}

TEST_F(MailServiceTest, ARestartResumesPendingRows) {
  transport_->failures_left = 1;
  start_service();
  auto m = add_message("1001");
  service_->message_stored(m, "alice@example.com");
  run_queues();
  EXPECT_TRUE(transport_->sent.empty());
  service_.reset();  // the process stops with the e-mail unsent
  EXPECT_EQ(timers_.pending(), 0u);

  transport_ = std::make_shared<ScriptedTransport>([this] { return wall_now(); });
  start_service();  // the next run
  advance(seconds(2));
  ASSERT_EQ(transport_->sent.size(), 1u);
  EXPECT_EQ(transport_->sent[0].to, "alice@example.com");
  EXPECT_EQ(outbox().at(0).status, store::OutboxStatus::kSent);
}

TEST_F(MailServiceTest, QueuedInTheVoicemailTransactionIsSentAtStart) {
  auto m = add_message("1001");
  auto id =
      MailService::enqueue_voicemail(db(), m, "alice@example.com", [this] { return wall_now(); });
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_FALSE(MailService::enqueue_voicemail(db(), m, "bad").ok());
  start_service();
  EXPECT_EQ(transport_->sent.size(), 1u);
}

TEST_F(MailServiceTest, DeleteAfterEmailOnlyOnceTheServerAccepted) {
  options_.email.delete_after_email = true;
  transport_->failures_left = 2;
  start_service();
  std::vector<std::string> emptied;
  service_->set_message_removed_hook([&](const std::string& mb) { emptied.push_back(mb); });
  auto m = add_message("1001");
  service_->message_stored(m, "alice@example.com");
  run_queues();
  advance(milliseconds(1500));  // second attempt fails too
  EXPECT_EQ(transport_->attempts.size(), 2u);
  EXPECT_TRUE(std::filesystem::exists(m.file_path));
  EXPECT_TRUE(store::VoicemailRepository(db()).get(m.id).ok());
  EXPECT_TRUE(emptied.empty());

  advance(seconds(3));
  ASSERT_EQ(transport_->sent.size(), 1u);
  EXPECT_THAT(transport_->sent[0].message, HasSubstr("removed from your mailbox"));
  EXPECT_FALSE(std::filesystem::exists(m.file_path));
  EXPECT_EQ(store::VoicemailRepository(db()).get(m.id).error().code, ErrorCode::kNotFound);
  EXPECT_THAT(emptied, ElementsAre("1001"));
}

TEST_F(MailServiceTest, AMessageDeletedBeforeSendingIsCancelledNotSent) {
  transport_->failures_left = 1;
  start_service();
  auto m = add_message("1001");
  service_->message_stored(m, "alice@example.com");
  run_queues();
  ASSERT_TRUE(store::VoicemailRepository(db()).remove(m.id).ok());
  advance(seconds(2));
  EXPECT_TRUE(transport_->sent.empty());
  auto row = outbox().at(0);
  EXPECT_EQ(row.status, store::OutboxStatus::kCancelled);
  EXPECT_THAT(row.last_error, HasSubstr("deleted"));
}

TEST_F(MailServiceTest, RefusesOptionsThatCannotWork) {
  auto bad = options_;
  bad.email.from_address = "";
  EXPECT_EQ(MailService::create(environment(), bad).error().code, ErrorCode::kInvalidArgument);
  bad = options_;
  bad.email.subject_template = "From {who}";
  auto r = MailService::create(environment(), bad);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("{who}"));
  bad = options_;
  bad.smtp.port = 70000;
  EXPECT_FALSE(MailService::create(environment(), bad).ok());
  bad = options_;
  bad.reminders.hour = 24;
  EXPECT_FALSE(MailService::create(environment(), bad).ok());
}

TEST_F(MailServiceTest, ReloadAppliesNewOptionsToPendingRows) {
  transport_->failures_left = 3;
  options_.retry.initial = seconds(60);
  options_.retry.max = seconds(600);
  start_service();
  service_->message_stored(add_message("1001"), "alice@example.com");
  run_queues();
  transport_->failures_left = 0;  // e.g. the operator fixed the password
  auto next = options_;
  next.email.subject_template = "Voicemail {caller_id}";
  ASSERT_TRUE(service_->set_options(next).ok());
  run_queues();
  // The row itself still waits for its own backoff (60 s)…
  EXPECT_TRUE(transport_->sent.empty());
  advance(seconds(61));
  ASSERT_EQ(transport_->sent.size(), 1u);
  EXPECT_THAT(transport_->sent[0].message, HasSubstr("Subject: Voicemail 1002\r\n"));
}

}  // namespace
}  // namespace switchboard::features::mail::testing
