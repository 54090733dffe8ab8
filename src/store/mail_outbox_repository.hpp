// The persistent outbox of voicemail e-mail (issue 8 §5): one row per e-mail
// to send. A row is written in the same step that accepts what it announces
// (a new voicemail, a daily reminder), so a crash, an SMTP outage or wrong
// credentials never lose it: a worker sends due rows, reschedules failures
// with backoff and marks a row sent only after the server accepted it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "store/database.hpp"
#include "store/time.hpp"

namespace switchboard::store {

enum class OutboxKind { kVoicemail, kReminder };
enum class OutboxStatus { kPending, kSent, kCancelled };

const char* to_string(OutboxKind k);    ///< "voicemail", "reminder"
const char* to_string(OutboxStatus s);  ///< "pending", "sent", "cancelled"

struct OutboxEntry {
  std::int64_t id = 0;  ///< assigned on insert
  /// Unique per e-mail ("voicemail:<id>", "reminder:<mailbox>:<date>"): a
  /// second enqueue of the same e-mail is a no-op.
  std::string dedup_key;
  OutboxKind kind = OutboxKind::kVoicemail;
  std::string recipient;          ///< the e-mail address
  std::string mailbox;            ///< the extension number
  std::int64_t voicemail_id = 0;  ///< kVoicemail: the message (0 otherwise)
  std::string subject;            ///< kReminder: rendered when enqueued
  std::string body;               ///< kReminder: rendered when enqueued
  OutboxStatus status = OutboxStatus::kPending;
  std::int64_t attempts = 0;
  Timestamp next_attempt_at{};
  std::string last_error;  ///< of the last failed attempt (never a secret)
  Timestamp created_at{};
  std::optional<Timestamp> sent_at;
};

class MailOutboxRepository {
 public:
  explicit MailOutboxRepository(Database& db, NowFn now = system_now)
      : db_(db), now_(std::move(now)) {}

  /// Adds a pending row due at once unless a row with the same dedup_key
  /// exists. Returns the new id, or 0 when it already existed. Works inside
  /// a transaction the caller opened (that is how a voicemail's row and its
  /// outbox row are written in one step).
  Result<std::int64_t> enqueue(const OutboxEntry& entry);
  /// The e-mail announcing voicemail message `voicemail_id`.
  Result<std::int64_t> enqueue_voicemail(std::int64_t voicemail_id, std::string_view mailbox,
                                         std::string_view recipient);

  Result<OutboxEntry> get(std::int64_t id);
  /// Pending rows due at `now`, oldest due first.
  Result<std::vector<OutboxEntry>> due(Timestamp now, int limit);
  /// When the earliest pending row is due; nullopt when none is pending.
  Result<std::optional<Timestamp>> next_due();
  /// Rows of one status (all when nullopt), newest first.
  Result<std::vector<OutboxEntry>> list(std::optional<OutboxStatus> status, int limit);

  Status mark_sent(std::int64_t id);
  /// One more failed attempt; the row stays pending until `next_attempt`.
  Status mark_failed(std::int64_t id, std::string_view error, Timestamp next_attempt);
  /// Nothing left to send (the voicemail was deleted first).
  Status cancel(std::int64_t id, std::string_view reason);

 private:
  Result<std::vector<OutboxEntry>> select(std::string_view where_and_order,
                                          std::vector<Value> params);

  Database& db_;
  NowFn now_;
};

}  // namespace switchboard::store
