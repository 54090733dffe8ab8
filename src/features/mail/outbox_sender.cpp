#include "features/mail/outbox_sender.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "common/log.hpp"
#include "features/mail/mime_message.hpp"
#include "features/mail/voicemail_email.hpp"
#include "store/voicemail_repository.hpp"

namespace switchboard::features::mail {

std::chrono::milliseconds retry_delay(const RetryOptions& retry, std::int64_t attempts) {
  auto delay = std::max(retry.initial, std::chrono::milliseconds{1});
  for (std::int64_t i = 1; i < attempts && delay < retry.max; ++i) delay *= 2;
  return std::min(delay, std::max(retry.max, retry.initial));
}

OutboxSender::OutboxSender(store::Database& db, store::NowFn wall_now, UtcOffsetFn offset)
    : db_(db), wall_now_(std::move(wall_now)), offset_(std::move(offset)) {}

DrainResult OutboxSender::drain(const SendConfig& config, int batch,
                                const std::atomic<bool>& stop) {
  DrainResult r;
  store::MailOutboxRepository outbox(db_, wall_now_);
  auto due = outbox.due(wall_now_(), batch);
  if (!due) {
    log::get("mail")->error("mail outbox: {}", due.error().message);
    r.store_error = true;
    return r;
  }
  std::size_t done = 0;
  for (const auto& e : *due) {
    if (stop.load()) break;
    ++done;
    const auto outcome = send_one(e, config, r.emptied_mailboxes);
    if (outcome == SendOutcome::kSent) ++r.sent;
    if (outcome == SendOutcome::kCancelled) ++r.cancelled;
    if (outcome == SendOutcome::kFailed) {
      ++r.failed;
      break;
    }
  }
  r.more = r.failed == 0 && !stop.load() && static_cast<int>(done) == batch;
  if (auto next = outbox.next_due(); next) {
    r.next_due = *next;
  } else {
    log::get("mail")->error("mail outbox: {}", next.error().message);
    r.store_error = true;
  }
  return r;
}

Result<std::string> OutboxSender::compose(const store::OutboxEntry& e, const SendConfig& config,
                                          store::VoicemailMessage* message, bool* gone) {
  const auto& opts = config.options.email;
  MailMessage mail;
  if (e.kind == store::OutboxKind::kVoicemail) {
    auto m = store::VoicemailRepository(db_).get(e.voicemail_id);
    if (!m) {
      *gone = m.error().code == ErrorCode::kNotFound;
      return m.error();
    }
    *message = *m;
    mail = compose_voicemail(*m, e.recipient, opts, offset_);
  } else {
    mail.to_address = e.recipient;
    mail.subject = e.subject;
    mail.text_body = e.body;
    mail.headers.emplace_back("X-Switchboard-Mailbox", e.mailbox);
  }
  finish(mail, opts, wall_now_(), offset_);
  return build_mime(mail, "=_switchboard_" + random_token());
}

SendOutcome OutboxSender::send_one(const store::OutboxEntry& e, const SendConfig& config,
                                   std::vector<std::string>& emptied) {
  auto logger = log::get("mail");
  store::MailOutboxRepository outbox(db_, wall_now_);
  if (auto bad = check_address(e.recipient); !bad) {
    // Retrying cannot fix the address of this row; it stays in the outbox,
    // cancelled, with the reason.
    logger->error("e-mail {} for mailbox {} cancelled: {}", e.id, e.mailbox, bad.error().message);
    (void)outbox.cancel(e.id, bad.error().message);
    return SendOutcome::kCancelled;
  }
  store::VoicemailMessage message;
  bool gone = false;
  auto text = compose(e, config, &message, &gone);
  if (!text && gone) {
    logger->info("e-mail {} for mailbox {} cancelled: voicemail {} was deleted first", e.id,
                 e.mailbox, e.voicemail_id);
    (void)outbox.cancel(e.id, "the voicemail message was deleted before it was e-mailed");
    return SendOutcome::kCancelled;
  }
  if (!text) return fail(e, config, text.error().message);
  if (!config.transport) return fail(e, config, "no SMTP transport configured");
  auto sent = config.transport->send(config.options.email.from_address, e.recipient, *text);
  if (!sent) return fail(e, config, sent.error().message);
  finish_sent(e, config, message, emptied);
  return SendOutcome::kSent;
}

SendOutcome OutboxSender::fail(const store::OutboxEntry& e, const SendConfig& config,
                               const std::string& error) {
  const auto delay = retry_delay(config.options.retry, e.attempts + 1);
  log::get("mail")->warn("e-mail {} to mailbox {} owner not sent (attempt {}), retry in {} s: {}",
                         e.id, e.mailbox, e.attempts + 1, delay.count() / 1000.0, error);
  store::MailOutboxRepository outbox(db_, wall_now_);
  if (auto s = outbox.mark_failed(e.id, error, wall_now_() + delay); !s) {
    log::get("mail")->error("mail outbox: {}", s.error().message);
  }
  return SendOutcome::kFailed;
}

void OutboxSender::finish_sent(const store::OutboxEntry& e, const SendConfig& config,
                               const store::VoicemailMessage& message,
                               std::vector<std::string>& emptied) {
  auto logger = log::get("mail");
  const bool remove = config.options.email.delete_after_email &&
                      e.kind == store::OutboxKind::kVoicemail && message.id != 0;
  // The row is marked sent and (delete-after-email) the message removed in
  // one transaction; the WAV goes only after that committed, so a crash in
  // between can leave a stray file, never a message without its audio.
  auto s = store::transaction(db_, [&]() -> Status {
    if (auto m = store::MailOutboxRepository(db_, wall_now_).mark_sent(e.id); !m) return m;
    if (remove) {
      auto r = store::VoicemailRepository(db_).remove(message.id);
      if (!r && r.error().code != ErrorCode::kNotFound) return r;
    }
    return {};
  });
  if (!s) {
    // The server has it; the next round may send it again (at least once).
    logger->error("e-mail {} was sent but not recorded: {}", e.id, s.error().message);
    return;
  }
  logger->info("e-mail {} ({}) for mailbox {} sent", e.id, store::to_string(e.kind), e.mailbox);
  if (!remove) return;
  std::error_code ec;
  std::filesystem::remove(message.file_path, ec);
  if (ec)
    logger->warn("voicemail {}: removing {}: {}", message.id, message.file_path, ec.message());
  emptied.push_back(e.mailbox);
}

}  // namespace switchboard::features::mail
