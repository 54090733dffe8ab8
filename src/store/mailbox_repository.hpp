// Voicemail mailbox settings (issue 8): the PIN hash once the owner set one
// (until then the extension's configured PIN applies), greeting and name
// recordings, and failed PIN logins counted per mailbox and per source
// address across calls, with their lockouts. Only hashes are stored here;
// PINs are hashed by the voicemail feature (features/voicemail/pin.hpp).
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

struct MailboxSettings {
  std::string mailbox;
  std::string pin_hash;              ///< empty: the configured initial PIN applies
  std::string greeting_unavailable;  ///< WAV paths; empty: none recorded
  std::string greeting_busy;
  std::string name_recording;
};

enum class Recording { kUnavailableGreeting, kBusyGreeting, kName };

/// What a failed-login counter is kept for.
enum class LockScope { kMailbox, kSource };
const char* to_string(LockScope s);  ///< "mailbox", "source"

struct LoginFailures {
  LockScope scope = LockScope::kMailbox;
  std::string subject;  ///< the mailbox number or the source address
  std::int64_t failures = 0;
  std::optional<Timestamp> locked_until;  ///< set while (or since) locked

  bool locked_at(Timestamp now) const { return locked_until && now < *locked_until; }
};

class MailboxRepository {
 public:
  explicit MailboxRepository(Database& db, NowFn now = system_now)
      : db_(db), now_(std::move(now)) {}

  /// The mailbox's settings; a mailbox never changed has empty ones.
  Result<MailboxSettings> get(std::string_view mailbox);
  Status set_pin_hash(std::string_view mailbox, std::string_view pin_hash);
  /// Sets (or with an empty path clears) one recording's path.
  Status set_recording(std::string_view mailbox, Recording which, std::string_view path);

  /// The counter (zero, unlocked when there is none).
  Result<LoginFailures> failures(LockScope scope, std::string_view subject);
  /// Counts one failure; when the count reaches `threshold` (> 0) the
  /// subject is locked until `lock_until`. Returns the new state.
  Result<LoginFailures> add_failure(LockScope scope, std::string_view subject,
                                    std::int64_t threshold, Timestamp lock_until);
  /// Forgets the counter and any lockout (a good login; an admin's clear).
  /// Returns whether there was one.
  Result<bool> clear(LockScope scope, std::string_view subject);
  /// Every subject locked at `now` (for the admin API).
  Result<std::vector<LoginFailures>> locked(Timestamp now);

 private:
  Status upsert_mailbox(std::string_view mailbox, const char* column, std::string_view value);

  Database& db_;
  NowFn now_;
};

}  // namespace switchboard::store
