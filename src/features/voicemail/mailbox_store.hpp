// The blocking side of voicemail: the store and the message files. Every
// method may block (SQL, fsync, PBKDF2) and runs on the worker pool; the
// object holds no mutable state, so several workers may use it at once.
//
// Crash safety of a message: before recording, a sidecar "<id>.meta"
// (caller, name, time) is written next to "<id>.wav"; the recorder writes
// "<id>.wav.part" and renames it when done. finish_deposit() inserts the
// row and removes the sidecar; recover() at start-up completes whatever a
// crash left between the two (recording renamed by
// media::audio::recover_recordings, then its row inserted).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "features/voicemail/options.hpp"
#include "store/database.hpp"
#include "store/mailbox_repository.hpp"
#include "store/voicemail_repository.hpp"

namespace switchboard::features::voicemail {

using OptionsPtr = std::shared_ptr<const VoicemailOptions>;

/// What a deposit needs before its greeting plays.
struct DepositPlan {
  std::string wav_path;        ///< where the message is recorded
  std::string greeting;        ///< the recorded greeting to play; empty: default
  std::string name_recording;  ///< for the default greeting; empty: the number
};

enum class LoginOutcome { kOk, kWrongPin, kLocked };
struct LoginResult {
  LoginOutcome outcome = LoginOutcome::kWrongPin;
};

/// A mailbox's messages as the IVR walks them.
struct MailboxContents {
  std::vector<store::VoicemailMessage> new_messages;  ///< unread first, then read
  std::vector<store::VoicemailMessage> saved_messages;
};

class MailboxStore {
 public:
  MailboxStore(store::Database& db, OptionsPtr options);

  const VoicemailOptions& options() const { return *options_; }
  bool has_mailbox(std::string_view mailbox) const;

  // --- deposit ---
  /// Creates the mailbox directory and the sidecar; picks the greeting.
  Result<DepositPlan> prepare_deposit(const std::string& mailbox, bool busy,
                                      const std::string& caller_id, const std::string& caller_name);
  /// The recording ended: keeps it (row inserted, sidecar removed) unless
  /// it is shorter than the minimum or missing (then both files go).
  /// nullopt: discarded.
  Result<std::optional<store::VoicemailMessage>> finish_deposit(const std::string& wav_path);
  /// No recording was made: removes the sidecar (and any file).
  void abandon_deposit(const std::string& wav_path);
  /// Start-up: recordings a crash left without a row get one. Returns them.
  Result<std::vector<store::VoicemailMessage>> recover();

  // --- login ---
  /// kLocked when the mailbox or the source is locked now.
  Result<LoginOutcome> check_lock(const std::string& mailbox, const std::string& source);
  /// Checks the PIN, counts a failure (per mailbox and per source, locking
  /// at the thresholds) or clears the counters.
  Result<LoginOutcome> login(const std::string& mailbox, const std::string& source,
                             const std::string& pin);
  Result<bool> clear_lockout(store::LockScope scope, const std::string& subject);
  Result<std::vector<store::LoginFailures>> lockouts();

  // --- the IVR ---
  Result<MailboxContents> contents(const std::string& mailbox);
  Result<store::MailboxCounts> counts(const std::string& mailbox);
  Status mark_read(std::int64_t id);
  Status move(std::int64_t id, store::VoicemailFolder folder);
  /// End of an IVR session: deleted messages purged (rows and files), read
  /// messages still in "new" moved to "saved".
  Status close_session(const std::vector<std::int64_t>& deleted,
                       const std::vector<std::int64_t>& read_new);
  /// Copies a message into another mailbox (new, unread). Returns the copy.
  Result<store::VoicemailMessage> forward(std::int64_t id, const std::string& to_mailbox,
                                          const std::string& by_mailbox);
  Status set_pin(const std::string& mailbox, const std::string& pin);
  /// A new greeting/name path for the mailbox; the old file is removed.
  Status set_recording(const std::string& mailbox, store::Recording which, const std::string& path);
  /// A fresh path under the mailbox directory (directory created).
  Result<std::string> new_recording_path(const std::string& mailbox, const std::string& kind);

 private:
  Result<std::string> mailbox_dir(const std::string& mailbox);
  std::string unique_name();

  store::Database& db_;
  OptionsPtr options_;
};

}  // namespace switchboard::features::voicemail
