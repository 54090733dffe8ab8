// Voicemail-to-email (issue 8 §5) on the core thread: every new voicemail
// becomes a row of the persistent outbox (store/mail_outbox_repository),
// which a job on the worker pool sends through SMTP; failures are retried
// with capped exponential backoff and nothing is lost across restarts
// (start() resumes pending rows). Optionally the message is deleted once the
// server accepted the e-mail. A daily reminder lists each mailbox's unread
// messages.
//
// Threads: every public method is called on the core thread. Blocking work
// (store, SMTP) goes through post_work (one job at a time: give it a strand
// of the worker pool) and its result comes back through post_core. Destroy
// the service only after the worker pool has drained.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/result.hpp"
#include "common/timers.hpp"
#include "features/mail/local_time.hpp"
#include "features/mail/mail_options.hpp"
#include "features/mail/outbox_sender.hpp"
#include "features/mail/reminder_scheduler.hpp"
#include "store/database.hpp"
#include "store/voicemail_repository.hpp"

namespace switchboard::features::mail {

class MailService {
 public:
  using Post = std::function<void(std::function<void()>)>;
  /// A mailbox's e-mail address for its reminder ("" = none). Called on a
  /// worker.
  using AddressLookup = std::function<std::string(std::string_view mailbox)>;
  /// Builds the transport for a set of SMTP options (tests pass their own).
  using TransportFactory = std::function<std::shared_ptr<MailTransport>(const SmtpOptions&)>;

  struct Environment {
    store::Database* db = nullptr;
    Timers* timers = nullptr;  ///< the core thread's
    Post post_work;            ///< runs blocking work, one job at a time
    Post post_core;            ///< back onto the core thread
    store::NowFn wall_now = store::system_now;
    UtcOffsetFn utc_offset = system_utc_offset;
    /// Default: the `email` column of the store's extensions table.
    AddressLookup reminder_address;
    /// Default: SmtpMailer (libcurl).
    TransportFactory make_transport;
  };

  struct Stats {
    std::atomic<std::uint64_t> enqueued{0}, sent{0}, failed{0}, cancelled{0}, reminders{0};
  };

  /// kInvalidArgument for options that cannot work (no sender address, a
  /// subject template with an unknown placeholder, a bad port, no store).
  static Result<std::unique_ptr<MailService>> create(Environment env, MailServiceOptions options);
  static Status check_options(const MailServiceOptions& options);

  ~MailService();
  MailService(const MailService&) = delete;
  MailService& operator=(const MailService&) = delete;

  /// Sends what earlier runs left pending and starts the daily reminder.
  void start();
  /// No new rounds; pending rows stay for the next start().
  void stop();

  /// The voicemail feature's entry point: message `m` (already in the store,
  /// m.id set) was accepted for a mailbox whose owner's address is `email`.
  /// Writes its outbox row (a no-op when enqueue_voicemail() already did,
  /// inside the voicemail's own transaction) and sends it.
  void message_stored(const store::VoicemailMessage& m, const std::string& email);

  /// Blocking, for a worker: adds the outbox row of `m` using `db` — call it
  /// in the transaction that inserts the voicemail so both are written in
  /// one step. Returns the row id (0 when it existed).
  static Result<std::int64_t> enqueue_voicemail(store::Database& db,
                                                const store::VoicemailMessage& m,
                                                const std::string& email,
                                                store::NowFn now = store::system_now);

  /// Reload: new options (a new SMTP transport, reminder time).
  Status set_options(MailServiceOptions options);
  /// Called (core thread) with a mailbox whose message delete-after-email
  /// removed, so MWI can tell the phones.
  void set_message_removed_hook(std::function<void(const std::string& mailbox)> hook);

  /// Sends due rows now (e.g. after an operator fixed the SMTP settings).
  void kick();
  /// Builds today's reminders now, as the daily schedule does.
  void send_reminders_now();

  const Stats& stats() const { return stats_; }
  bool reminders_scheduled() const { return reminders_.running(); }
  store::Timestamp next_reminder() const { return reminders_.next(); }

 private:
  /// Core-thread state of the sending rounds: one round at a time.
  enum class Pump {
    kIdle,          ///< no round running (a retry timer may be armed)
    kRunning,       ///< a round is on the worker
    kRunningAgain,  ///< …and new work arrived: run another round after it
  };

  MailService(Environment env, MailServiceOptions options);
  void post_round();
  void on_round_done(const DrainResult& r);
  void arm_retry(store::Timestamp at);
  void build_reminders(store::Timestamp slot);
  void apply_reminder_schedule();

  Environment env_;
  std::shared_ptr<const SendConfig> config_;  ///< swapped on reload; jobs hold their copy
  OutboxSender sender_;
  ReminderScheduler reminders_;
  Pump pump_ = Pump::kIdle;
  bool started_ = false;
  TimerId retry_timer_ = 0;
  std::int64_t consecutive_failures_ = 0;
  store::Timestamp paused_until_{};  ///< after a failure: the server gets a rest
  std::atomic<bool> stopping_{false};
  std::function<void(const std::string&)> removed_hook_;
  Stats stats_;
};

}  // namespace switchboard::features::mail
