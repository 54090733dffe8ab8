#include "features/parking/park_app.hpp"

#include "common/log.hpp"
#include "features/parking/service.hpp"
#include "media/audio/phrases.hpp"

namespace switchboard::features::parking {

namespace app = media::app;

ParkApp::ParkApp(ParkingService& service, core::AppCallInfo info)
    : service_(service), info_(std::move(info)) {}

void ParkApp::on_start(core::AppControl& control) {
  control_ = &control;
  const std::string& dialed = info_.target.empty() ? info_.dialed : info_.target;
  if (dialed == service_.options().park_extension) return park("");
  if (!service_.is_slot(dialed)) return fail("park_empty");
  if (service_.holder(dialed)) return retrieve(dialed);
  // A free slot: a transfer parks there; dialing it finds nothing.
  if (info_.reason == core::AppReason::kForwarded) return park(dialed);
  fail("park_empty");
}

void ParkApp::park(const std::string& wanted) {
  auto slot = service_.reserve(wanted, this, info_);
  if (!slot) {
    // A transferred caller is not dropped: it goes back to its parker.
    back_to_parker_ = !info_.referred_by.empty();
    return fail("park_no_slot");
  }
  slot_ = *slot;
  state_ = State::kAnnouncing;
  app::PlayRequest r;
  r.items.push_back(app::PromptItem{"park_slot"});
  for (const auto& name : media::audio::digits_phrase(slot_)) {
    r.items.push_back(app::PromptItem{name});
  }
  r.items.push_back(app::SilenceItem{std::chrono::milliseconds(300)});
  playing_ = control_->play(std::move(r));
  if (playing_ == 0) service_.parked(slot_);  // no media: park silently
}

void ParkApp::retrieve(const std::string& slot) {
  state_ = State::kJoining;
  ParkApp* parked = service_.holder(slot);
  const std::string call_id = parked->info().call_id;
  service_.retrieving(slot, info_.caller);
  log::get("parking")->info("{} retrieves slot {} (call {})", info_.caller, slot, call_id);
  control_->join(call_id, [this, slot] {
    if (state_ != State::kJoining) return;
    service_.retrieve_failed(slot);
    fail("transfer_failed");
  });
}

void ParkApp::fail(const char* prompt) {
  state_ = State::kFailing;
  app::PlayRequest r;
  r.items.push_back(app::PromptItem{prompt});
  playing_ = control_->play(std::move(r));
  if (playing_ == 0) control_->hang_up("parking: " + std::string(prompt));
}

void ParkApp::on_media(const app::MediaEvent& event) {
  const auto* done = std::get_if<app::PlayDone>(&event);
  if (!done || done->id != playing_) return;
  playing_ = 0;
  if (state_ == State::kAnnouncing) {
    state_ = State::kParked;
    control_->start_music(service_.options().moh_class);
    service_.parked(slot_);
  } else if (state_ == State::kFailing && back_to_parker_) {
    state_ = State::kEnded;
    const auto& o = service_.options();
    control_->redirect(info_.referred_by, o.operator_extension, o.callback_no_answer);
  } else if (state_ == State::kFailing) {
    control_->hang_up("parking: nothing to do");
  }
}

void ParkApp::on_timeout() {
  if (state_ != State::kParked) return;
  const auto& o = service_.options();
  const std::string& parker = info_.referred_by;  // "" when the caller parked itself
  state_ = State::kEnded;
  // The callback rings the parker (as if the parked party dialed it), and
  // the operator when the parker does not answer.
  if (!parker.empty() && parker != info_.caller) {
    control_->redirect(parker, o.operator_extension, o.callback_no_answer);
  } else if (!o.operator_extension.empty()) {
    control_->redirect(o.operator_extension);
  } else {
    control_->hang_up("parking: timeout");
  }
}

void ParkApp::on_caller_changed(const std::string& caller) {
  // An attended transfer: the transferee replaced the parker here.
  if (info_.referred_by.empty()) info_.referred_by = info_.caller;
  info_.caller = caller;
  if (!slot_.empty()) service_.caller_changed(slot_, caller);
}

void ParkApp::on_end() {
  state_ = State::kEnded;
  if (!slot_.empty()) service_.release(slot_, this);
  control_ = nullptr;
}

}  // namespace switchboard::features::parking
