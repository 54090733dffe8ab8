#include "features/voicemail/deposit_app.hpp"

#include "common/log.hpp"

namespace switchboard::features::voicemail {
namespace app = media::app;
using Items = std::vector<app::PlayItem>;

const char* to_string(DepositApp::State s) {
  switch (s) {
    case DepositApp::State::kIdle:
      return "idle";
    case DepositApp::State::kPreparing:
      return "preparing";
    case DepositApp::State::kGreeting:
      return "greeting";
    case DepositApp::State::kBeep:
      return "beep";
    case DepositApp::State::kRecording:
      return "recording";
    case DepositApp::State::kStoring:
      return "storing";
    case DepositApp::State::kClosing:
      return "closing";
    case DepositApp::State::kIvr:
      return "ivr";
    case DepositApp::State::kEnded:
      return "ended";
  }
  return "?";
}

DepositApp::DepositApp(VoicemailService& service, OptionsPtr options, std::string mailbox)
    : AppBase(service, std::move(options)), mailbox_(std::move(mailbox)) {}

DepositApp::~DepositApp() = default;

void DepositApp::on_start(core::AppControl& control) {
  control_ = &control;
  state_ = State::kPreparing;
  const auto& info = control.info();
  bool busy = info.reason == core::AppReason::kBusy;
  std::string mailbox = mailbox_, caller = info.caller, name = info.caller_name;
  run<Result<DepositPlan>>(
      this,
      [mailbox, busy, caller, name](MailboxStore& s) {
        return s.prepare_deposit(mailbox, busy, caller, name);
      },
      [](DepositApp& self, Result<DepositPlan> plan) {
        if (!plan) {
          log::get("voicemail")->error("mailbox {}: {}", self.mailbox_, plan.error().message);
          if (self.state_ == State::kPreparing) self.close(prompts({"vm_error"}));
          return;
        }
        self.wav_path_ = plan->wav_path;
        if (self.state_ != State::kPreparing) return self.abandon();  // hung up meanwhile
        self.greet(*plan);
      });
}

void DepositApp::greet(const DepositPlan& plan) {
  state_ = State::kGreeting;
  bool busy = control_->info().reason == core::AppReason::kBusy;
  Items items;
  if (!plan.greeting.empty()) {
    items.emplace_back(app::FileItem{plan.greeting, false});
  } else {
    if (!plan.name_recording.empty()) {
      items.emplace_back(app::FileItem{plan.name_recording, false});
    } else {
      items.emplace_back(app::PromptItem{"vm_person_at_extension"});
      append(items, media::audio::digits_phrase(mailbox_));
    }
    items.emplace_back(app::PromptItem{busy ? "vm_is_busy" : "vm_is_unavailable"});
  }
  items.emplace_back(app::PromptItem{"vm_leave_message"});
  forget_ops();
  app::PlayRequest play;
  play.items = std::move(items);
  play.interruptible = true;
  play.interrupt_digits = options_->operator_number.empty() ? "*#" : "0*#";
  play_op_ = control_->play(std::move(play));
}

void DepositApp::beep() {
  state_ = State::kBeep;
  play_only({app::ToneItem{media::dsp::ToneKind::kBeep, {}}});
}

void DepositApp::record() {
  state_ = State::kRecording;
  app::RecordRequest req;
  req.path = wav_path_;
  req.max_duration = options_->max_message;
  req.silence_end = options_->silence_end;
  req.silence_rms = options_->silence_rms;
  req.terminators = "#";
  forget_ops();
  record_op_ = control_->record(std::move(req));
}

void DepositApp::store(const app::RecordDone& r) {
  state_ = State::kStoring;
  if (r.result == app::RecordResult::kError) {
    log::get("voicemail")->error("mailbox {}: recording failed: {}", mailbox_, r.error);
  }
  std::string path = r.path.empty() ? wav_path_ : r.path;
  wav_path_.clear();
  // Not through run(): the message is announced even if the app is gone.
  VoicemailService* service = &service_;
  std::weak_ptr<int> alive = alive_;
  std::string mailbox = mailbox_;
  service_.async<Result<std::optional<store::VoicemailMessage>>>(
      [path](MailboxStore& s) { return s.finish_deposit(path); },
      [service, alive, self = this, mailbox](Result<std::optional<store::VoicemailMessage>> kept) {
        Items notice;
        if (!kept) {
          log::get("voicemail")->error("mailbox {}: {}", mailbox, kept.error().message);
          notice = prompts({"vm_error"});
        } else if (*kept) {
          log::get("voicemail")
              ->info("mailbox {}: message {} ({} ms)", mailbox, (*kept)->id, (*kept)->duration_ms);
          service->message_stored(**kept);
          notice = prompts({"vm_message_stored"});
        } else {
          log::get("voicemail")->info("mailbox {}: message too short, discarded", mailbox);
          notice = prompts({"vm_too_short"});
        }
        if (alive.expired()) return;
        if (self->state_ == State::kStoring) self->close(std::move(notice));
      });
}

void DepositApp::close(Items items) {
  state_ = State::kClosing;
  if (!active()) return;
  items.emplace_back(app::PromptItem{"goodbye"});
  play_only(std::move(items));
}

void DepositApp::abandon() {
  if (wav_path_.empty()) return;
  std::string path = std::exchange(wav_path_, {});
  service_.async<int>(
      [path](MailboxStore& s) {
        s.abandon_deposit(path);
        return 0;
      },
      [](int) {});
}

void DepositApp::on_media(const app::MediaEvent& event) {
  if (state_ == State::kIvr) {
    if (ivr_) ivr_->on_media(event);
    return;
  }
  if (!expected(event)) return;
  if (const auto* r = std::get_if<app::RecordDone>(&event)) {
    if (state_ == State::kRecording) store(*r);
    return;
  }
  const auto* p = std::get_if<app::PlayDone>(&event);
  if (!p) return;
  switch (state_) {
    case State::kGreeting:
      if (p->result == app::PlayResult::kStopped) return;  // the call is ending
      if (p->result == app::PlayResult::kInterrupted && p->digit == '0' &&
          !options_->operator_number.empty()) {
        state_ = State::kEnded;
        abandon();
        log::get("voicemail")->info("mailbox {}: caller pressed 0, to the operator", mailbox_);
        control_->redirect(options_->operator_number);
        return;
      }
      if (p->result == app::PlayResult::kInterrupted && p->digit == '*') {
        abandon();
        state_ = State::kIvr;
        ivr_ = std::make_unique<IvrApp>(service_, options_, mailbox_);
        ivr_->on_start(*control_);
        return;
      }
      return beep();
    case State::kBeep:
      if (p->result == app::PlayResult::kStopped) {
        state_ = State::kEnded;
        return abandon();
      }
      return record();
    case State::kClosing:
      state_ = State::kEnded;
      if (control_) control_->hang_up("voicemail: message left");
      return;
    default:
      return;
  }
}

void DepositApp::on_end() {
  if (ivr_) ivr_->on_end();
  switch (state_) {
    case State::kPreparing:
      break;  // the plan's completion sees it and abandons
    case State::kGreeting:
    case State::kBeep:
      abandon();
      break;
    case State::kRecording:
      // The media layer completes the recording before on_end(); if it did
      // not, the file (or its .part) and its sidecar are kept for recover().
      break;
    default:
      break;
  }
  if (state_ != State::kStoring) state_ = State::kEnded;
  control_ = nullptr;
  forget_ops();
}

}  // namespace switchboard::features::voicemail
