// Voicemail (issue 8 §1-4): the service behind the B2BUA's voicemail target
// kind — leaving a message on no answer/busy/unregistered and the mailbox
// IVR on `*`+extension. Options come from voicemail.*, the extensions (the
// mailboxes and their initial voicemail_pin) and the operator console's
// first operator extension (`0` during a greeting).
#include <boost/asio/post.hpp>

#include "app/application.hpp"
#include "common/log.hpp"
#include "core/call/b2bua.hpp"
#include "features/voicemail/service.hpp"

namespace switchboard::app {

namespace {

features::voicemail::VoicemailOptions voicemail_options(const config::Config& cfg) {
  features::voicemail::VoicemailOptions o;
  o.storage_path = cfg.voicemail.storage_path;
  o.max_message = std::chrono::seconds(cfg.voicemail.max_message_duration);
  o.pin_attempts = cfg.voicemail.ivr.pin_attempts;
  o.menu_timeout = std::chrono::seconds(cfg.voicemail.ivr.menu_timeout);
  o.inter_digit_timeout = std::chrono::seconds(cfg.voicemail.ivr.inter_digit_timeout);
  const auto& ops = cfg.features.operator_console.operator_extensions;
  if (!ops.empty()) o.operator_number = ops.front();
  for (const auto& e : cfg.extensions) {
    o.mailboxes[e.number] = features::voicemail::MailboxDef{e.name, e.voicemail_pin};
  }
  return o;
}

}  // namespace

bool Application::start_voicemail() {
  const auto& cfg = *config_;
  if (!cfg.features.voicemail) return true;
  voicemail_ = std::make_unique<features::voicemail::VoicemailService>(
      voicemail_options(cfg), *db_,
      [this](std::function<void()> job) { boost::asio::post(workers_, std::move(job)); },
      [this](std::function<void()> done) { boost::asio::post(core_, std::move(done)); });
  // Recordings a crash cut short get their rows before any call.
  if (auto n = voicemail_->recover(); !n.ok()) {
    log::get("voicemail")->error("recovering messages: {}", n.error().message);
  } else if (*n > 0) {
    log::get("voicemail")->warn("{} message(s) recovered after a crash", *n);
  }
  b2bua_->set_app(core::TargetKind::kVoicemail, voicemail_->app_factory());
  // voicemail.main_number reaches the IVR, which asks for the mailbox.
  router_->add_hook("voicemail-main-number",
                    [this](const core::RouteRequest& rq, core::RouteDecision& d) {
                      const auto& main = config_->voicemail.main_number;
                      if (main.empty() || rq.dialed != main) return core::HookResult::kContinue;
                      d = core::RouteDecision{};
                      d.kind = core::TargetKind::kVoicemail;
                      return core::HookResult::kHandled;
                    });
  log::get("voicemail")
      ->info("voicemail: {} mailbox(es) under {}", cfg.extensions.size(),
             cfg.voicemail.storage_path);
  return true;
}

void Application::apply_voicemail(const config::Config& cfg) {
  if (voicemail_) voicemail_->update_options(voicemail_options(cfg));
}

}  // namespace switchboard::app
