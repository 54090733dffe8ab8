// The daily reminder in virtual time: the local time of day, one e-mail per
// mailbox with unread messages, every day, nothing when disabled.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "features/mail/reminder_scheduler.hpp"
#include "mail_fixture.hpp"
#include "store/extension_repository.hpp"

namespace switchboard::features::mail::testing {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

store::Timestamp at(const char* iso) {
  return *store::parse_timestamp(iso);
}

UtcOffsetFn offset_of(std::chrono::seconds s) {
  return [s](store::Timestamp) { return s; };
}

TEST(NextLocalTime, SameDayNextDayAndZones) {
  const auto utc = offset_of(seconds(0));
  EXPECT_EQ(next_local_time(at("2026-03-02T08:00:00Z"), 9, 0, utc), at("2026-03-02T09:00:00Z"));
  EXPECT_EQ(next_local_time(at("2026-03-02T09:00:00Z"), 9, 0, utc), at("2026-03-03T09:00:00Z"));
  EXPECT_EQ(next_local_time(at("2026-03-02T23:59:00Z"), 0, 0, utc), at("2026-03-03T00:00:00Z"));
  // UTC+2: 09:00 local is 07:00Z; at 07:30Z it is tomorrow's.
  const auto plus2 = offset_of(hours(2));
  EXPECT_EQ(next_local_time(at("2026-03-02T06:00:00Z"), 9, 0, plus2), at("2026-03-02T07:00:00Z"));
  EXPECT_EQ(next_local_time(at("2026-03-02T07:30:00Z"), 9, 0, plus2), at("2026-03-03T07:00:00Z"));
  // UTC-5, late evening UTC is still "today" locally.
  const auto minus5 = offset_of(hours(-5));
  EXPECT_EQ(next_local_time(at("2026-03-03T02:00:00Z"), 22, 30, minus5),
            at("2026-03-03T03:30:00Z"));
}

TEST(NextLocalTime, FollowsADaylightSavingChange) {
  // Central Europe: +1 h until 2026-03-29T01:00Z, +2 h after.
  const UtcOffsetFn cet = [](store::Timestamp t) {
    return t < at("2026-03-29T01:00:00Z") ? hours(1) : hours(2);
  };
  EXPECT_EQ(next_local_time(at("2026-03-28T10:00:00Z"), 9, 0, cet), at("2026-03-29T07:00:00Z"));
}

TEST(ReminderScheduler, FiresDailyAtTheLocalTimeInVirtualTime) {
  VirtualTimers timers;
  const auto steady0 = timers.now();
  const auto wall0 = at("2026-03-02T05:00:00Z");
  auto wall = [&] {
    return wall0 + std::chrono::duration_cast<std::chrono::milliseconds>(timers.now() - steady0);
  };
  std::vector<store::Timestamp> fired;
  ReminderScheduler s(timers, wall, offset_of(hours(1)),
                      [&](store::Timestamp slot) { fired.push_back(slot); });
  s.start(9, 30);
  EXPECT_TRUE(s.running());
  EXPECT_EQ(s.next(), at("2026-03-02T08:30:00Z"));
  timers.advance(hours(3) + minutes(29));
  EXPECT_TRUE(fired.empty());
  timers.advance(minutes(1));
  EXPECT_THAT(fired, ElementsAre(at("2026-03-02T08:30:00Z")));
  timers.advance(hours(24 * 2));
  EXPECT_THAT(fired, ElementsAre(at("2026-03-02T08:30:00Z"), at("2026-03-03T08:30:00Z"),
                                 at("2026-03-04T08:30:00Z")));
  s.stop();
  EXPECT_FALSE(s.running());
  EXPECT_EQ(timers.pending(), 0u);
  timers.advance(hours(48));
  EXPECT_EQ(fired.size(), 3u);
}

TEST_F(MailServiceTest, DailyReminderListsEachMailboxsUnreadMessages) {
  options_.reminders.enabled = true;
  options_.reminders.hour = 9;
  options_.reminders.minute = 0;
  utc_offset_ = hours(1);  // 09:00 local = 08:00Z; the clock starts at 07:00Z
  addresses_ = {{"1001", "alice@example.com"}, {"1002", "bob@example.com"}};
  add_message("1001");
  add_message("1001");
  add_message("1002", /*read=*/true);  // nothing unread in 1002
  add_message("1003");                 // no address: no reminder
  start_service();
  EXPECT_TRUE(service_->reminders_scheduled());
  EXPECT_EQ(service_->next_reminder(), at("2026-03-02T08:00:00Z"));

  advance(minutes(59));
  EXPECT_TRUE(transport_->sent.empty());
  advance(minutes(2));
  ASSERT_EQ(transport_->sent.size(), 1u);
  const auto& mail = transport_->sent[0];
  EXPECT_EQ(mail.to, "alice@example.com");
  EXPECT_THAT(mail.message,
              HasSubstr("Subject: Reminder: 2 unread voicemail messages in mailbox 1001\r\n"));
  EXPECT_THAT(mail.message, HasSubstr("2026-03-02 08:00:00  Bob (1002)  (0:05)"));
  EXPECT_EQ(service_->stats().reminders.load(), 1u);

  // The next day again, with what is still unread then.
  store::VoicemailRepository vm(db());
  auto unread = vm.list("1001", store::VoicemailFolder::kNew);
  ASSERT_TRUE(vm.mark_read(unread->at(0).id).ok());
  advance(hours(24));
  ASSERT_EQ(transport_->sent.size(), 2u);
  EXPECT_THAT(transport_->sent[1].message,
              HasSubstr("Subject: Reminder: 1 unread voicemail message in mailbox 1001\r\n"));
}

TEST_F(MailServiceTest, RemindersOffMeansNoTimerAndNoMail) {
  options_.reminders.enabled = false;
  addresses_ = {{"1001", "alice@example.com"}};
  add_message("1001");
  start_service();
  EXPECT_FALSE(service_->reminders_scheduled());
  EXPECT_EQ(timers_.pending(), 0u);
  advance(hours(25));
  EXPECT_TRUE(transport_->sent.empty());
}

TEST_F(MailServiceTest, ReminderTwiceTheSameDayIsSentOnce) {
  addresses_ = {{"1001", "alice@example.com"}};
  add_message("1001");
  start_service();
  advance(seconds(1));
  service_->send_reminders_now();
  run_queues();
  service_->send_reminders_now();
  run_queues();
  EXPECT_EQ(transport_->sent.size(), 1u);
}

TEST_F(MailServiceTest, ReminderAddressDefaultsToTheStoresExtension) {
  store::Extension e;
  e.number = "1001";
  e.email = "alice@example.com";
  ASSERT_TRUE(store::ExtensionRepository(db()).upsert(e).ok());
  auto env = environment();
  env.reminder_address = nullptr;  // the default lookup
  auto s = MailService::create(env, options_);
  ASSERT_TRUE(s.ok()) << s.error().message;
  service_ = std::move(*s);
  service_->start();
  add_message("1001");
  add_message("1002");  // no such extension
  advance(seconds(1));
  service_->send_reminders_now();
  run_queues();
  ASSERT_EQ(transport_->sent.size(), 1u);
  EXPECT_EQ(transport_->sent[0].to, "alice@example.com");
}

}  // namespace
}  // namespace switchboard::features::mail::testing
