// Switchboard's schema as numbered migrations (declared in migrations.hpp).
// Our own tables keep times as ISO-8601 UTC TEXT and booleans as INTEGER 0/1
// on both engines, so the same queries sort and compare the same way. The
// VIP table is the exception: it keeps the requirements' schema verbatim.
#include <string>

#include "store/migrations.hpp"

namespace switchboard::store {
namespace {

// Writes one statement for both engines; "@ID@" becomes each engine's
// auto-increment primary key.
void both(Migration& m, const std::string& sql) {
  auto with = [&](const char* id) {
    std::string out = sql;
    if (auto p = out.find("@ID@"); p != std::string::npos) out.replace(p, 4, id);
    return out;
  };
  m.sqlite.push_back(with("id INTEGER PRIMARY KEY AUTOINCREMENT"));
  m.postgres.push_back(with("id BIGSERIAL PRIMARY KEY"));
}

Migration extensions() {
  Migration m{1, "extensions", {}, {}};
  both(m,
       "CREATE TABLE extensions ("
       " number TEXT PRIMARY KEY,"
       " name TEXT NOT NULL DEFAULT '',"
       " email TEXT NOT NULL DEFAULT '',"
       " allow_external INTEGER NOT NULL DEFAULT 0 CHECK (allow_external IN (0, 1)),"
       " enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),"
       " ha1_md5 TEXT NOT NULL DEFAULT '',"
       " ha1_sha256 TEXT NOT NULL DEFAULT '',"
       " realm TEXT NOT NULL DEFAULT '',"
       " voicemail_pin_hash TEXT NOT NULL DEFAULT '',"
       " source TEXT NOT NULL DEFAULT 'api' CHECK (source IN ('config', 'api', 'ldap')),"
       " created_at TEXT NOT NULL,"
       " updated_at TEXT NOT NULL)");
  both(m, "CREATE INDEX idx_extensions_source ON extensions(source)");
  return m;
}

Migration users_and_roles() {
  Migration m{2, "users_and_roles", {}, {}};
  both(m,
       "CREATE TABLE roles ("
       " name TEXT PRIMARY KEY,"
       " description TEXT NOT NULL DEFAULT '')");
  both(m,
       "INSERT INTO roles (name, description) VALUES"
       " ('admin', 'Full access, including users and system settings'),"
       " ('operator', 'Operator console: answer, intercept, transfer, page'),"
       " ('supervisor', 'Queues, reports and call monitoring'),"
       " ('user', 'Own extension, voicemail and call history')");
  // A user's extension is optional (an admin may have none); deleting the
  // extension detaches it instead of deleting the user.
  both(m,
       "CREATE TABLE users ("
       " @ID@,"
       " username TEXT NOT NULL UNIQUE,"
       " display_name TEXT NOT NULL DEFAULT '',"
       " password_hash TEXT NOT NULL DEFAULT '',"
       " role TEXT NOT NULL REFERENCES roles(name),"
       " extension TEXT REFERENCES extensions(number) ON DELETE SET NULL,"
       " enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),"
       " created_at TEXT NOT NULL,"
       " updated_at TEXT NOT NULL)");
  both(m, "CREATE INDEX idx_users_extension ON users(extension)");
  return m;
}

// Verbatim from the requirements (feature-implementation-guide.md, "VIP
// Caller Database"); SQLite spells SERIAL as INTEGER PRIMARY KEY AUTOINCREMENT.
// Other programs may share this table, so no columns or constraints of ours:
// VipRepository validates instead.
Migration vip_callers() {
  Migration m{3, "vip_callers", {}, {}};
  const std::string columns =
      " caller_id VARCHAR(20) UNIQUE NOT NULL,"
      " name VARCHAR(255),"
      " priority_level INTEGER DEFAULT 1,"
      " notes TEXT,"
      " special_routing VARCHAR(50),"
      " created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,"
      " updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)";
  m.sqlite.push_back("CREATE TABLE vip_callers (id INTEGER PRIMARY KEY AUTOINCREMENT," + columns);
  m.postgres.push_back("CREATE TABLE vip_callers (id SERIAL PRIMARY KEY," + columns);
  both(m, "CREATE INDEX idx_caller_id ON vip_callers(caller_id)");
  both(m, "CREATE INDEX idx_priority ON vip_callers(priority_level)");
  return m;
}

Migration cdr() {
  Migration m{4, "cdr", {}, {}};
  both(m,
       "CREATE TABLE cdr ("
       " @ID@,"
       " call_id TEXT NOT NULL,"
       " caller TEXT NOT NULL,"
       " caller_name TEXT NOT NULL DEFAULT '',"
       " callee TEXT NOT NULL,"
       " direction TEXT NOT NULL CHECK (direction IN ('internal', 'inbound', 'outbound')),"
       " start_time TEXT NOT NULL,"
       " answer_time TEXT,"
       " end_time TEXT NOT NULL,"
       " duration_s BIGINT NOT NULL DEFAULT 0 CHECK (duration_s >= 0),"
       " billsec_s BIGINT NOT NULL DEFAULT 0 CHECK (billsec_s >= 0),"
       " disposition TEXT NOT NULL CHECK (disposition IN"
       "  ('ANSWERED', 'NO_ANSWER', 'BUSY', 'FAILED', 'CANCELLED')),"
       " hangup_cause TEXT NOT NULL DEFAULT '',"
       " recording_path TEXT)");
  both(m, "CREATE INDEX idx_cdr_start_time ON cdr(start_time)");
  both(m, "CREATE INDEX idx_cdr_caller ON cdr(caller)");
  both(m, "CREATE INDEX idx_cdr_callee ON cdr(callee)");
  return m;
}

Migration voicemail_messages() {
  Migration m{5, "voicemail_messages", {}, {}};
  both(m,
       "CREATE TABLE voicemail_messages ("
       " @ID@,"
       " mailbox TEXT NOT NULL,"
       " caller_id TEXT NOT NULL DEFAULT '',"
       " caller_name TEXT NOT NULL DEFAULT '',"
       " received_at TEXT NOT NULL,"
       " duration_ms BIGINT NOT NULL DEFAULT 0 CHECK (duration_ms >= 0),"
       " folder TEXT NOT NULL DEFAULT 'new' CHECK (folder IN ('new', 'saved', 'deleted')),"
       " is_read INTEGER NOT NULL DEFAULT 0 CHECK (is_read IN (0, 1)),"
       " file_path TEXT NOT NULL)");
  both(m, "CREATE INDEX idx_voicemail_mailbox ON voicemail_messages(mailbox, folder)");
  // The daily reminder scans unread messages by age.
  both(m, "CREATE INDEX idx_voicemail_unread ON voicemail_messages(is_read, received_at)");
  return m;
}

Migration audit_log() {
  Migration m{6, "audit_log", {}, {}};
  both(m,
       "CREATE TABLE audit_log ("
       " @ID@,"
       " at TEXT NOT NULL,"
       " actor TEXT NOT NULL,"
       " source_ip TEXT NOT NULL DEFAULT '',"
       " action TEXT NOT NULL,"
       " target TEXT NOT NULL DEFAULT '',"
       " details TEXT NOT NULL DEFAULT '{}')");
  both(m, "CREATE INDEX idx_audit_at ON audit_log(at)");
  both(m, "CREATE INDEX idx_audit_actor ON audit_log(actor, at)");
  return m;
}

// Registrar bindings (issue 4). No foreign key to extensions: config
// extensions are re-synced (deleted and re-inserted) on reload, and a
// binding must not vanish with that; the registrar drops bindings of
// extensions that no longer exist.
Migration registrar_bindings() {
  Migration m{7, "registrar_bindings", {}, {}};
  both(m,
       "CREATE TABLE registrar_bindings ("
       " aor TEXT NOT NULL,"
       " binding_key TEXT NOT NULL,"
       " contact TEXT NOT NULL,"
       " instance TEXT NOT NULL DEFAULT '',"
       " reg_id BIGINT NOT NULL DEFAULT 0,"
       " call_id TEXT NOT NULL,"
       " cseq BIGINT NOT NULL,"
       " q INTEGER NOT NULL DEFAULT 1000 CHECK (q BETWEEN 0 AND 1000),"
       " path TEXT NOT NULL DEFAULT '',"
       " user_agent TEXT NOT NULL DEFAULT '',"
       " transport TEXT NOT NULL CHECK (transport IN ('UDP', 'TCP', 'TLS')),"
       " source_ip TEXT NOT NULL,"
       " source_port INTEGER NOT NULL,"
       " expires_at TEXT NOT NULL,"
       " updated_at TEXT NOT NULL,"
       " PRIMARY KEY (aor, binding_key))");
  both(m, "CREATE INDEX idx_bindings_expires ON registrar_bindings(expires_at)");
  return m;
}

// CDR fields of the calls issue (5): who hung up, codec, quality counters,
// user agents, and the row's life: 'open' while the call runs (written at
// call start), 'complete' at its end, 'interrupted' when the process died
// with the call up (set at the next start-up).
Migration cdr_call_details() {
  Migration m{8, "cdr_call_details", {}, {}};
  for (const char* col :
       {"hangup_side TEXT NOT NULL DEFAULT ''", "codec TEXT NOT NULL DEFAULT ''",
        "caller_user_agent TEXT NOT NULL DEFAULT ''", "callee_user_agent TEXT NOT NULL DEFAULT ''",
        "packets_caller BIGINT NOT NULL DEFAULT 0", "packets_callee BIGINT NOT NULL DEFAULT 0",
        "packets_lost BIGINT NOT NULL DEFAULT 0", "jitter_ms BIGINT NOT NULL DEFAULT 0",
        "status TEXT NOT NULL DEFAULT 'complete'"
        " CHECK (status IN ('open', 'complete', 'interrupted'))"}) {
    both(m, std::string("ALTER TABLE cdr ADD COLUMN ") + col);
  }
  both(m, "CREATE INDEX idx_cdr_call_id ON cdr(call_id)");
  return m;
}

// API tokens (issue 9): only the SHA-256 of each token is stored.
Migration api_tokens() {
  Migration m{9, "api_tokens", {}, {}};
  both(m,
       "CREATE TABLE api_tokens ("
       " @ID@,"
       " name TEXT NOT NULL UNIQUE,"
       " role TEXT NOT NULL REFERENCES roles(name),"
       " token_hash TEXT NOT NULL UNIQUE,"
       " extension TEXT,"
       " revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),"
       " created_at TEXT NOT NULL)");
  return m;
}

// Voicemail mailboxes (issue 8): the owner's settings (a salted PBKDF2 hash
// of the PIN once the owner changed it, greeting and name recordings) and
// failed logins counted per mailbox and per source address across calls,
// with the lockout an administrator clears.
Migration voicemail_mailboxes() {
  Migration m{10, "voicemail_mailboxes", {}, {}};
  both(m,
       "CREATE TABLE voicemail_mailboxes ("
       " mailbox TEXT PRIMARY KEY,"
       " pin_hash TEXT NOT NULL DEFAULT '',"
       " greeting_unavailable TEXT NOT NULL DEFAULT '',"
       " greeting_busy TEXT NOT NULL DEFAULT '',"
       " name_recording TEXT NOT NULL DEFAULT '',"
       " updated_at TEXT NOT NULL)");
  both(m,
       "CREATE TABLE voicemail_login_failures ("
       " scope TEXT NOT NULL CHECK (scope IN ('mailbox', 'source')),"
       " subject TEXT NOT NULL,"
       " failures BIGINT NOT NULL DEFAULT 0,"
       " locked_until TEXT NOT NULL DEFAULT '',"
       " updated_at TEXT NOT NULL,"
       " PRIMARY KEY (scope, subject))");
  return m;
}

// The voicemail e-mail outbox (issue 8 §5): one row per e-mail, written in
// the step that accepts what it announces and kept after sending (status
// sent/cancelled) as a record. dedup_key makes a repeated enqueue a no-op.
Migration mail_outbox() {
  Migration m{11, "mail_outbox", {}, {}};
  both(m,
       "CREATE TABLE mail_outbox ("
       " @ID@,"
       " dedup_key TEXT NOT NULL UNIQUE,"
       " kind TEXT NOT NULL CHECK (kind IN ('voicemail', 'reminder')),"
       " recipient TEXT NOT NULL,"
       " mailbox TEXT NOT NULL DEFAULT '',"
       " voicemail_id BIGINT NOT NULL DEFAULT 0,"
       " subject TEXT NOT NULL DEFAULT '',"
       " body TEXT NOT NULL DEFAULT '',"
       " status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'cancelled')),"
       " attempts BIGINT NOT NULL DEFAULT 0,"
       " next_attempt_at TEXT NOT NULL,"
       " last_error TEXT NOT NULL DEFAULT '',"
       " created_at TEXT NOT NULL,"
       " sent_at TEXT NOT NULL DEFAULT '')");
  both(m, "CREATE INDEX idx_mail_outbox_due ON mail_outbox(status, next_attempt_at)");
  return m;
}

// Presence (issue 9): what a person set for their extension (available,
// away, dnd) and a note; busy and offline are derived live, never stored.
Migration presence() {
  Migration m{12, "presence", {}, {}};
  both(m,
       "CREATE TABLE presence ("
       " extension TEXT PRIMARY KEY,"
       " status TEXT NOT NULL CHECK (status IN ('available', 'away', 'dnd')),"
       " note TEXT NOT NULL DEFAULT '',"
       " updated_by TEXT NOT NULL DEFAULT '',"
       " updated_at TEXT NOT NULL)");
  return m;
}

// Call forwarding (issue 7 §3): the rules an extension set itself (feature
// codes, the API) over the config's defaults — one per condition, an empty
// target meaning "off" — and, in the CDR, which extension forwarded a call,
// why, and whether a forwarding loop was cut short. Numbered 14: 13 is the
// recordings' change of the cdr table.
Migration call_forwarding() {
  Migration m{14, "call_forwarding", {}, {}};
  both(m,
       "CREATE TABLE call_forwarding ("
       " extension TEXT NOT NULL,"
       " forward_on TEXT NOT NULL CHECK (forward_on IN ('always', 'busy', 'no_answer')),"
       " target TEXT NOT NULL DEFAULT '',"
       " updated_by TEXT NOT NULL DEFAULT '',"
       " updated_at TEXT NOT NULL,"
       " PRIMARY KEY (extension, forward_on))");
  for (const char* col :
       {"forwarded_from TEXT NOT NULL DEFAULT ''", "forward_reason TEXT NOT NULL DEFAULT ''",
        "forward_loop INTEGER NOT NULL DEFAULT 0 CHECK (forward_loop IN (0, 1))"}) {
    both(m, std::string("ALTER TABLE cdr ADD COLUMN ") + col);
  }
  return m;
}

// Transfers in the CDR (issue 7 §7): the call's chain of transfers as a
// compact JSON array of {kind, by, from, to, at}; "[]" when there was none.
// TEXT on both engines, so the row reads the same everywhere.
Migration cdr_transfers() {
  Migration m{15, "cdr_transfers", {}, {}};
  both(m, "ALTER TABLE cdr ADD COLUMN transfers TEXT NOT NULL DEFAULT '[]'");
  return m;
}

}  // namespace

std::vector<Migration> builtin_migrations() {
  return {extensions(),         users_and_roles(),     vip_callers(),        cdr(),
          voicemail_messages(), audit_log(),           registrar_bindings(), cdr_call_details(),
          api_tokens(),         voicemail_mailboxes(), mail_outbox(),        presence(),
          call_forwarding(),    cdr_transfers()};
}

}  // namespace switchboard::store
