// Admin subcommands that work on the store directly (the PBX need not run):
// `switchboard token create|list|revoke` and `switchboard user create`.
#pragma once

#include <optional>
#include <string>

namespace switchboard::app {

struct TokenCreateArgs {
  std::string config_path;
  std::string name;
  std::string role;
  std::optional<std::string> extension;
};

/// Prints the new token once on stdout (only its SHA-256 is stored).
int token_create(const TokenCreateArgs& args);
int token_list(const std::string& config_path);
int token_revoke(const std::string& config_path, const std::string& name);

struct UserCreateArgs {
  std::string config_path;
  std::string username;
  std::string role;
  std::optional<std::string> extension;
};

/// Reads the password from the first line of stdin (never from argv, which
/// other users can see in ps); stores a salted PBKDF2 hash.
int user_create(const UserCreateArgs& args);

}  // namespace switchboard::app
