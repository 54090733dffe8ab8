#include "store/mailbox_repository.hpp"

#include <fmt/format.h>

#include "store/repo_util.hpp"

namespace switchboard::store {
namespace {

Result<LoginFailures> failures_from(LockScope scope, std::string_view subject,
                                    const QueryResult& r) {
  LoginFailures f;
  f.scope = scope;
  f.subject = std::string(subject);
  if (r.empty()) return f;
  f.failures = r[0].get_int("failures");
  std::string until = r[0].get_text("locked_until");
  if (!until.empty()) {
    auto t = parse_timestamp(until);
    if (!t) return detail::with_context(t.error(), "voicemail lockout");
    f.locked_until = *t;
  }
  return f;
}

}  // namespace

const char* to_string(LockScope s) {
  return s == LockScope::kMailbox ? "mailbox" : "source";
}

Result<MailboxSettings> MailboxRepository::get(std::string_view mailbox) {
  auto r = db_.exec(
      "SELECT pin_hash, greeting_unavailable, greeting_busy, name_recording"
      " FROM voicemail_mailboxes WHERE mailbox = ?",
      {std::string(mailbox)});
  if (!r) return detail::with_context(r.error(), "read mailbox");
  MailboxSettings s;
  s.mailbox = std::string(mailbox);
  if (!r->empty()) {
    const auto& row = (*r)[0];
    s.pin_hash = row.get_text("pin_hash");
    s.greeting_unavailable = row.get_text("greeting_unavailable");
    s.greeting_busy = row.get_text("greeting_busy");
    s.name_recording = row.get_text("name_recording");
  }
  return s;
}

Status MailboxRepository::upsert_mailbox(std::string_view mailbox, const char* column,
                                         std::string_view value) {
  if (mailbox.empty()) return make_error(ErrorCode::kInvalidArgument, "mailbox is empty");
  // `column` is one of our fixed names, never input.
  return detail::status_of(db_.exec(
      fmt::format("INSERT INTO voicemail_mailboxes (mailbox, {0}, updated_at) VALUES (?, ?, ?)"
                  " ON CONFLICT (mailbox) DO UPDATE SET {0} = excluded.{0},"
                  " updated_at = excluded.updated_at",
                  column),
      {std::string(mailbox), std::string(value), to_iso(now_())}));
}

Status MailboxRepository::set_pin_hash(std::string_view mailbox, std::string_view pin_hash) {
  return upsert_mailbox(mailbox, "pin_hash", pin_hash);
}

Status MailboxRepository::set_recording(std::string_view mailbox, Recording which,
                                        std::string_view path) {
  switch (which) {
    case Recording::kUnavailableGreeting:
      return upsert_mailbox(mailbox, "greeting_unavailable", path);
    case Recording::kBusyGreeting:
      return upsert_mailbox(mailbox, "greeting_busy", path);
    case Recording::kName:
      return upsert_mailbox(mailbox, "name_recording", path);
  }
  return make_error(ErrorCode::kInvalidArgument, "unknown recording");
}

Result<LoginFailures> MailboxRepository::failures(LockScope scope, std::string_view subject) {
  auto r = db_.exec(
      "SELECT failures, locked_until FROM voicemail_login_failures"
      " WHERE scope = ? AND subject = ?",
      {to_string(scope), std::string(subject)});
  if (!r) return detail::with_context(r.error(), "read login failures");
  return failures_from(scope, subject, *r);
}

Result<LoginFailures> MailboxRepository::add_failure(LockScope scope, std::string_view subject,
                                                     std::int64_t threshold, Timestamp lock_until) {
  LoginFailures f;
  Status s = transaction(db_, [&]() -> Status {
    auto current = failures(scope, subject);
    if (!current) return current.error();
    f = *current;
    ++f.failures;
    if (threshold > 0 && f.failures >= threshold) f.locked_until = lock_until;
    auto w = db_.exec(
        "INSERT INTO voicemail_login_failures (scope, subject, failures, locked_until, updated_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (scope, subject) DO UPDATE SET"
        " failures = excluded.failures, locked_until = excluded.locked_until,"
        " updated_at = excluded.updated_at",
        {to_string(scope), std::string(subject), f.failures,
         f.locked_until ? to_iso(*f.locked_until) : std::string(), to_iso(now_())});
    if (!w) return detail::with_context(w.error(), "count login failure");
    return Status{};
  });
  if (!s) return s.error();
  return f;
}

Result<bool> MailboxRepository::clear(LockScope scope, std::string_view subject) {
  auto r = db_.exec("DELETE FROM voicemail_login_failures WHERE scope = ? AND subject = ?",
                    {to_string(scope), std::string(subject)});
  if (!r) return detail::with_context(r.error(), "clear login failures");
  return r->affected_rows() > 0;
}

Result<std::vector<LoginFailures>> MailboxRepository::locked(Timestamp now) {
  auto r = db_.exec(
      "SELECT scope, subject, failures, locked_until FROM voicemail_login_failures"
      " WHERE locked_until <> '' AND locked_until > ? ORDER BY scope, subject",
      {to_iso(now)});
  if (!r) return detail::with_context(r.error(), "list lockouts");
  std::vector<LoginFailures> out;
  for (const auto& row : *r) {
    LoginFailures f;
    f.scope = row.get_text("scope") == "source" ? LockScope::kSource : LockScope::kMailbox;
    f.subject = row.get_text("subject");
    f.failures = row.get_int("failures");
    auto t = parse_timestamp(row.get_text("locked_until"));
    if (!t) return detail::with_context(t.error(), "voicemail lockout");
    f.locked_until = *t;
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace switchboard::store
