// Users of the web UI and API, and the roles that gate what they may do.
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

/// A row of `roles`, seeded with admin, operator, supervisor and user.
struct Role {
  std::string name;
  std::string description;
};

struct User {
  std::int64_t id = 0;  ///< assigned on create
  std::string username;
  std::string display_name;
  std::string password_hash;  ///< an encoded hash; never a plaintext password
  std::string role = "user";
  std::optional<std::string> extension;  ///< NULL: no phone of their own
  bool enabled = true;
  Timestamp created_at{};
  Timestamp updated_at{};
};

class UserRepository {
 public:
  explicit UserRepository(Database& db, NowFn now = system_now) : db_(db), now_(std::move(now)) {}

  /// Returns the stored user with its id. kAlreadyExists for a taken
  /// username; kInvalidArgument for an unknown role or extension.
  Result<User> create(const User& user);
  Result<User> get(std::int64_t id);
  Result<User> find_by_username(std::string_view username);
  /// The user whose own extension is `extension` (API login by extension).
  Result<User> find_by_extension(std::string_view extension);
  /// All users, ordered by username.
  Result<std::vector<User>> list();
  /// Replaces every field but id and created_at of user `user.id`.
  Result<User> update(const User& user);
  Status remove(std::int64_t id);
  /// The roles, ordered by name.
  Result<std::vector<Role>> roles();

 private:
  Status check(const User& user);
  Result<User> fetch_one(std::string_view where, Value key);

  Database& db_;
  NowFn now_;
};

}  // namespace switchboard::store
