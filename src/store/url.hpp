// Database URLs: which engine a URL names, and how to show one without its
// password (connection errors are logged and returned to API callers).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace switchboard::store {

/// True for "postgresql://…" and "postgres://…".
bool is_postgres_url(std::string_view url);

/// The SQLite file a URL names: "sqlite:PATH", "sqlite://PATH" or a plain
/// path ("sqlite::memory:" and ":memory:" give ":memory:").
std::string sqlite_path_from_url(std::string_view url);

/// The URL with the password replaced by "****": the userinfo password
/// (`user:secret@`) and any `password=` query parameter.
std::string redact_url(std::string_view url);

/// The password a PostgreSQL URL carries, percent-decoded, if any.
std::optional<std::string> url_password(std::string_view url);

/// `text` with every occurrence of `secret` (raw and percent-encoded as it
/// appears in the URL) replaced by "****"; for libpq messages that may echo
/// parts of a malformed URL.
std::string scrub_secrets(std::string text, std::string_view url);

}  // namespace switchboard::store
