#include "store/user_repository.hpp"

#include <fmt/format.h>

#include "store/repo_util.hpp"

namespace switchboard::store {
namespace {

constexpr const char* kColumns =
    "id, username, display_name, password_hash, role, extension, enabled, created_at, updated_at";

Result<User> from_row(const Row& row) {
  User u;
  u.id = row.get_int("id");
  u.username = row.get_text("username");
  u.display_name = row.get_text("display_name");
  u.password_hash = row.get_text("password_hash");
  u.role = row.get_text("role");
  u.extension = row.opt_text("extension");
  u.enabled = row.get_bool("enabled");
  auto created = detail::read_time(row, "created_at");
  if (!created) return created.error();
  auto updated = detail::read_time(row, "updated_at");
  if (!updated) return updated.error();
  u.created_at = *created;
  u.updated_at = *updated;
  return u;
}

}  // namespace

Status UserRepository::check(const User& user) {
  if (user.username.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "username must not be empty");
  }
  // The foreign key would catch this too, but with a message that names a
  // constraint rather than the role.
  auto role = db_.exec("SELECT 1 FROM roles WHERE name = ?", {user.role});
  if (!role) return role.error();
  if (role->empty()) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("unknown role '{}'", user.role));
  }
  return {};
}

Result<User> UserRepository::fetch_one(std::string_view where, Value key) {
  auto r = db_.exec(fmt::format("SELECT {} FROM users WHERE {} = ?", kColumns, where), {key});
  if (!r) return detail::with_context(r.error(), "get user");
  if (r->empty()) return make_error(ErrorCode::kNotFound, "user not found");
  return from_row((*r)[0]);
}

Result<User> UserRepository::create(const User& user) {
  if (Status s = check(user); !s) return s.error();
  std::string now = to_iso(now_());
  auto r = db_.exec(
      "INSERT INTO users (username, display_name, password_hash, role, extension, enabled,"
      " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {user.username, user.display_name, user.password_hash, user.role, opt_value(user.extension),
       bool_value(user.enabled), now, now});
  if (!r) return detail::with_context(r.error(), "create user " + user.username);
  return get((*r)[0].get_int(0));
}

Result<User> UserRepository::get(std::int64_t id) {
  return fetch_one("id", id);
}

Result<User> UserRepository::find_by_username(std::string_view username) {
  return fetch_one("username", std::string(username));
}

Result<User> UserRepository::find_by_extension(std::string_view extension) {
  return fetch_one("extension", std::string(extension));
}

Result<std::vector<User>> UserRepository::list() {
  auto r = db_.exec(fmt::format("SELECT {} FROM users ORDER BY username", kColumns));
  if (!r) return detail::with_context(r.error(), "list users");
  std::vector<User> out;
  for (const auto& row : *r) {
    auto u = from_row(row);
    if (!u) return u.error();
    out.push_back(std::move(*u));
  }
  return out;
}

Result<User> UserRepository::update(const User& user) {
  if (Status s = check(user); !s) return s.error();
  auto r = db_.exec(
      "UPDATE users SET username = ?, display_name = ?, password_hash = ?, role = ?,"
      " extension = ?, enabled = ?, updated_at = ? WHERE id = ?",
      {user.username, user.display_name, user.password_hash, user.role, opt_value(user.extension),
       bool_value(user.enabled), to_iso(now_()), user.id});
  if (Status s = detail::expect_changed(r, fmt::format("update user {}", user.id)); !s) {
    return s.error();
  }
  return get(user.id);
}

Status UserRepository::remove(std::int64_t id) {
  return detail::expect_changed(db_.exec("DELETE FROM users WHERE id = ?", {id}),
                                fmt::format("remove user {}", id));
}

Result<std::vector<Role>> UserRepository::roles() {
  auto r = db_.exec("SELECT name, description FROM roles ORDER BY name");
  if (!r) return detail::with_context(r.error(), "list roles");
  std::vector<Role> out;
  for (const auto& row : *r) out.push_back({row.get_text(0), row.get_text(1)});
  return out;
}

}  // namespace switchboard::store
