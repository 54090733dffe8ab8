// API tokens (issue 9): created by `switchboard token create`, presented as
// "Authorization: Bearer <token>". Only the SHA-256 of a token is stored, so
// the table never holds a usable credential.
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

struct ApiToken {
  std::int64_t id = 0;  ///< assigned on create
  std::string name;
  std::string role;                      ///< admin | operator | user
  std::string token_hash;                ///< SHA-256 hex of the token
  std::optional<std::string> extension;  ///< a user token's own extension
  bool revoked = false;
  Timestamp created_at{};
};

class ApiTokenRepository {
 public:
  explicit ApiTokenRepository(Database& db, NowFn now = system_now)
      : db_(db), now_(std::move(now)) {}

  /// kAlreadyExists for a taken name; kInvalidArgument for an unknown role.
  Result<ApiToken> create(const ApiToken& token);
  /// The live (not revoked) token with this hash; kNotFound otherwise.
  Result<ApiToken> find_by_hash(std::string_view token_hash);
  /// All tokens, ordered by name.
  Result<std::vector<ApiToken>> list();
  /// kNotFound if there is no such live token.
  Status revoke(std::string_view name);

 private:
  Database& db_;
  NowFn now_;
};

}  // namespace switchboard::store
