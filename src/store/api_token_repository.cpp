#include "store/api_token_repository.hpp"

#include "store/repo_util.hpp"

namespace switchboard::store {

namespace {

constexpr const char* kColumns = "id, name, role, token_hash, extension, revoked, created_at";

Result<ApiToken> from_row(const Row& row) {
  ApiToken t;
  t.id = row.get_int("id");
  t.name = row.get_text("name");
  t.role = row.get_text("role");
  t.token_hash = row.get_text("token_hash");
  if (!row.is_null("extension")) t.extension = row.get_text("extension");
  t.revoked = row.get_bool("revoked");
  auto at = detail::read_time(row, "created_at");
  if (!at) return at.error();
  t.created_at = *at;
  return t;
}

}  // namespace

Result<ApiToken> ApiTokenRepository::create(const ApiToken& token) {
  if (token.name.empty() || token.token_hash.size() != 64) {
    return make_error(ErrorCode::kInvalidArgument, "a token needs a name and a SHA-256 hash");
  }
  if (token.role != "admin" && token.role != "operator" && token.role != "user") {
    return make_error(ErrorCode::kInvalidArgument, "unknown role: " + token.role);
  }
  auto existing = db_.exec("SELECT id FROM api_tokens WHERE name = ?", {token.name});
  if (!existing) return detail::with_context(existing.error(), "create token");
  if (!existing->empty()) {
    return make_error(ErrorCode::kAlreadyExists, "a token named " + token.name + " exists");
  }
  auto r = db_.exec(
      "INSERT INTO api_tokens (name, role, token_hash, extension, revoked, created_at)"
      " VALUES (?, ?, ?, ?, 0, ?) RETURNING " +
          std::string(kColumns),
      {token.name, token.role, token.token_hash, opt_value(token.extension), to_iso(now_())});
  if (!r) return detail::with_context(r.error(), "create token");
  return from_row((*r)[0]);
}

Result<ApiToken> ApiTokenRepository::find_by_hash(std::string_view token_hash) {
  auto r = db_.exec(
      "SELECT " + std::string(kColumns) + " FROM api_tokens WHERE token_hash = ? AND revoked = 0",
      {std::string(token_hash)});
  if (!r) return detail::with_context(r.error(), "find token");
  if (r->empty()) return make_error(ErrorCode::kNotFound, "no such token");
  return from_row((*r)[0]);
}

Result<std::vector<ApiToken>> ApiTokenRepository::list() {
  auto r = db_.exec("SELECT " + std::string(kColumns) + " FROM api_tokens ORDER BY name", {});
  if (!r) return detail::with_context(r.error(), "list tokens");
  std::vector<ApiToken> out;
  for (const auto& row : *r) {
    auto t = from_row(row);
    if (!t) return t.error();
    out.push_back(std::move(*t));
  }
  return out;
}

Status ApiTokenRepository::revoke(std::string_view name) {
  return detail::expect_changed(
      db_.exec("UPDATE api_tokens SET revoked = 1 WHERE name = ? AND revoked = 0",
               {std::string(name)}),
      "revoke token");
}

}  // namespace switchboard::store
