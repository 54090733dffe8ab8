// Voicemail message metadata. The audio lives in a file the voicemail
// feature writes; this table only points at it.
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

enum class VoicemailFolder { kNew, kSaved, kDeleted };

const char* to_string(VoicemailFolder f);  ///< "new", "saved", "deleted"
std::optional<VoicemailFolder> voicemail_folder_from(std::string_view text);

struct VoicemailMessage {
  std::int64_t id = 0;  ///< assigned on insert
  std::string mailbox;  ///< the extension number
  std::string caller_id;
  std::string caller_name;
  Timestamp received_at{};
  std::int64_t duration_ms = 0;
  VoicemailFolder folder = VoicemailFolder::kNew;
  bool is_read = false;
  std::string file_path;
};

/// Message counts for MWI (RFC 3842 "new/old").
struct MailboxCounts {
  std::int64_t new_messages = 0;    ///< in folder "new"
  std::int64_t saved_messages = 0;  ///< in folder "saved"
};

class VoicemailRepository {
 public:
  explicit VoicemailRepository(Database& db) : db_(db) {}

  /// Returns the new message's id.
  Result<std::int64_t> insert(const VoicemailMessage& message);
  Result<VoicemailMessage> get(std::int64_t id);
  /// The messages of one folder of a mailbox, oldest first (the order the
  /// IVR plays them).
  Result<std::vector<VoicemailMessage>> list(std::string_view mailbox, VoicemailFolder folder);
  Status mark_read(std::int64_t id, bool read = true);
  Status move(std::int64_t id, VoicemailFolder folder);
  /// Deletes the row; the caller removes the audio file.
  Status remove(std::int64_t id);
  Result<MailboxCounts> counts(std::string_view mailbox);
  /// Whether a message row points at `file_path` (start-up recovery of
  /// recordings whose row was never written).
  Result<bool> has_file(std::string_view file_path);
  /// Unread messages not in "deleted" received before `before`, by mailbox
  /// then age: what the daily reminder e-mail lists.
  Result<std::vector<VoicemailMessage>> unread_older_than(Timestamp before);

 private:
  Result<std::vector<VoicemailMessage>> select(std::string_view where_and_order,
                                               std::vector<Value> params);

  Database& db_;
};

}  // namespace switchboard::store
