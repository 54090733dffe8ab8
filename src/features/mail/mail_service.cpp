#include "features/mail/mail_service.hpp"

#include <fmt/format.h>

#include <map>

#include "common/log.hpp"
#include "features/mail/mime_message.hpp"
#include "features/mail/subject_template.hpp"
#include "features/mail/voicemail_email.hpp"
#include "store/extension_repository.hpp"
#include "store/mail_outbox_repository.hpp"

namespace switchboard::features::mail {
namespace {

constexpr int kBatch = 16;

std::shared_ptr<const SendConfig> make_config(const MailService::TransportFactory& factory,
                                              MailServiceOptions options) {
  auto c = std::make_shared<SendConfig>();
  c->transport = factory(options.smtp);
  c->options = std::move(options);
  return c;
}

}  // namespace

Status MailService::check_options(const MailServiceOptions& o) {
  if (auto s = check_address(o.email.from_address); !s) {
    return make_error(ErrorCode::kInvalidArgument,
                      "voicemail e-mail: from_address: " + s.error().message);
  }
  if (auto s = check_template(o.email.subject_template); !s) return s;
  if (o.smtp.host.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "voicemail e-mail: no SMTP host");
  }
  if (o.smtp.port < 1 || o.smtp.port > 65535) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("voicemail e-mail: SMTP port {} is out of range", o.smtp.port));
  }
  if (o.reminders.hour < 0 || o.reminders.hour > 23 || o.reminders.minute < 0 ||
      o.reminders.minute > 59) {
    return make_error(ErrorCode::kInvalidArgument, "voicemail reminders: time must be HH:MM");
  }
  if (o.retry.initial.count() <= 0 || o.retry.max < o.retry.initial) {
    return make_error(ErrorCode::kInvalidArgument,
                      "voicemail e-mail: retry delays must be positive and max >= initial");
  }
  return {};
}

Result<std::unique_ptr<MailService>> MailService::create(Environment env,
                                                         MailServiceOptions options) {
  if (!env.db || !env.timers || !env.post_work || !env.post_core || !env.wall_now) {
    return make_error(ErrorCode::kInvalidArgument, "mail service: incomplete environment");
  }
  if (auto s = check_options(options); !s) return s.error();
  if (!env.utc_offset) env.utc_offset = system_utc_offset;
  if (!env.make_transport) {
    env.make_transport = [](const SmtpOptions& smtp) -> std::shared_ptr<MailTransport> {
      return std::make_shared<SmtpMailer>(smtp);
    };
  }
  if (!env.reminder_address) {
    env.reminder_address = [db = env.db](std::string_view mailbox) -> std::string {
      auto e = store::ExtensionRepository(*db).get(mailbox);
      return e ? e->email : std::string();
    };
  }
  return std::unique_ptr<MailService>(new MailService(std::move(env), std::move(options)));
}

MailService::MailService(Environment env, MailServiceOptions options)
    : env_(std::move(env)),
      config_(make_config(env_.make_transport, std::move(options))),
      sender_(*env_.db, env_.wall_now, env_.utc_offset),
      reminders_(*env_.timers, env_.wall_now, env_.utc_offset,
                 [this](store::Timestamp slot) { build_reminders(slot); }) {}

MailService::~MailService() {
  stop();
}

void MailService::start() {
  started_ = true;
  stopping_ = false;
  apply_reminder_schedule();
  const auto& smtp = config_->options.smtp;
  log::get("mail")->info(
      "voicemail e-mail via {}:{} ({}), user {}; reminders {}", smtp.host, smtp.port,
      smtp.security == SmtpSecurity::kImplicitTls ? "implicit TLS"
      : smtp.security == SmtpSecurity::kStartTls  ? "STARTTLS"
                                                  : "no TLS",
      smtp.username.empty() ? "(none)" : smtp.username,
      reminders_.running() ? local_timestamp(reminders_.next(), env_.utc_offset) : "off");
  kick();  // rows left pending by an earlier run
}

void MailService::stop() {
  started_ = false;
  stopping_ = true;
  reminders_.stop();
  if (retry_timer_ != 0) env_.timers->cancel(retry_timer_);
  retry_timer_ = 0;
}

Status MailService::set_options(MailServiceOptions options) {
  if (auto s = check_options(options); !s) return s;
  config_ = make_config(env_.make_transport, std::move(options));
  if (started_) {
    apply_reminder_schedule();
    consecutive_failures_ = 0;  // new settings deserve a try at once
    paused_until_ = {};
    kick();
  }
  return {};
}

void MailService::set_message_removed_hook(std::function<void(const std::string&)> hook) {
  removed_hook_ = std::move(hook);
}

void MailService::apply_reminder_schedule() {
  const auto& r = config_->options.reminders;
  if (r.enabled)
    reminders_.start(r.hour, r.minute);
  else
    reminders_.stop();
}

Result<std::int64_t> MailService::enqueue_voicemail(store::Database& db,
                                                    const store::VoicemailMessage& m,
                                                    const std::string& email, store::NowFn now) {
  if (m.id <= 0)
    return make_error(ErrorCode::kInvalidArgument, "voicemail e-mail: message has no id");
  if (auto s = check_address(email); !s) return s.error();
  return store::MailOutboxRepository(db, std::move(now)).enqueue_voicemail(m.id, m.mailbox, email);
}

void MailService::message_stored(const store::VoicemailMessage& m, const std::string& email) {
  if (email.empty()) return;  // the mailbox's owner has no address: nothing to send
  if (auto s = check_address(email); !s) {
    log::get("mail")->warn("voicemail {} in mailbox {}: no e-mail: {}", m.id, m.mailbox,
                           s.error().message);
    return;
  }
  env_.post_work([this, m, email, now = env_.wall_now] {
    auto id = store::MailOutboxRepository(*env_.db, now).enqueue_voicemail(m.id, m.mailbox, email);
    if (!id) {
      log::get("mail")->error("voicemail {} in mailbox {}: e-mail not queued: {}", m.id, m.mailbox,
                              id.error().message);
      return;
    }
    if (*id > 0) ++stats_.enqueued;
    env_.post_core([this] { kick(); });
  });
}

void MailService::kick() {
  if (!started_) return;
  switch (pump_) {
    case Pump::kIdle:
      if (env_.wall_now() < paused_until_) {
        arm_retry(paused_until_);
        return;
      }
      post_round();
      return;
    case Pump::kRunning:
      pump_ = Pump::kRunningAgain;
      return;
    case Pump::kRunningAgain:
      return;
  }
}

void MailService::post_round() {
  pump_ = Pump::kRunning;
  if (retry_timer_ != 0) env_.timers->cancel(retry_timer_);
  retry_timer_ = 0;
  env_.post_work([this, config = config_] {
    auto result = sender_.drain(*config, kBatch, stopping_);
    env_.post_core([this, result = std::move(result)] { on_round_done(result); });
  });
}

void MailService::on_round_done(const DrainResult& r) {
  stats_.sent += static_cast<std::uint64_t>(r.sent);
  stats_.failed += static_cast<std::uint64_t>(r.failed);
  stats_.cancelled += static_cast<std::uint64_t>(r.cancelled);
  if (removed_hook_) {
    for (const auto& mailbox : r.emptied_mailboxes) removed_hook_(mailbox);
  }
  const auto now = env_.wall_now();
  if (r.failed > 0 || r.store_error) {
    ++consecutive_failures_;
    paused_until_ = now + retry_delay(config_->options.retry, consecutive_failures_);
  } else if (r.sent > 0) {
    consecutive_failures_ = 0;
    paused_until_ = {};
  }
  const bool again = pump_ == Pump::kRunningAgain || r.more;
  pump_ = Pump::kIdle;
  if (!started_) return;
  if (again && now >= paused_until_) {
    post_round();
    return;
  }
  std::optional<store::Timestamp> at = r.next_due;
  if (again || r.store_error) at = paused_until_;
  if (at) arm_retry(std::max(*at, paused_until_));
}

void MailService::arm_retry(store::Timestamp at) {
  if (retry_timer_ != 0) env_.timers->cancel(retry_timer_);
  const auto delay = std::max(std::chrono::milliseconds{0}, at - env_.wall_now());
  retry_timer_ = env_.timers->schedule(delay, [this] {
    retry_timer_ = 0;
    kick();
  });
}

void MailService::send_reminders_now() {
  build_reminders(env_.wall_now());
}

void MailService::build_reminders(store::Timestamp slot) {
  env_.post_work([this, slot, config = config_] {
    auto logger = log::get("mail");
    auto unread = store::VoicemailRepository(*env_.db).unread_older_than(slot);
    if (!unread) {
      logger->error("voicemail reminders: {}", unread.error().message);
      return;
    }
    std::map<std::string, std::vector<store::VoicemailMessage>> by_mailbox;
    for (auto& m : *unread) by_mailbox[m.mailbox].push_back(std::move(m));
    store::MailOutboxRepository outbox(*env_.db, env_.wall_now);
    int queued = 0;
    for (const auto& [mailbox, messages] : by_mailbox) {
      const std::string address = env_.reminder_address(mailbox);
      if (address.empty()) continue;
      const auto text = compose_reminder(mailbox, messages, env_.utc_offset);
      store::OutboxEntry e;
      e.dedup_key = fmt::format("reminder:{}:{}", mailbox, local_date(slot, env_.utc_offset));
      e.kind = store::OutboxKind::kReminder;
      e.recipient = address;
      e.mailbox = mailbox;
      e.subject = text.subject;
      e.body = text.body;
      auto id = outbox.enqueue(e);
      if (!id)
        logger->error("voicemail reminder for {}: {}", mailbox, id.error().message);
      else if (*id > 0)
        ++queued;
    }
    stats_.reminders += static_cast<std::uint64_t>(queued);
    logger->info("voicemail reminders: {} mailbox(es) with unread messages, {} e-mail(s) queued",
                 by_mailbox.size(), queued);
    env_.post_core([this] { kick(); });
  });
}

}  // namespace switchboard::features::mail
