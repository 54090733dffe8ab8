// Leaving a message (issue 8 §1), an explicit state machine:
//
//   Preparing ─► Greeting ─► Beep ─► Recording ─► Storing ─► Closing ─► (hang up)
//                  │ 0: redirect to the operator     │ hang-up: the message is kept
//                  │ *: the mailbox IVR (PIN asked)  │ shorter than min_message: discarded
//                  │ #: straight to the beep
//
// The greeting is the mailbox's busy or unavailable recording, else a
// default built from the name recording (or the extension's digits).
#pragma once

#include <memory>
#include <string>

#include "features/voicemail/app_base.hpp"
#include "features/voicemail/ivr_app.hpp"

namespace switchboard::features::voicemail {

class DepositApp final : public core::CallApp, private AppBase {
 public:
  enum class State {
    kIdle,
    kPreparing,
    kGreeting,
    kBeep,
    kRecording,
    kStoring,
    kClosing,
    kIvr,
    kEnded
  };

  DepositApp(VoicemailService& service, OptionsPtr options, std::string mailbox);
  ~DepositApp() override;

  void on_start(core::AppControl& control) override;
  void on_media(const media::app::MediaEvent& event) override;
  void on_end() override;

  State state() const { return state_; }
  /// After `*`: the IVR the call went on with.
  const IvrApp* ivr() const { return ivr_.get(); }

 private:
  void greet(const DepositPlan& plan);
  void beep();
  void record();
  void store(const media::app::RecordDone& r);
  void close(std::vector<media::app::PlayItem> items);
  void abandon();

  std::string mailbox_;
  State state_ = State::kIdle;
  std::string wav_path_;
  std::unique_ptr<IvrApp> ivr_;
};

const char* to_string(DepositApp::State s);

}  // namespace switchboard::features::voicemail
