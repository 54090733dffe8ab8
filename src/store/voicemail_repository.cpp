#include "store/voicemail_repository.hpp"

#include <fmt/format.h>

#include "store/repo_util.hpp"

namespace switchboard::store {
namespace {

constexpr const char* kColumns =
    "id, mailbox, caller_id, caller_name, received_at, duration_ms, folder, is_read, file_path";

Result<VoicemailMessage> from_row(const Row& row) {
  VoicemailMessage m;
  m.id = row.get_int("id");
  m.mailbox = row.get_text("mailbox");
  m.caller_id = row.get_text("caller_id");
  m.caller_name = row.get_text("caller_name");
  auto received = detail::read_time(row, "received_at");
  if (!received) return received.error();
  m.received_at = *received;
  m.duration_ms = row.get_int("duration_ms");
  auto folder = voicemail_folder_from(row.get_text("folder"));
  if (!folder)
    return make_error(ErrorCode::kInternal, fmt::format("voicemail {}: bad folder", m.id));
  m.folder = *folder;
  m.is_read = row.get_bool("is_read");
  m.file_path = row.get_text("file_path");
  return m;
}

}  // namespace

const char* to_string(VoicemailFolder f) {
  switch (f) {
    case VoicemailFolder::kNew:
      return "new";
    case VoicemailFolder::kSaved:
      return "saved";
    case VoicemailFolder::kDeleted:
      return "deleted";
  }
  return "new";
}

std::optional<VoicemailFolder> voicemail_folder_from(std::string_view text) {
  for (auto f : {VoicemailFolder::kNew, VoicemailFolder::kSaved, VoicemailFolder::kDeleted}) {
    if (text == to_string(f)) return f;
  }
  return std::nullopt;
}

Result<std::int64_t> VoicemailRepository::insert(const VoicemailMessage& m) {
  if (m.mailbox.empty() || m.file_path.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "voicemail needs a mailbox and a file path");
  }
  if (m.duration_ms < 0) {
    return make_error(ErrorCode::kInvalidArgument, "voicemail duration must not be negative");
  }
  auto r = db_.exec(
      "INSERT INTO voicemail_messages (mailbox, caller_id, caller_name, received_at, duration_ms,"
      " folder, is_read, file_path) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {m.mailbox, m.caller_id, m.caller_name, to_iso(m.received_at), m.duration_ms,
       to_string(m.folder), bool_value(m.is_read), m.file_path});
  if (!r) return detail::with_context(r.error(), "insert voicemail for " + m.mailbox);
  return (*r)[0].get_int(0);
}

Result<std::vector<VoicemailMessage>> VoicemailRepository::select(std::string_view where_and_order,
                                                                  std::vector<Value> params) {
  auto r = db_.exec(fmt::format("SELECT {} FROM voicemail_messages {}", kColumns, where_and_order),
                    std::move(params));
  if (!r) return detail::with_context(r.error(), "list voicemail");
  std::vector<VoicemailMessage> out;
  for (const auto& row : *r) {
    auto m = from_row(row);
    if (!m) return m.error();
    out.push_back(std::move(*m));
  }
  return out;
}

Result<VoicemailMessage> VoicemailRepository::get(std::int64_t id) {
  auto r = select("WHERE id = ?", {id});
  if (!r) return r.error();
  if (r->empty()) {
    return make_error(ErrorCode::kNotFound, fmt::format("voicemail {} not found", id));
  }
  return std::move(r->front());
}

Result<std::vector<VoicemailMessage>> VoicemailRepository::list(std::string_view mailbox,
                                                                VoicemailFolder folder) {
  return select("WHERE mailbox = ? AND folder = ? ORDER BY received_at, id",
                {std::string(mailbox), to_string(folder)});
}

Status VoicemailRepository::mark_read(std::int64_t id, bool read) {
  return detail::expect_changed(
      db_.exec("UPDATE voicemail_messages SET is_read = ? WHERE id = ?", {bool_value(read), id}),
      fmt::format("mark voicemail {}", id));
}

Status VoicemailRepository::move(std::int64_t id, VoicemailFolder folder) {
  return detail::expect_changed(
      db_.exec("UPDATE voicemail_messages SET folder = ? WHERE id = ?", {to_string(folder), id}),
      fmt::format("move voicemail {}", id));
}

Status VoicemailRepository::remove(std::int64_t id) {
  return detail::expect_changed(db_.exec("DELETE FROM voicemail_messages WHERE id = ?", {id}),
                                fmt::format("remove voicemail {}", id));
}

Result<MailboxCounts> VoicemailRepository::counts(std::string_view mailbox) {
  auto r = db_.exec(
      "SELECT CAST(SUM(CASE WHEN folder = 'new' THEN 1 ELSE 0 END) AS BIGINT) AS new_count,"
      " CAST(SUM(CASE WHEN folder = 'saved' THEN 1 ELSE 0 END) AS BIGINT) AS saved_count"
      " FROM voicemail_messages WHERE mailbox = ?",
      {std::string(mailbox)});
  if (!r) return detail::with_context(r.error(), "count voicemail");
  // SUM over no rows is NULL; get_int reads NULL as 0.
  return MailboxCounts{(*r)[0].get_int("new_count"), (*r)[0].get_int("saved_count")};
}

Result<bool> VoicemailRepository::has_file(std::string_view file_path) {
  auto r =
      db_.exec("SELECT id FROM voicemail_messages WHERE file_path = ?", {std::string(file_path)});
  if (!r) return detail::with_context(r.error(), "find voicemail file");
  return !r->empty();
}

Result<std::vector<VoicemailMessage>> VoicemailRepository::unread_older_than(Timestamp before) {
  return select(
      "WHERE is_read = 0 AND folder <> 'deleted' AND received_at < ?"
      " ORDER BY mailbox, received_at, id",
      {to_iso(before)});
}

}  // namespace switchboard::store
