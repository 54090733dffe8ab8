// The mailbox IVR state machine: login (own phone / elsewhere), wrong PINs
// and lockouts, counts, playback order and envelope, every message-menu
// action, undelete, timeouts, barge-in, options (greetings, PIN change).
#include "features/voicemail/ivr_app.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "features/voicemail/deposit_app.hpp"
#include "features/voicemail/pin.hpp"
#include "fixture.hpp"

namespace switchboard::features::voicemail::testing {
namespace {
namespace fs = std::filesystem;
using State = IvrApp::State;
using store::VoicemailFolder;

class IvrAppTest : public VoicemailTest {
 protected:
  void call(const std::string& caller, const std::string& target, bool local = true,
            std::string source = "127.0.0.1") {
    if (app_) app_->on_end();
    drain();
    control_ = FakeControl{};
    control_.call.call_id = "ivr-call";
    control_.call.caller = caller;
    control_.call.dialed = "*" + target;
    control_.call.target = target;
    control_.call.kind = core::TargetKind::kVoicemail;
    control_.call.caller_is_local = local;
    control_.call.source_address = std::move(source);
    app_ = service_->ivr_factory()(control_.call);
    ASSERT_NE(app_, nullptr);
    start(*app_, control_);
  }
  IvrApp& ivr() { return static_cast<IvrApp&>(*app_); }
  /// Logs in as the owner of 1001 from their own phone.
  void login() {
    call("1001", "1001");
    ASSERT_EQ(ivr().state(), State::kPinEntry);
    press(control_, "4711#");
    ASSERT_EQ(ivr().state(), State::kMainMenu);
  }
  store::VoicemailRepository repo() { return store::VoicemailRepository(scratch_->db()); }
  void hang_up() {
    app_->on_end();
    app_.reset();
    drain();
  }

  FakeControl control_;
  std::unique_ptr<core::CallApp> app_;
};

TEST_F(IvrAppTest, OwnPhoneAsksOnlyThePin) {
  call("1001", "1001");
  EXPECT_EQ(ivr().state(), State::kPinEntry);
  EXPECT_EQ(now_playing(control_), "welcome enter_pin");
  auto* c = control_.pending(FakeControl::Request::kCollect);
  EXPECT_EQ(c->collect.terminators, "#");
  EXPECT_GT(c->collect.max_digits, 4U);
  EXPECT_EQ(c->collect.first_digit_timeout, std::chrono::seconds(5));
  EXPECT_EQ(c->collect.inter_digit_timeout, std::chrono::seconds(3));
  press(control_, "4711#");
  EXPECT_EQ(ivr().state(), State::kMainMenu);
}

TEST_F(IvrAppTest, ElsewhereAsksTheMailboxFirst) {
  call("1002", "1001");  // another extension dialing *1001
  EXPECT_EQ(ivr().state(), State::kMailboxEntry);
  EXPECT_EQ(now_playing(control_), "welcome vm_enter_mailbox");
  press(control_, "1001#");
  EXPECT_EQ(ivr().state(), State::kPinEntry);
  EXPECT_EQ(now_playing(control_), "enter_pin");
  press(control_, "4711#");
  EXPECT_EQ(ivr().state(), State::kMainMenu);
  EXPECT_EQ(ivr().mailbox(), "1001");
}

TEST_F(IvrAppTest, MainNumberFromAnOutsiderAsksTheMailbox) {
  call("0612345678", "", /*local=*/false, "192.0.2.7");
  EXPECT_EQ(ivr().state(), State::kMailboxEntry);
  call("1001", "1001", /*local=*/false);  // not authenticated: not "own phone"
  EXPECT_EQ(ivr().state(), State::kMailboxEntry);
}

TEST_F(IvrAppTest, ThreeWrongPinsSayGoodbyeAndHangUp) {
  call("1001", "1001");
  press(control_, "1111#");
  EXPECT_EQ(now_playing(control_), "invalid_pin enter_pin");
  collect_timeout(control_);  // no PIN at all counts too
  EXPECT_EQ(now_playing(control_), "invalid_pin enter_pin");
  press(control_, "4712#");
  EXPECT_EQ(ivr().state(), State::kGoodbye);
  EXPECT_EQ(now_playing(control_), "invalid_pin goodbye");
  EXPECT_FALSE(control_.pending(FakeControl::Request::kPlay)->play.interruptible);
  EXPECT_TRUE(control_.hung_up.empty());
  finish_play(control_);
  EXPECT_FALSE(control_.hung_up.empty());
}

TEST_F(IvrAppTest, WrongPinFromElsewhereAsksTheMailboxAgain) {
  call("1002", "1001");
  press(control_, "1001#");
  press(control_, "0000#");
  EXPECT_EQ(ivr().state(), State::kMailboxEntry);
  EXPECT_EQ(now_playing(control_), "invalid_pin vm_enter_mailbox");
  press(control_, "4242#");  // no such mailbox: a PIN is still asked, then refused
  EXPECT_EQ(ivr().state(), State::kPinEntry);
  press(control_, "4711#");
  EXPECT_EQ(ivr().state(), State::kMailboxEntry);
  press(control_, "1001#");
  press(control_, "9999#");
  EXPECT_EQ(ivr().state(), State::kGoodbye);  // three wrong in this call
}

TEST_F(IvrAppTest, LockoutAcrossCallsAndAdminClear) {
  auto o = base_options();
  o.mailbox_lockout_failures = 5;
  o.lockout_duration = std::chrono::seconds(0);
  make_service(o);
  call("1001", "1001");
  for (const char* pin : {"1#", "2#", "3#"}) press(control_, pin);
  EXPECT_EQ(ivr().state(), State::kGoodbye);
  call("1001", "1001");
  press(control_, "1#");
  press(control_, "2#");  // the fifth failure locks
  EXPECT_EQ(ivr().state(), State::kGoodbye);
  EXPECT_EQ(now_playing(control_), "vm_locked goodbye");
  call("1001", "1001");  // a new call is refused before the PIN
  EXPECT_EQ(ivr().state(), State::kGoodbye);
  EXPECT_EQ(now_playing(control_), "vm_locked goodbye");
  service_->clear_lockout(store::LockScope::kMailbox, "1001", [](Result<bool>) {});
  service_->clear_lockout(store::LockScope::kSource, "127.0.0.1", [](Result<bool>) {});
  drain();
  call("1001", "1001");
  press(control_, "4711#");
  EXPECT_EQ(ivr().state(), State::kMainMenu);
}

TEST_F(IvrAppTest, MainMenuSaysTheCounts) {
  add_message("1001", "1002", "2024-03-01T08:00:00.000Z");
  add_message("1001", "1003", "2024-03-01T08:01:00.000Z");
  for (int i = 0; i < 5; ++i) {
    add_message("1001", "100" + std::to_string(i), "2024-02-01T08:00:00.000Z",
                VoicemailFolder::kSaved, true);
  }
  login();
  EXPECT_EQ(now_playing(control_),
            "you_have two new messages and five saved messages vm_main_menu");
  EXPECT_EQ(control_.pending(FakeControl::Request::kCollect)->collect.max_digits, 1U);
}

TEST_F(IvrAppTest, PlaysUnreadFirstWithTheEnvelope) {
  auto read = add_message("1001", "1002", "2024-03-01T07:00:00.000Z", VoicemailFolder::kNew, true);
  auto unread = add_message("1001", "1003", "2024-03-01T08:00:00.000Z");
  login();
  press(control_, "1");
  EXPECT_EQ(ivr().state(), State::kPlayback);
  std::string path = repo().get(unread)->file_path;
  EXPECT_EQ(now_playing(control_),
            "received friday march first at nine thirty am from extension one zero zero three "
            "file:" +
                path);
  EXPECT_TRUE(repo().get(unread)->is_read);  // marked read as it plays
  finish_play(control_);
  EXPECT_EQ(ivr().state(), State::kMessageMenu);
  EXPECT_EQ(now_playing(control_), "vm_message_menu");
  press(control_, "6");
  EXPECT_NE(now_playing(control_).find("file:" + repo().get(read)->file_path), std::string::npos);
  finish_play(control_);
  press(control_, "6");  // past the last
  EXPECT_EQ(ivr().state(), State::kMainMenu);
  EXPECT_EQ(now_playing(control_).rfind("vm_no_more_messages you_have two new", 0), 0U);
}

TEST_F(IvrAppTest, DigitDuringTheMessageIsTheMenuChoice) {
  auto id = add_message("1001", "1002", "2024-03-01T08:00:00.000Z");
  login();
  press(control_, "1");
  // 7 pressed during playback: the play ends interrupted, the digit waits
  // as type-ahead for the menu's collect (which is not flushed).
  finish_play(control_, app::PlayResult::kInterrupted, '7');
  EXPECT_EQ(ivr().state(), State::kMessageMenu);
  EXPECT_FALSE(control_.pending(FakeControl::Request::kCollect)->collect.flush);
  int stops = control_.stops;
  press(control_, "7");                  // the type-ahead completes the collect at once
  EXPECT_EQ(control_.stops, stops + 1);  // the menu prompt was stopped
  EXPECT_EQ(repo().get(id)->folder, VoicemailFolder::kDeleted);
}

TEST_F(IvrAppTest, DeleteUndeleteSaveAndPurgeAtTheEnd) {
  auto a = add_message("1001", "1002", "2024-03-01T08:00:00.000Z");
  auto b = add_message("1001", "1003", "2024-03-01T08:01:00.000Z");
  auto c = add_message("1001", "1004", "2024-03-01T08:02:00.000Z");
  std::string a_path = repo().get(a)->file_path;
  login();
  press(control_, "1");
  finish_play(control_);
  press(control_, "7");
  EXPECT_EQ(repo().get(a)->folder, VoicemailFolder::kDeleted);
  EXPECT_EQ(now_playing(control_), "vm_message_deleted vm_deleted_menu");
  EXPECT_EQ(counts_.back(), std::make_tuple(std::string("1001"), std::int64_t{2}, std::int64_t{0}));
  press(control_, "7");  // undelete
  EXPECT_EQ(repo().get(a)->folder, VoicemailFolder::kNew);
  EXPECT_EQ(now_playing(control_), "vm_message_undeleted vm_message_menu");
  press(control_, "7");  // and delete again
  press(control_, "6");
  finish_play(control_);
  press(control_, "9");  // save b
  EXPECT_EQ(repo().get(b)->folder, VoicemailFolder::kSaved);
  EXPECT_EQ(now_playing(control_), "vm_message_saved vm_message_menu");
  press(control_, "4");  // previous: a (deleted) plays, its menu offers undelete
  finish_play(control_);
  EXPECT_EQ(now_playing(control_), "vm_deleted_menu");
  press(control_, "*");
  EXPECT_EQ(now_playing(control_), "you_have one new message and one saved message vm_main_menu");
  press(control_, "*");
  EXPECT_EQ(ivr().state(), State::kGoodbye);
  finish_play(control_);
  EXPECT_FALSE(control_.hung_up.empty());
  hang_up();
  EXPECT_FALSE(repo().get(a).ok());  // purged
  EXPECT_FALSE(fs::exists(a_path));
  EXPECT_EQ(repo().get(b)->folder, VoicemailFolder::kSaved);
  EXPECT_EQ(repo().get(c)->folder, VoicemailFolder::kNew);  // never heard
  EXPECT_EQ(counts_.back(), std::make_tuple(std::string("1001"), std::int64_t{1}, std::int64_t{1}));
}

TEST_F(IvrAppTest, HeardMessagesAreSavedWhenTheCallerLeaves) {
  auto a = add_message("1001", "1002", "2024-03-01T08:00:00.000Z");
  login();
  press(control_, "1");
  finish_play(control_);
  hang_up();  // hung up in the message menu
  EXPECT_EQ(repo().get(a)->folder, VoicemailFolder::kSaved);
  EXPECT_TRUE(repo().get(a)->is_read);
}

TEST_F(IvrAppTest, ReplayPreviousAtFirstAndCallBack) {
  add_message("1001", "1002", "2024-03-01T08:00:00.000Z");
  login();
  press(control_, "1");
  std::string first = now_playing(control_);
  finish_play(control_);
  press(control_, "5");
  EXPECT_EQ(now_playing(control_), first);
  finish_play(control_);
  press(control_, "4");
  EXPECT_EQ(now_playing(control_), "vm_first_message vm_message_menu");
  press(control_, "2");
  EXPECT_EQ(now_playing(control_), "vm_invalid_option vm_message_menu");
  press(control_, "3");
  EXPECT_EQ(control_.redirected, "1002");
}

TEST_F(IvrAppTest, NoCallBackWithoutANumber) {
  add_message("1001", "anonymous", "2024-03-01T08:00:00.000Z");
  login();
  press(control_, "1");
  finish_play(control_);
  press(control_, "3");
  EXPECT_TRUE(control_.redirected.empty());
  EXPECT_EQ(now_playing(control_), "vm_no_callback vm_message_menu");
}

TEST_F(IvrAppTest, ForwardToAnotherMailbox) {
  add_message("1001", "1003", "2024-03-01T08:00:00.000Z");
  login();
  press(control_, "1");
  finish_play(control_);
  press(control_, "8");
  EXPECT_EQ(ivr().state(), State::kForwardEntry);
  press(control_, "4242#");
  EXPECT_EQ(now_playing(control_), "vm_invalid_mailbox vm_message_menu");
  press(control_, "8");
  press(control_, "1002#");
  EXPECT_EQ(now_playing(control_), "vm_forwarded vm_message_menu");
  auto copies = repo().list("1002", VoicemailFolder::kNew);
  ASSERT_EQ(copies->size(), 1U);
  EXPECT_EQ((*copies)[0].caller_id, "1003");
  ASSERT_EQ(stored_.size(), 1U);
  EXPECT_EQ(stored_[0].mailbox, "1002");
}

TEST_F(IvrAppTest, EmptyFolder) {
  login();
  EXPECT_EQ(now_playing(control_), "you_have no new messages and no saved messages vm_main_menu");
  press(control_, "2");
  EXPECT_EQ(now_playing(control_).rfind("vm_no_messages you_have", 0), 0U);
  press(control_, "5");
  EXPECT_EQ(now_playing(control_).rfind("vm_invalid_option you_have", 0), 0U);
}

TEST_F(IvrAppTest, MenuTimeoutsRepeatThenGoBack) {
  add_message("1001", "1002", "2024-03-01T08:00:00.000Z");
  login();
  press(control_, "1");
  finish_play(control_);
  collect_timeout(control_);
  EXPECT_EQ(ivr().state(), State::kMessageMenu);  // repeated once
  EXPECT_EQ(now_playing(control_), "vm_message_menu");
  collect_timeout(control_);
  EXPECT_EQ(ivr().state(), State::kMainMenu);  // then back
  press(control_, "0");
  collect_timeout(control_);
  EXPECT_EQ(ivr().state(), State::kOptionsMenu);
  collect_timeout(control_);
  EXPECT_EQ(ivr().state(), State::kMainMenu);
  collect_timeout(control_);
  EXPECT_EQ(ivr().state(), State::kMainMenu);
  collect_timeout(control_);  // main menu: repeated, then goodbye
  EXPECT_EQ(ivr().state(), State::kGoodbye);
  finish_play(control_);
  EXPECT_FALSE(control_.hung_up.empty());
}

TEST_F(IvrAppTest, ChangePinWithConfirmationAndWeakPinsRefused) {
  login();
  press(control_, "0");
  EXPECT_EQ(now_playing(control_), "vm_options_menu");
  press(control_, "4");
  EXPECT_EQ(now_playing(control_), "vm_enter_new_pin");
  press(control_, "1234#");
  EXPECT_EQ(now_playing(control_), "vm_pin_weak vm_options_menu");
  press(control_, "4");
  press(control_, "2580#");
  EXPECT_EQ(now_playing(control_), "vm_confirm_pin");
  press(control_, "2581#");
  EXPECT_EQ(now_playing(control_), "vm_pin_mismatch vm_options_menu");
  press(control_, "4");
  press(control_, "2580#");
  press(control_, "2580#");
  EXPECT_EQ(now_playing(control_), "vm_pin_changed vm_options_menu");
  auto settings = store::MailboxRepository(scratch_->db()).get("1001");
  EXPECT_TRUE(verify_pin("2580", settings->pin_hash));
  call("1001", "1001");
  press(control_, "4711#");
  EXPECT_EQ(ivr().state(), State::kPinEntry);  // the old PIN no longer works
  press(control_, "2580#");
  EXPECT_EQ(ivr().state(), State::kMainMenu);
}

TEST_F(IvrAppTest, RecordTheBusyGreetingThenCallersHearIt) {
  login();
  press(control_, "0");
  press(control_, "2");
  EXPECT_EQ(ivr().state(), State::kRecordPrompt);
  EXPECT_EQ(now_playing(control_), "vm_record_after_tone tone");
  finish_play(control_);
  EXPECT_EQ(ivr().state(), State::kRecording);
  auto* rec = control_.pending(FakeControl::Request::kRecord);
  ASSERT_NE(rec, nullptr);
  std::string path = rec->record.path;
  finish_record(control_, 0.3);
  EXPECT_EQ(now_playing(control_), "vm_too_short vm_options_menu");
  EXPECT_FALSE(fs::exists(path));
  press(control_, "2");
  finish_play(control_);
  path = control_.pending(FakeControl::Request::kRecord)->record.path;
  finish_record(control_, 2.0);
  EXPECT_EQ(now_playing(control_), "vm_recording_saved vm_options_menu");
  EXPECT_EQ(store::MailboxRepository(scratch_->db()).get("1001")->greeting_busy, path);
  hang_up();

  FakeControl caller;
  caller.call.caller = "1002";
  caller.call.target = "1001";
  caller.call.reason = core::AppReason::kBusy;
  auto deposit = service_->deposit_factory()(caller.call);
  start(*deposit, caller);
  EXPECT_EQ(now_playing(caller), "file:" + path + " vm_leave_message");
}

TEST_F(IvrAppTest, OptionsInvalidAndBack) {
  login();
  press(control_, "0");
  press(control_, "9");
  EXPECT_EQ(now_playing(control_), "vm_invalid_option vm_options_menu");
  press(control_, "*");
  EXPECT_EQ(ivr().state(), State::kMainMenu);
}

TEST_F(IvrAppTest, HangUpAnywhereEndsCleanly) {
  add_message("1001", "1002", "2024-03-01T08:00:00.000Z");
  login();
  press(control_, "1");
  app_->on_end();
  EXPECT_EQ(ivr().state(), State::kEnded);
  // Late completions after on_end() are ignored.
  app_->on_media(app::PlayDone{999, app::PlayResult::kStopped, 0, {}});
  hang_up();
}

}  // namespace
}  // namespace switchboard::features::voicemail::testing

namespace switchboard::features::voicemail::testing {
namespace {

TEST_F(VoicemailTest, OneFactoryForTheVoicemailKind) {
  auto factory = service_->app_factory();
  core::AppCallInfo info;
  info.caller = "1001";
  info.target = "1001";
  info.caller_is_local = true;
  info.reason = core::AppReason::kDialed;
  auto ivr = factory(info);
  EXPECT_NE(dynamic_cast<IvrApp*>(ivr.get()), nullptr);
  info.caller = "1002";
  for (auto reason :
       {core::AppReason::kNoAnswer, core::AppReason::kBusy, core::AppReason::kForwarded}) {
    info.reason = reason;
    auto deposit = factory(info);
    EXPECT_NE(dynamic_cast<DepositApp*>(deposit.get()), nullptr) << static_cast<int>(reason);
  }
  info.target = "4242";
  EXPECT_EQ(factory(info), nullptr);
}

}  // namespace
}  // namespace switchboard::features::voicemail::testing
