#include "store/mail_outbox_repository.hpp"

#include <fmt/format.h>

#include "store/repo_util.hpp"

namespace switchboard::store {
namespace {

constexpr const char* kColumns =
    "id, dedup_key, kind, recipient, mailbox, voicemail_id, subject, body, status, attempts,"
    " next_attempt_at, last_error, created_at, sent_at";

// A last_error is for people reading the outbox; an SMTP server's reply can
// be long, so it is cut.
constexpr std::size_t kMaxErrorLength = 500;

// At most kMaxErrorLength bytes, never cutting a UTF-8 sequence (PostgreSQL
// refuses invalid UTF-8).
std::string clip(std::string_view text) {
  if (text.size() <= kMaxErrorLength) return std::string(text);
  std::size_t n = kMaxErrorLength;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  return std::string(text.substr(0, n));
}

std::optional<OutboxKind> kind_from(std::string_view text) {
  for (auto k : {OutboxKind::kVoicemail, OutboxKind::kReminder}) {
    if (text == to_string(k)) return k;
  }
  return std::nullopt;
}

std::optional<OutboxStatus> status_from(std::string_view text) {
  for (auto s : {OutboxStatus::kPending, OutboxStatus::kSent, OutboxStatus::kCancelled}) {
    if (text == to_string(s)) return s;
  }
  return std::nullopt;
}

Result<OutboxEntry> from_row(const Row& row) {
  OutboxEntry e;
  e.id = row.get_int("id");
  e.dedup_key = row.get_text("dedup_key");
  auto kind = kind_from(row.get_text("kind"));
  auto status = status_from(row.get_text("status"));
  if (!kind || !status) {
    return make_error(ErrorCode::kInternal,
                      fmt::format("mail outbox {}: bad kind or status", e.id));
  }
  e.kind = *kind;
  e.status = *status;
  e.recipient = row.get_text("recipient");
  e.mailbox = row.get_text("mailbox");
  e.voicemail_id = row.get_int("voicemail_id");
  e.subject = row.get_text("subject");
  e.body = row.get_text("body");
  e.attempts = row.get_int("attempts");
  auto next = detail::read_time(row, "next_attempt_at");
  if (!next) return next.error();
  e.next_attempt_at = *next;
  e.last_error = row.get_text("last_error");
  auto created = detail::read_time(row, "created_at");
  if (!created) return created.error();
  e.created_at = *created;
  if (!row.get_text("sent_at").empty()) {
    auto sent = detail::read_time(row, "sent_at");
    if (!sent) return sent.error();
    e.sent_at = *sent;
  }
  return e;
}

}  // namespace

const char* to_string(OutboxKind k) {
  return k == OutboxKind::kReminder ? "reminder" : "voicemail";
}

const char* to_string(OutboxStatus s) {
  switch (s) {
    case OutboxStatus::kPending:
      return "pending";
    case OutboxStatus::kSent:
      return "sent";
    case OutboxStatus::kCancelled:
      return "cancelled";
  }
  return "pending";
}

Result<std::int64_t> MailOutboxRepository::enqueue(const OutboxEntry& e) {
  if (e.dedup_key.empty() || e.recipient.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "mail outbox: a key and a recipient are needed");
  }
  if (e.kind == OutboxKind::kVoicemail && e.voicemail_id <= 0) {
    return make_error(ErrorCode::kInvalidArgument,
                      "mail outbox: a voicemail e-mail needs its message");
  }
  const auto now = to_iso(now_());
  // Both engines return no row when the key exists (SQLite >= 3.35).
  auto r = db_.exec(
      "INSERT INTO mail_outbox (dedup_key, kind, recipient, mailbox, voicemail_id, subject, body,"
      " status, attempts, next_attempt_at, last_error, created_at, sent_at)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, '', ?, '')"
      " ON CONFLICT (dedup_key) DO NOTHING RETURNING id",
      {e.dedup_key, to_string(e.kind), e.recipient, e.mailbox, e.voicemail_id, e.subject, e.body,
       now, now});
  if (!r) return detail::with_context(r.error(), "enqueue e-mail " + e.dedup_key);
  if (r->empty()) return std::int64_t{0};
  return (*r)[0].get_int(0);
}

Result<std::int64_t> MailOutboxRepository::enqueue_voicemail(std::int64_t voicemail_id,
                                                             std::string_view mailbox,
                                                             std::string_view recipient) {
  OutboxEntry e;
  e.dedup_key = fmt::format("voicemail:{}", voicemail_id);
  e.kind = OutboxKind::kVoicemail;
  e.voicemail_id = voicemail_id;
  e.mailbox = mailbox;
  e.recipient = recipient;
  return enqueue(e);
}

Result<std::vector<OutboxEntry>> MailOutboxRepository::select(std::string_view where_and_order,
                                                              std::vector<Value> params) {
  auto r = db_.exec(fmt::format("SELECT {} FROM mail_outbox {}", kColumns, where_and_order),
                    std::move(params));
  if (!r) return detail::with_context(r.error(), "read mail outbox");
  std::vector<OutboxEntry> out;
  for (const auto& row : *r) {
    auto e = from_row(row);
    if (!e) return e.error();
    out.push_back(std::move(*e));
  }
  return out;
}

Result<OutboxEntry> MailOutboxRepository::get(std::int64_t id) {
  auto r = select("WHERE id = ?", {id});
  if (!r) return r.error();
  if (r->empty()) {
    return make_error(ErrorCode::kNotFound, fmt::format("mail outbox {} not found", id));
  }
  return std::move(r->front());
}

Result<std::vector<OutboxEntry>> MailOutboxRepository::due(Timestamp now, int limit) {
  if (limit < 1) return make_error(ErrorCode::kInvalidArgument, "limit must be positive");
  return select(
      "WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id"
      " LIMIT ?",
      {to_iso(now), std::int64_t{limit}});
}

Result<std::optional<Timestamp>> MailOutboxRepository::next_due() {
  auto r = db_.exec("SELECT MIN(next_attempt_at) FROM mail_outbox WHERE status = 'pending'");
  if (!r) return detail::with_context(r.error(), "read mail outbox");
  if (r->empty() || (*r)[0].is_null(0)) return std::optional<Timestamp>{};
  auto t = parse_timestamp((*r)[0].get_text(0));
  if (!t) return make_error(ErrorCode::kInternal, "mail outbox: " + t.error().message);
  return std::optional<Timestamp>{*t};
}

Result<std::vector<OutboxEntry>> MailOutboxRepository::list(std::optional<OutboxStatus> status,
                                                            int limit) {
  if (limit < 1) return make_error(ErrorCode::kInvalidArgument, "limit must be positive");
  if (status) {
    return select("WHERE status = ? ORDER BY id DESC LIMIT ?",
                  {to_string(*status), std::int64_t{limit}});
  }
  return select("ORDER BY id DESC LIMIT ?", {std::int64_t{limit}});
}

Status MailOutboxRepository::mark_sent(std::int64_t id) {
  return detail::expect_changed(
      db_.exec("UPDATE mail_outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1,"
               " last_error = '' WHERE id = ? AND status = 'pending'",
               {to_iso(now_()), id}),
      fmt::format("mark e-mail {} sent", id));
}

Status MailOutboxRepository::mark_failed(std::int64_t id, std::string_view error,
                                         Timestamp next_attempt) {
  std::string text = clip(error);
  return detail::expect_changed(
      db_.exec("UPDATE mail_outbox SET attempts = attempts + 1, last_error = ?,"
               " next_attempt_at = ? WHERE id = ? AND status = 'pending'",
               {text, to_iso(next_attempt), id}),
      fmt::format("reschedule e-mail {}", id));
}

Status MailOutboxRepository::cancel(std::int64_t id, std::string_view reason) {
  std::string text = clip(reason);
  return detail::expect_changed(
      db_.exec("UPDATE mail_outbox SET status = 'cancelled', last_error = ?"
               " WHERE id = ? AND status = 'pending'",
               {text, id}),
      fmt::format("cancel e-mail {}", id));
}

}  // namespace switchboard::store
