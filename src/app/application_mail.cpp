// Voicemail-to-email and daily reminders (issue 8 §5): features/mail's
// MailService, fed by the voicemail service's on_new_message, sending on a
// strand of the worker pool. Options come from voicemail.smtp,
// voicemail.email and voicemail.reminders; the owner's address is the
// extension's `email` (config first, then extensions made through the API).
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <cstdio>

#include "app/application.hpp"
#include "common/log.hpp"
#include "features/mail/mail_service.hpp"
#include "features/voicemail/service.hpp"

namespace switchboard::app {

namespace {

namespace mail = features::mail;

mail::MailServiceOptions mail_options(const config::Config& cfg) {
  const auto& vm = cfg.voicemail;
  mail::MailServiceOptions o;
  o.smtp.host = vm.smtp.host;
  o.smtp.port = vm.smtp.port;
  // voicemail.smtp.use_tls: TLS from the first byte on the SMTPS port
  // (465), STARTTLS (required, never optional) everywhere else.
  // voicemail.smtp.security overrides that.
  o.smtp.security = !vm.smtp.use_tls      ? mail::SmtpSecurity::kNone
                    : vm.smtp.port == 465 ? mail::SmtpSecurity::kImplicitTls
                                          : mail::SmtpSecurity::kStartTls;
  if (vm.smtp.security == "starttls") o.smtp.security = mail::SmtpSecurity::kStartTls;
  if (vm.smtp.security == "tls") o.smtp.security = mail::SmtpSecurity::kImplicitTls;
  if (vm.smtp.security == "none") o.smtp.security = mail::SmtpSecurity::kNone;
  o.smtp.ca_file = vm.smtp.ca_file;
  o.email.delete_after_email = vm.email.delete_after_email;
  o.smtp.username = vm.smtp.username;
  o.smtp.password = vm.smtp.password;
  o.email.from_address = vm.email.from_address;
  o.email.from_name = vm.email.from_name;
  o.email.subject_template = vm.email.subject_template;
  o.email.include_attachment = vm.email.include_attachment;
  o.reminders.enabled = vm.reminders.enabled;
  int hour = 9, minute = 0;
  if (std::sscanf(vm.reminders.time.c_str(), "%d:%d", &hour, &minute) == 2) {
    o.reminders.hour = hour;
    o.reminders.minute = minute;
  }
  return o;
}

}  // namespace

bool Application::start_mail() {
  const auto& cfg = *config_;
  auto logger = log::get("mail");
  if (!voicemail_ || (!cfg.voicemail.email_notifications && !cfg.voicemail.reminders.enabled)) {
    return true;
  }
  mail::MailService::Environment env;
  env.db = db_.get();
  env.timers = &timers_;
  env.post_work = [strand = boost::asio::make_strand(workers_)](std::function<void()> job) {
    boost::asio::post(strand, std::move(job));
  };
  env.post_core = [this](std::function<void()> done) { boost::asio::post(core_, std::move(done)); };
  auto service = mail::MailService::create(std::move(env), mail_options(cfg));
  if (!service) {
    // The config check passed, so this is a combination it cannot see
    // (reminders without a sender address): voicemail works, e-mail does not.
    logger->error("voicemail e-mail is off: {}", service.error().message);
    return true;
  }
  mail_ = std::move(*service);
  voicemail_->on_new_message([this](const store::VoicemailMessage& m) {
    if (!mail_ || !config_->voicemail.email_notifications ||
        !config_->voicemail.email.send_immediately) {
      return;
    }
    mail_->message_stored(m, mailbox_email(m.mailbox));
  });
  // delete-after-email removed a message: the phones' MWI follows.
  mail_->set_message_removed_hook(
      [this](const std::string& mailbox) { voicemail_->counts_changed(mailbox); });
  mail_->start();
  return true;
}

std::string Application::mailbox_email(const std::string& mailbox) const {
  for (const auto& e : config_->extensions) {
    if (e.number == mailbox) return e.email;
  }
  for (const auto& e : api_extensions_) {
    if (e.number == mailbox) return e.email;
  }
  return {};
}

void Application::apply_mail(const config::Config& cfg) {
  if (!mail_) return;
  if (auto s = mail_->set_options(mail_options(cfg)); !s) {
    log::get("mail")->error("voicemail e-mail settings not applied: {}", s.error().message);
  }
}

void Application::stop_mail() {
  if (mail_) mail_->stop();  // before the worker pool drains: no new SMTP rounds
}

}  // namespace switchboard::app
