// Leaving a message: greetings, beep, recording, keep/discard, hang-up,
// `0` to the operator, `*` to the mailbox login.
#include "features/voicemail/deposit_app.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "fixture.hpp"

namespace switchboard::features::voicemail::testing {
namespace {
namespace fs = std::filesystem;
using State = DepositApp::State;

class DepositAppTest : public VoicemailTest {
 protected:
  std::unique_ptr<core::CallApp> make(const std::string& mailbox, core::AppReason reason) {
    control_.call.call_id = "call-1";
    control_.call.caller = "1002";
    control_.call.caller_name = "Bob";
    control_.call.target = mailbox;
    control_.call.kind = core::TargetKind::kVoicemail;
    control_.call.reason = reason;
    control_.call.source_address = "127.0.0.1";
    return service_->deposit_factory()(control_.call);
  }
  DepositApp& deposit() { return static_cast<DepositApp&>(*app_); }
  void begin(core::AppReason reason = core::AppReason::kNoAnswer) {
    app_ = make("1001", reason);
    ASSERT_NE(app_, nullptr);
    start(*app_, control_);
  }
  store::VoicemailRepository repo() { return store::VoicemailRepository(scratch_->db()); }

  FakeControl control_;
  std::unique_ptr<core::CallApp> app_;
};

TEST_F(DepositAppTest, RefusesAnUnknownMailbox) {
  EXPECT_EQ(make("4242", core::AppReason::kNoAnswer), nullptr);
  EXPECT_EQ(make("", core::AppReason::kDialed), nullptr);
}

TEST_F(DepositAppTest, DefaultGreetingBeepRecordStore) {
  begin();
  EXPECT_EQ(deposit().state(), State::kGreeting);
  EXPECT_EQ(now_playing(control_),
            "vm_person_at_extension one zero zero one vm_is_unavailable vm_leave_message");
  EXPECT_TRUE(control_.pending(FakeControl::Request::kPlay)->play.interruptible);
  finish_play(control_);
  EXPECT_EQ(deposit().state(), State::kBeep);
  EXPECT_EQ(now_playing(control_), "tone");
  finish_play(control_);
  ASSERT_EQ(deposit().state(), State::kRecording);
  auto* rec = control_.pending(FakeControl::Request::kRecord);
  ASSERT_NE(rec, nullptr);
  EXPECT_EQ(rec->record.max_duration, std::chrono::seconds(180));
  EXPECT_EQ(rec->record.silence_end, std::chrono::seconds(10));
  EXPECT_EQ(rec->record.terminators, "#");
  EXPECT_EQ(fs::path(rec->record.path).parent_path(), fs::path(dir_ + "/vm/1001"));
  finish_record(control_, 4.0);
  EXPECT_EQ(now_playing(control_), "vm_message_stored goodbye");
  auto list = repo().list("1001", store::VoicemailFolder::kNew);
  ASSERT_EQ(list->size(), 1U);
  EXPECT_EQ((*list)[0].caller_id, "1002");
  EXPECT_EQ((*list)[0].caller_name, "Bob");
  EXPECT_EQ((*list)[0].duration_ms, 4000);
  ASSERT_EQ(stored_.size(), 1U);
  EXPECT_EQ(stored_[0].id, (*list)[0].id);
  ASSERT_FALSE(counts_.empty());
  EXPECT_EQ(counts_.back(), std::make_tuple(std::string("1001"), std::int64_t{1}, std::int64_t{0}));
  finish_play(control_);
  EXPECT_FALSE(control_.hung_up.empty());
  app_->on_end();
}

TEST_F(DepositAppTest, BusyDefaultGreeting) {
  begin(core::AppReason::kBusy);
  EXPECT_EQ(now_playing(control_),
            "vm_person_at_extension one zero zero one vm_is_busy vm_leave_message");
}

TEST_F(DepositAppTest, RecordedGreetingsAndNameAreUsed) {
  std::string unavailable = dir_ + "/unavail.wav", busy = dir_ + "/busy.wav",
              name = dir_ + "/name.wav";
  write_wav(unavailable, 1);
  write_wav(busy, 1);
  write_wav(name, 1);
  store::MailboxRepository boxes(scratch_->db());
  ASSERT_TRUE(boxes.set_recording("1001", store::Recording::kName, name).ok());
  begin(core::AppReason::kForwarded);
  EXPECT_EQ(now_playing(control_), "file:" + name + " vm_is_unavailable vm_leave_message");
  app_->on_end();
  ASSERT_TRUE(
      boxes.set_recording("1001", store::Recording::kUnavailableGreeting, unavailable).ok());
  ASSERT_TRUE(boxes.set_recording("1001", store::Recording::kBusyGreeting, busy).ok());
  FakeControl c2;
  control_ = c2;
  begin(core::AppReason::kNoAnswer);
  EXPECT_EQ(now_playing(control_), "file:" + unavailable + " vm_leave_message");
  app_->on_end();
  control_ = FakeControl{};
  begin(core::AppReason::kBusy);
  EXPECT_EQ(now_playing(control_), "file:" + busy + " vm_leave_message");
}

TEST_F(DepositAppTest, HangUpWhileRecordingKeepsTheMessage) {
  begin();
  finish_play(control_);
  finish_play(control_);
  // The caller hangs up: the recording completes (kStopped, file finished)
  // before on_end().
  finish_record(control_, 6.5, app::RecordResult::kStopped);
  app_->on_end();
  drain();
  auto list = repo().list("1001", store::VoicemailFolder::kNew);
  ASSERT_EQ(list->size(), 1U);
  EXPECT_EQ((*list)[0].duration_ms, 6500);
  EXPECT_EQ(stored_.size(), 1U);
  EXPECT_TRUE(control_.hung_up.empty());
}

TEST_F(DepositAppTest, HangUpWhileStoringStillAnnounces) {
  begin();
  finish_play(control_);
  finish_play(control_);
  auto* rec = control_.pending(FakeControl::Request::kRecord);
  write_wav(rec->record.path, 3);
  rec->done = true;
  app_->on_media(app::RecordDone{rec->id, app::RecordResult::kStopped, rec->record.path, 3, 0, {}});
  app_->on_end();
  app_.reset();  // the B2BUA drops the app before the store answers
  drain();
  EXPECT_EQ(stored_.size(), 1U);
  EXPECT_EQ(repo().counts("1001")->new_messages, 1);
}

TEST_F(DepositAppTest, SilenceEndedShortMessageIsDiscarded) {
  begin();
  finish_play(control_);
  finish_play(control_);
  std::string path = control_.pending(FakeControl::Request::kRecord)->record.path;
  finish_record(control_, 0.4, app::RecordResult::kSilence);
  EXPECT_EQ(now_playing(control_), "vm_too_short goodbye");
  EXPECT_FALSE(fs::exists(path));
  EXPECT_EQ(repo().counts("1001")->new_messages, 0);
  EXPECT_TRUE(stored_.empty());
}

TEST_F(DepositAppTest, HashSkipsTheGreeting) {
  begin();
  finish_play(control_, app::PlayResult::kInterrupted, '#');
  EXPECT_EQ(deposit().state(), State::kBeep);
}

TEST_F(DepositAppTest, ZeroGoesToTheOperator) {
  begin();
  EXPECT_EQ(control_.pending(FakeControl::Request::kPlay)->play.interrupt_digits, "0*#");
  finish_play(control_, app::PlayResult::kInterrupted, '0');
  EXPECT_EQ(control_.redirected, "1000");
  app_->on_end();
  drain();
  // Nothing left behind in the mailbox directory.
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& f : fs::directory_iterator(dir_ + "/vm/1001")) ++files;
  EXPECT_EQ(files, 0U);
}

TEST_F(DepositAppTest, ZeroIsIgnoredWithoutAnOperator) {
  auto o = base_options();
  o.operator_number.clear();
  make_service(o);
  begin();
  EXPECT_EQ(control_.pending(FakeControl::Request::kPlay)->play.interrupt_digits, "*#");
}

TEST_F(DepositAppTest, StarGoesToTheMailboxLogin) {
  begin();
  finish_play(control_, app::PlayResult::kInterrupted, '*');
  ASSERT_EQ(deposit().state(), State::kIvr);
  ASSERT_NE(deposit().ivr(), nullptr);
  EXPECT_EQ(deposit().ivr()->state(), IvrApp::State::kPinEntry);
  EXPECT_EQ(now_playing(control_), "welcome enter_pin");
  EXPECT_TRUE(control_.pending(FakeControl::Request::kCollect)->collect.flush);
  press(control_, "4711#");
  EXPECT_EQ(deposit().ivr()->state(), IvrApp::State::kMainMenu);
}

TEST_F(DepositAppTest, HangUpDuringTheGreetingLeavesNothing) {
  begin();
  app_->on_end();
  drain();
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& f : fs::directory_iterator(dir_ + "/vm/1001")) ++files;
  EXPECT_EQ(files, 0U);
  EXPECT_TRUE(stored_.empty());
}

}  // namespace
}  // namespace switchboard::features::voicemail::testing
