// The worker side of the mail outbox: sends the rows that are due, one at a
// time, and records each outcome in the store. Blocking (store + SMTP):
// runs on the worker pool only. The core-thread side (when to run it) is
// MailService.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "features/mail/local_time.hpp"
#include "features/mail/mail_options.hpp"
#include "features/mail/smtp_mailer.hpp"
#include "store/database.hpp"
#include "store/mail_outbox_repository.hpp"
#include "store/time.hpp"
#include "store/voicemail_repository.hpp"

namespace switchboard::features::mail {

/// Delay before attempt number `attempts + 1` after `attempts` failures:
/// initial, 2×, 4× … capped at max.
std::chrono::milliseconds retry_delay(const RetryOptions& retry, std::int64_t attempts);

/// What a worker job sends with: options and the transport built for them,
/// swapped as a whole on reload.
struct SendConfig {
  MailServiceOptions options;
  std::shared_ptr<MailTransport> transport;
};

enum class SendOutcome {
  kSent,       ///< the server accepted it; the row is marked sent
  kCancelled,  ///< nothing to send any more (message deleted, bad address)
  kFailed,     ///< rescheduled with backoff
};

struct DrainResult {
  int sent = 0;
  int failed = 0;
  int cancelled = 0;
  bool more = false;                           ///< a full batch: run again at once
  bool store_error = false;                    ///< the outbox could not be read
  std::optional<store::Timestamp> next_due;    ///< earliest pending row
  std::vector<std::string> emptied_mailboxes;  ///< messages removed (delete-after-email)
};

class OutboxSender {
 public:
  OutboxSender(store::Database& db, store::NowFn wall_now, UtcOffsetFn offset);

  /// Sends up to `batch` due rows; stops at the first failure (the server is
  /// probably down: the others wait for the next round) or when `stop` is set.
  DrainResult drain(const SendConfig& config, int batch, const std::atomic<bool>& stop);

  /// One row: compose, send, record. `emptied` gets the mailbox when
  /// delete-after-email removed its message.
  SendOutcome send_one(const store::OutboxEntry& entry, const SendConfig& config,
                       std::vector<std::string>& emptied);

 private:
  Result<std::string> compose(const store::OutboxEntry& entry, const SendConfig& config,
                              store::VoicemailMessage* message, bool* gone);
  SendOutcome fail(const store::OutboxEntry& entry, const SendConfig& config,
                   const std::string& error);
  void finish_sent(const store::OutboxEntry& entry, const SendConfig& config,
                   const store::VoicemailMessage& message, std::vector<std::string>& emptied);

  store::Database& db_;
  store::NowFn wall_now_;
  UtcOffsetFn offset_;
};

}  // namespace switchboard::features::mail
