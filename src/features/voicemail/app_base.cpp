#include "features/voicemail/app_base.hpp"

#include "common/log.hpp"

namespace switchboard::features::voicemail {

namespace app = media::app;

std::vector<app::PlayItem> prompts(std::initializer_list<const char*> names) {
  std::vector<app::PlayItem> out;
  for (const char* n : names) out.emplace_back(app::PromptItem{n});
  return out;
}

void append(std::vector<app::PlayItem>& to, const media::audio::Phrase& phrase) {
  for (const auto& n : phrase) to.emplace_back(app::PromptItem{n});
}

void AppBase::prompt_and_collect(std::vector<app::PlayItem> items, app::CollectRequest collect) {
  forget_ops();
  if (!control_) return;
  app::PlayRequest play;
  play.items = std::move(items);
  play.interruptible = true;
  play_op_ = control_->play(std::move(play));
  if (!control_) return;
  collect_op_ = control_->collect_digits(std::move(collect));
}

void AppBase::play_only(std::vector<app::PlayItem> items, bool interruptible) {
  forget_ops();
  if (!control_) return;
  app::PlayRequest play;
  play.items = std::move(items);
  play.interruptible = interruptible;
  play_op_ = control_->play(std::move(play));
}

app::CollectRequest AppBase::one_digit() const {
  app::CollectRequest c;
  c.max_digits = 1;
  c.terminators = "";
  c.first_digit_timeout = options_->menu_timeout;
  c.inter_digit_timeout = options_->inter_digit_timeout;
  return c;
}

app::CollectRequest AppBase::digits(std::size_t max) const {
  app::CollectRequest c;
  c.max_digits = max;
  c.terminators = "#";
  c.first_digit_timeout = options_->menu_timeout;
  c.inter_digit_timeout = options_->inter_digit_timeout;
  return c;
}

bool AppBase::expected(const app::MediaEvent& event) {
  app::OpId id = app::op_id(event);
  if (id == 0) return false;
  if (const auto* p = std::get_if<app::PlayDone>(&event);
      p && p->result == app::PlayResult::kError) {
    log::get("voicemail")
        ->warn("call {}: playback failed: {}", control_ ? control_->info().call_id : std::string(),
               p->error);
  }
  if (std::holds_alternative<app::PlayDone>(event) && id == play_op_) {
    play_op_ = 0;
    // A play that ends while a collect runs only matters to the collect.
    return collect_op_ == 0;
  }
  if (std::holds_alternative<app::DigitsDone>(event) && id == collect_op_) {
    collect_op_ = 0;
    if (play_op_ != 0 && control_) {  // a digit typed during the prompt: stop it
      play_op_ = 0;
      control_->stop_media();
    }
    return true;
  }
  if (std::holds_alternative<app::RecordDone>(event) && id == record_op_) {
    record_op_ = 0;
    return true;
  }
  return false;
}

}  // namespace switchboard::features::voicemail
