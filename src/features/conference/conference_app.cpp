#include "features/conference/conference_app.hpp"

#include "common/log.hpp"

namespace switchboard::features::conference {
namespace app = media::app;

namespace {

/// Waiting in the room for a command: no timeout worth the name.
constexpr auto kIdleWait = std::chrono::hours(1);

}  // namespace

const char* to_string(ConferenceApp::State s) {
  switch (s) {
    case ConferenceApp::State::kIdle:
      return "idle";
    case ConferenceApp::State::kPin:
      return "pin";
    case ConferenceApp::State::kInRoom:
      return "in-room";
    case ConferenceApp::State::kLeaving:
      return "leaving";
    case ConferenceApp::State::kEnded:
      return "ended";
  }
  return "?";
}

ConferenceApp::ConferenceApp(ConferenceService& service, std::string room, bool direct)
    : service_(service), room_(std::move(room)), direct_(direct) {}

ConferenceApp::~ConferenceApp() {
  if (party_ != 0 && state_ == State::kInRoom) service_.leave(room_, party_);
}

void ConferenceApp::on_start(core::AppControl& control) {
  control_ = &control;
  def_ = direct_ ? RoomDef{} : service_.room_def(room_);
  if (!def_.pin.empty() || !def_.moderator_pin.empty()) return ask_pin(false);
  enter(false);
}

void ConferenceApp::ask_pin(bool again) {
  state_ = State::kPin;
  app::PlayRequest play;
  if (again) play.items.emplace_back(app::PromptItem{"conf_invalid_pin"});
  play.items.emplace_back(app::PromptItem{"conf_enter_pin"});
  play.interruptible = true;
  play_op_ = control_->play(std::move(play));
  if (!control_) return;
  app::CollectRequest c;
  c.max_digits = 12;
  c.terminators = "#";
  c.first_digit_timeout = service_.options().pin_timeout;
  c.inter_digit_timeout = service_.options().inter_digit_timeout;
  c.flush = again;
  collect_op_ = control_->collect_digits(std::move(c));
}

void ConferenceApp::check_pin(const app::DigitsDone& d) {
  const std::string& entered = d.digits;
  const bool timed_out = d.result == app::CollectResult::kTimeout && entered.empty();
  if (!def_.moderator_pin.empty() && !entered.empty() && entered == def_.moderator_pin.reveal()) {
    return enter(true);
  }
  if (def_.pin.empty() ? entered.empty() : (!entered.empty() && entered == def_.pin.reveal())) {
    // A room with only a moderator PIN: `#` (or nothing) joins as a participant.
    return enter(false);
  }
  ++failures_;
  log::get("conference")
      ->info("room {}: call {} entered a wrong PIN{} ({} of {})", room_, control_->info().call_id,
             timed_out ? " (none)" : "", failures_, service_.options().pin_attempts);
  if (failures_ >= service_.options().pin_attempts) {
    return leave_with({"conf_invalid_pin", "goodbye"}, "conference: wrong PIN");
  }
  ask_pin(true);
}

void ConferenceApp::enter(bool moderator) {
  moderator_ = moderator;
  JoinOutcome joined = service_.join(room_, *control_, moderator, *this);
  switch (joined.result) {
    case JoinResult::kFull:
      return leave_with({"conf_full", "goodbye"}, "conference: full");
    case JoinResult::kLocked:
      return leave_with({"conf_locked", "goodbye"}, "conference: locked");
    case JoinResult::kError:
      return leave_with({"vm_error", "goodbye"}, "conference: cannot join");
    case JoinResult::kJoined:
      break;
  }
  state_ = State::kInRoom;
  party_ = joined.party;
  if (!direct_) {
    std::vector<const char*> intro;
    if (moderator_) intro.push_back("conf_moderator");
    if (joined.recording) intro.push_back("conf_recording");
    const Room* room = service_.room(room_);
    if (room && room->size() == 1) intro.push_back("conf_first_participant");
    if (!intro.empty()) say(std::move(intro));
  }
  listen();
}

void ConferenceApp::listen() {
  if (!control_ || state_ != State::kInRoom) return;
  app::CollectRequest c;
  c.max_digits = 1;
  c.terminators = "";
  c.first_digit_timeout = star_ ? std::chrono::duration_cast<std::chrono::milliseconds>(
                                      service_.options().inter_digit_timeout)
                                : std::chrono::duration_cast<std::chrono::milliseconds>(kIdleWait);
  c.inter_digit_timeout = c.first_digit_timeout;
  collect_op_ = control_->collect_digits(std::move(c));
}

void ConferenceApp::on_digit(char digit) {
  if (digit == '*') {
    star_ = true;
    return;
  }
  if (!star_) return;  // a stray digit: commands start with `*`
  star_ = false;
  command(digit);
}

void ConferenceApp::command(char key) {
  const std::string& call_id = control_->info().call_id;
  auto log = log::get("conference");
  if (key == '6') {
    auto muted = service_.toggle_muted(room_, party_);
    if (!muted) return;
    log->info("room {}: call {} {}", room_, call_id, *muted ? "muted" : "unmuted");
    return say({*muted ? "conf_muted" : "conf_unmuted"});
  }
  if (!moderator_) return;
  switch (key) {
    case '1': {
      bool all = service_.toggle_mute_all(room_, party_);
      log->info("room {}: moderator {} {} everyone", room_, call_id, all ? "muted" : "unmuted");
      return say({all ? "conf_all_muted" : "conf_all_unmuted"});
    }
    case '2': {
      bool locked = service_.toggle_lock(room_);
      log->info("room {}: moderator {} {} the room", room_, call_id,
                locked ? "locked" : "unlocked");
      return say({locked ? "conf_locked_now" : "conf_unlocked_now"});
    }
    case '3': {
      auto kicked = service_.kick_last(room_, party_);
      if (!kicked) return say({"conf_nobody"});
      log->info("room {}: moderator {} removed call {}", room_, call_id, kicked->call_id);
      return say({"conf_removed"});
    }
    default:
      return;
  }
}

void ConferenceApp::say(std::vector<const char*> prompts) {
  if (!control_) return;
  app::PlayRequest play;
  for (const char* p : prompts) play.items.emplace_back(app::PromptItem{p});
  // Not tracked: the room goes on around it, a newer one is simply queued.
  control_->play(std::move(play));
}

void ConferenceApp::leave_with(std::vector<const char*> prompts, std::string cause) {
  state_ = State::kLeaving;
  leave_cause_ = std::move(cause);
  collect_op_ = 0;
  if (!control_) return;
  app::PlayRequest play;
  for (const char* p : prompts) play.items.emplace_back(app::PromptItem{p});
  play_op_ = control_->play(std::move(play));
}

void ConferenceApp::on_kicked() {
  if (state_ != State::kInRoom || !control_) return;
  party_ = 0;  // out of the room already
  control_->stop_media();
  leave_with({"conf_kicked", "goodbye"}, "conference: removed by the moderator");
}

void ConferenceApp::on_media(const app::MediaEvent& event) {
  if (!control_) return;
  const app::OpId id = app::op_id(event);
  if (const auto* d = std::get_if<app::DigitsDone>(&event)) {
    if (id != collect_op_ || d->result == app::CollectResult::kStopped) return;
    collect_op_ = 0;
    if (state_ == State::kPin) {
      if (play_op_ != 0) {  // typed during the prompt: stop it
        play_op_ = 0;
        control_->stop_media();
      }
      return check_pin(*d);
    }
    if (state_ == State::kInRoom) {
      if (d->result == app::CollectResult::kTimeout) {
        star_ = false;
      } else if (!d->digits.empty()) {
        on_digit(d->digits.front());
      }
      return listen();
    }
    return;
  }
  if (const auto* p = std::get_if<app::PlayDone>(&event)) {
    if (id != play_op_) return;
    play_op_ = 0;
    if (p->result == app::PlayResult::kError) {
      log::get("conference")->warn("room {}: playback failed: {}", room_, p->error);
    }
    if (state_ == State::kLeaving && p->result != app::PlayResult::kStopped) {
      state_ = State::kEnded;
      control_->hang_up(leave_cause_);
    }
  }
}

void ConferenceApp::on_end() {
  if (party_ != 0) service_.leave(room_, party_);
  party_ = 0;
  state_ = State::kEnded;
  control_ = nullptr;
  play_op_ = collect_op_ = 0;
}

}  // namespace switchboard::features::conference
