// The blocking side on a real SQLite store and real files: deposits,
// crash recovery, logins and lockouts, session close, forward, PIN change.
#include "features/voicemail/mailbox_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "features/voicemail/pin.hpp"
#include "fixture.hpp"
#include "media/audio/sound_file.hpp"

namespace switchboard::features::voicemail::testing {
namespace {
namespace fs = std::filesystem;
using store::LockScope;
using store::VoicemailFolder;

class MailboxStoreTest : public VoicemailTest {
 protected:
  MailboxStore& box() { return *service_->mailbox_store(); }
  store::VoicemailRepository repo() { return store::VoicemailRepository(scratch_->db()); }
};

TEST_F(MailboxStoreTest, DepositKeepsTheMessageWithItsMetadata) {
  auto plan = box().prepare_deposit("1001", false, "1002", "Bob\nInjected");
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_TRUE(plan->greeting.empty());
  EXPECT_EQ(fs::path(plan->wav_path).parent_path(), fs::path(dir_ + "/vm/1001"));
  write_wav(plan->wav_path, 3.0);
  auto kept = box().finish_deposit(plan->wav_path);
  ASSERT_TRUE(kept.ok()) << kept.error().message;
  ASSERT_TRUE(kept->has_value());
  auto got = repo().get((*kept)->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->mailbox, "1001");
  EXPECT_EQ(got->caller_id, "1002");
  EXPECT_EQ(got->caller_name, "Bob Injected");
  EXPECT_EQ(got->duration_ms, 3000);
  EXPECT_EQ(got->folder, VoicemailFolder::kNew);
  EXPECT_FALSE(got->is_read);
  EXPECT_EQ(store::to_iso(got->received_at), "2024-03-01T09:00:00.000Z");
  EXPECT_TRUE(fs::exists(got->file_path));
  EXPECT_FALSE(fs::exists(fs::path(plan->wav_path).replace_extension(".meta")));
}

TEST_F(MailboxStoreTest, ShortMessagesAreDiscardedWithTheirFiles) {
  auto plan = box().prepare_deposit("1001", false, "1002", "");
  ASSERT_TRUE(plan.ok());
  write_wav(plan->wav_path, 0.5);
  auto kept = box().finish_deposit(plan->wav_path);
  ASSERT_TRUE(kept.ok());
  EXPECT_FALSE(kept->has_value());
  EXPECT_FALSE(fs::exists(plan->wav_path));
  EXPECT_EQ(repo().counts("1001")->new_messages, 0);
}

TEST_F(MailboxStoreTest, RecoverAfterACrashMidRecording) {
  auto plan = box().prepare_deposit("1001", false, "1002", "Bob");
  ASSERT_TRUE(plan.ok());
  {  // the process dies mid-recording: a .part with 2 s synced, no row
    auto rec = media::audio::WavRecorder::create(plan->wav_path);
    ASSERT_TRUE(rec.ok());
    std::vector<std::int16_t> s(8000 * 2, 3000);
    ASSERT_TRUE((*rec)->write(s).ok());
    ASSERT_TRUE(fs::exists(plan->wav_path + ".part"));
    fs::copy_file(plan->wav_path + ".part", dir_ + "/crash.part");
  }  // the destructor aborts (removes the .part); put the crash image back
  fs::copy_file(dir_ + "/crash.part", plan->wav_path + ".part");
  // Another deposit whose caller hung up before the beep: only its sidecar.
  auto empty = box().prepare_deposit("1002", false, "1001", "");
  ASSERT_TRUE(empty.ok());

  auto recovered = service_->recover();
  ASSERT_TRUE(recovered.ok()) << recovered.error().message;
  EXPECT_EQ(*recovered, 1U);
  drain();
  auto list = repo().list("1001", VoicemailFolder::kNew);
  ASSERT_EQ(list->size(), 1U);
  EXPECT_EQ((*list)[0].caller_id, "1002");
  EXPECT_GE((*list)[0].duration_ms, 1000);
  EXPECT_TRUE(fs::exists(plan->wav_path));
  ASSERT_EQ(stored_.size(), 1U);
  EXPECT_FALSE(fs::exists(fs::path(empty->wav_path).replace_extension(".meta")));
  // Idempotent.
  EXPECT_EQ(*service_->recover(), 0U);
}

TEST_F(MailboxStoreTest, InitialPinFromConfigThenTheOwnersHash) {
  EXPECT_EQ(*box().login("1001", "10.0.0.1", "4711"), LoginOutcome::kOk);
  EXPECT_EQ(*box().login("1001", "10.0.0.1", "1234"), LoginOutcome::kWrongPin);
  EXPECT_EQ(*box().login("1003", "10.0.0.1", ""), LoginOutcome::kWrongPin);  // no PIN: no login
  EXPECT_EQ(*box().login("9999", "10.0.0.1", "4711"), LoginOutcome::kWrongPin);
  ASSERT_TRUE(box().set_pin("1001", "2580").ok());
  auto settings = store::MailboxRepository(scratch_->db()).get("1001");
  EXPECT_EQ(settings->pin_hash.find("2580"), std::string::npos);
  EXPECT_TRUE(verify_pin("2580", settings->pin_hash));
  EXPECT_EQ(*box().login("1001", "10.0.0.1", "4711"), LoginOutcome::kWrongPin);
  EXPECT_EQ(*box().login("1001", "10.0.0.1", "2580"), LoginOutcome::kOk);
  EXPECT_FALSE(box().set_pin("1001", "1111").ok());
}

TEST_F(MailboxStoreTest, MailboxLockoutAcrossSourcesUntilCleared) {
  auto o = base_options();
  o.mailbox_lockout_failures = 3;
  o.source_lockout_failures = 0;
  o.lockout_duration = std::chrono::seconds(0);  // until an admin clears it
  make_service(o);
  EXPECT_EQ(*box().login("1001", "10.0.0.1", "0000"), LoginOutcome::kWrongPin);
  EXPECT_EQ(*box().login("1001", "10.0.0.2", "0000"), LoginOutcome::kWrongPin);
  EXPECT_EQ(*box().login("1001", "10.0.0.3", "0000"), LoginOutcome::kLocked);
  // Now even the right PIN is refused, from anywhere.
  EXPECT_EQ(*box().login("1001", "10.0.0.4", "4711"), LoginOutcome::kLocked);
  EXPECT_EQ(*box().check_lock("1001", ""), LoginOutcome::kLocked);
  clock_.now += std::chrono::hours(24 * 365);
  EXPECT_EQ(*box().check_lock("1001", ""), LoginOutcome::kLocked);
  auto locked = box().lockouts();
  ASSERT_EQ(locked->size(), 1U);
  EXPECT_EQ((*locked)[0].subject, "1001");

  std::optional<Result<bool>> cleared;
  service_->clear_lockout(LockScope::kMailbox, "1001", [&](Result<bool> r) { cleared = r; });
  drain();
  ASSERT_TRUE(cleared && cleared->ok());
  EXPECT_TRUE(**cleared);
  EXPECT_EQ(*box().login("1001", "10.0.0.4", "4711"), LoginOutcome::kOk);
}

TEST_F(MailboxStoreTest, SourceLockoutSpansMailboxesAndExpires) {
  auto o = base_options();
  o.mailbox_lockout_failures = 0;
  o.source_lockout_failures = 4;
  o.lockout_duration = std::chrono::minutes(30);
  make_service(o);
  EXPECT_EQ(*box().login("1001", "10.9.9.9", "0000"), LoginOutcome::kWrongPin);
  EXPECT_EQ(*box().login("1002", "10.9.9.9", "0000"), LoginOutcome::kWrongPin);
  EXPECT_EQ(*box().login("1003", "10.9.9.9", "0000"), LoginOutcome::kWrongPin);
  EXPECT_EQ(*box().login("9999", "10.9.9.9", "0000"), LoginOutcome::kLocked);
  EXPECT_EQ(*box().login("1001", "10.9.9.9", "4711"), LoginOutcome::kLocked);
  EXPECT_EQ(*box().login("1001", "10.1.1.1", "4711"), LoginOutcome::kOk);  // another source
  clock_.now += std::chrono::minutes(31);
  EXPECT_EQ(*box().login("1001", "10.9.9.9", "4711"), LoginOutcome::kOk);
  // A good login resets the counter.
  auto f = store::MailboxRepository(scratch_->db()).failures(LockScope::kSource, "10.9.9.9");
  EXPECT_EQ(f->failures, 0);
}

TEST_F(MailboxStoreTest, CloseSessionPurgesDeletedAndFilesHeardNewAsSaved) {
  auto a = add_message("1001", "1002", "2024-03-01T08:00:00.000Z");
  auto b = add_message("1001", "1003", "2024-03-01T08:01:00.000Z");
  auto c = add_message("1001", "1004", "2024-03-01T08:02:00.000Z");
  std::string a_path = repo().get(a)->file_path;
  ASSERT_TRUE(box().move(a, VoicemailFolder::kDeleted).ok());
  ASSERT_TRUE(box().mark_read(b).ok());
  ASSERT_TRUE(box().close_session({a}, {b}).ok());
  EXPECT_FALSE(repo().get(a).ok());
  EXPECT_FALSE(fs::exists(a_path));
  EXPECT_EQ(repo().get(b)->folder, VoicemailFolder::kSaved);
  EXPECT_EQ(repo().get(c)->folder, VoicemailFolder::kNew);
}

TEST_F(MailboxStoreTest, ContentsListUnreadFirst) {
  auto a = add_message("1001", "1002", "2024-03-01T08:00:00.000Z", VoicemailFolder::kNew, true);
  auto b = add_message("1001", "1003", "2024-03-01T08:01:00.000Z");
  auto c = add_message("1001", "1004", "2024-03-01T08:02:00.000Z", VoicemailFolder::kSaved, true);
  auto got = box().contents("1001");
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->new_messages.size(), 2U);
  EXPECT_EQ(got->new_messages[0].id, b);
  EXPECT_EQ(got->new_messages[1].id, a);
  ASSERT_EQ(got->saved_messages.size(), 1U);
  EXPECT_EQ(got->saved_messages[0].id, c);
}

TEST_F(MailboxStoreTest, ForwardCopiesIntoAnotherMailbox) {
  auto a = add_message("1001", "1004", "2024-03-01T08:00:00.000Z", VoicemailFolder::kSaved, true);
  auto copy = box().forward(a, "1002", "1001");
  ASSERT_TRUE(copy.ok()) << copy.error().message;
  EXPECT_EQ(copy->mailbox, "1002");
  EXPECT_EQ(copy->caller_id, "1004");
  EXPECT_EQ(copy->folder, VoicemailFolder::kNew);
  EXPECT_FALSE(copy->is_read);
  EXPECT_NE(copy->file_path, repo().get(a)->file_path);
  EXPECT_TRUE(fs::exists(copy->file_path));
  EXPECT_EQ(box().forward(a, "9999", "1001").error().code, ErrorCode::kNotFound);
}

TEST_F(MailboxStoreTest, BadMailboxNamesNeverReachThePath) {
  EXPECT_FALSE(box().prepare_deposit("../etc", false, "1", "").ok());
  EXPECT_FALSE(box().new_recording_path("a/b", "greeting").ok());
}

}  // namespace
}  // namespace switchboard::features::voicemail::testing
