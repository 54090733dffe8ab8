#include "features/forwarding/feature_code_app.hpp"

#include "common/log.hpp"
#include "features/forwarding/service.hpp"
#include "media/audio/phrases.hpp"

namespace switchboard::features::forwarding {

namespace mapp = media::app;

namespace {

const char* confirmation(const CodeAction& a) {
  switch (a.condition) {
    case Condition::kAlways:
      return a.set ? "forwarding_always_on" : "forwarding_always_off";
    case Condition::kBusy:
      return a.set ? "forwarding_busy_on" : "forwarding_busy_off";
    case Condition::kNoAnswer:
      return a.set ? "forwarding_no_answer_on" : "forwarding_no_answer_off";
  }
  return "forwarding_always_off";
}

}  // namespace

void FeatureCodeApp::on_start(core::AppControl& control) {
  control_ = &control;
  const auto& info = control.info();
  auto applied = service_.apply_code(info.caller, info.dialed);
  mapp::PlayRequest play;
  if (applied.ok()) {
    play.items.push_back(mapp::PromptItem{confirmation(*applied)});
    if (applied->set) {
      for (auto& name : media::audio::digits_phrase(applied->target)) {
        play.items.push_back(mapp::PromptItem{std::move(name)});
      }
    }
  } else {
    log::get("forwarding")
        ->info("call {}: {} refused {}: {}", info.call_id, info.caller, info.dialed,
               applied.error().message);
    play.items.push_back(mapp::PromptItem{applied.error().code == ErrorCode::kFailedPrecondition
                                              ? "forwarding_not_allowed"
                                              : "forwarding_invalid"});
    play.items.push_back(
        mapp::ToneItem{media::dsp::ToneKind::kCongestion, std::chrono::milliseconds(1500)});
  }
  state_ = State::kConfirming;
  play_op_ = control.play(std::move(play));
  if (play_op_ == 0) finish("feature code: no media");
}

void FeatureCodeApp::on_media(const mapp::MediaEvent& event) {
  if (state_ != State::kConfirming || mapp::op_id(event) != play_op_) return;
  finish("feature code done");
}

void FeatureCodeApp::finish(const char* cause) {
  state_ = State::kDone;
  if (control_) control_->hang_up(cause);
}

}  // namespace switchboard::features::forwarding
