// The mailbox IVR (issue 8 §2), an explicit state machine:
//
//   MailboxEntry ─► CheckingLock ─► PinEntry ─► Verifying ─► Loading ─► MainMenu
//   (skipped from the owner's phone)    ▲  wrong (< pin_attempts) │
//                                       └─────────────────────────┘
//   MainMenu ─1/2─► Playback ─► MessageMenu ─8─► ForwardEntry ─► MessageMenu
//   MainMenu ─0─► OptionsMenu ─1/2/3─► RecordPrompt ─► Recording ─► OptionsMenu
//                             ─4─► NewPin ─► ConfirmPin ─► OptionsMenu
//   any ─► Goodbye ─► (hang up);  Waiting = store work in flight.
//
// Menus time out after voicemail.ivr.menu_timeout: repeated menu_repeats
// times, then back to the previous menu (the main menu hangs up). Every
// prompt is interruptible; digits typed during it are the menu choice.
// The digit map is in docs/VOICEMAIL.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "features/voicemail/app_base.hpp"

namespace switchboard::features::voicemail {

class IvrApp final : public core::CallApp, private AppBase {
 public:
  enum class State {
    kIdle,
    kMailboxEntry,
    kCheckingLock,
    kPinEntry,
    kVerifying,
    kLoading,
    kMainMenu,
    kPlayback,
    kMessageMenu,
    kForwardEntry,
    kOptionsMenu,
    kRecordPrompt,
    kRecording,
    kNewPin,
    kConfirmPin,
    kWaiting,
    kGoodbye,
    kEnded,
  };

  /// `mailbox` empty: asked first. Otherwise only the PIN is asked.
  IvrApp(VoicemailService& service, OptionsPtr options, std::string mailbox);
  ~IvrApp() override;

  void on_start(core::AppControl& control) override;
  void on_media(const media::app::MediaEvent& event) override;
  void on_end() override;

  State state() const { return state_; }
  const std::string& mailbox() const { return mailbox_; }

 private:
  struct Entry {
    store::VoicemailMessage message;
    store::VoicemailFolder before_delete = store::VoicemailFolder::kNew;
    bool deleted = false;
    bool heard = false;
  };
  enum class Menu { kMain, kMessage, kOptions };

  void ask_mailbox(std::vector<media::app::PlayItem> notice = {});
  void check_lock();
  void ask_pin(std::vector<media::app::PlayItem> notice = {});
  void verify(std::string pin);
  void wrong_pin();
  void load();
  void main_menu(std::vector<media::app::PlayItem> notice = {});
  void open_folder(bool new_folder);
  void play_message();
  void message_menu(std::vector<media::app::PlayItem> notice = {});
  void options_menu(std::vector<media::app::PlayItem> notice = {});
  void goodbye(std::vector<media::app::PlayItem> notice = {});
  void locked();
  void failed(const Error& e);

  void on_digits(const media::app::DigitsDone& d);
  void on_main_digit(char d);
  void on_message_digit(char d);
  void on_options_digit(char d);
  void on_timeout(Menu menu);
  void on_new_pin(const std::string& pin);
  void start_recording(store::Recording which);
  void on_recorded(const media::app::RecordDone& r);

  Entry* current();
  std::vector<Entry>& folder() { return in_new_ ? new_ : saved_; }
  std::pair<std::int64_t, std::int64_t> counts() const;
  void changed();  ///< the store changed: MWI
  void close_session();

  std::string mailbox_;
  bool mailbox_known_;
  State state_ = State::kIdle;
  int pin_failures_ = 0;
  int repeats_ = 0;
  std::vector<Entry> new_, saved_;
  bool in_new_ = true;
  std::size_t index_ = 0;
  std::string new_pin_;
  store::Recording recording_kind_ = store::Recording::kUnavailableGreeting;
  std::string recording_path_;
  bool closed_ = false;
};

const char* to_string(IvrApp::State s);

}  // namespace switchboard::features::voicemail
