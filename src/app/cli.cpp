#include "app/cli.hpp"

#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "app/admin_cli.hpp"
#include "app/application.hpp"
#include "app/config/loader.hpp"
#include "app/logging_setup.hpp"
#include "app/version.hpp"
#include "common/log.hpp"

namespace switchboard::app {
namespace {

constexpr const char* kDefaultConfig = "config/config.yml";

/// Loads and validates; prints every diagnostic to stderr. nullopt on errors.
std::optional<config::Config> load_and_report(const std::string& path) {
  auto result = config::load_file(path);
  for (const auto& d : result.diagnostics.all()) std::cerr << d.format() << "\n";
  if (!result.ok()) {
    std::cerr << fmt::format("{}: {} error(s); nothing started\n", path,
                             result.diagnostics.errors().size());
    return std::nullopt;
  }
  return std::move(result.config);
}

int check_config(const std::string& path) {
  auto result = config::load_file(path);
  for (const auto& d : result.diagnostics.all()) std::cerr << d.format() << "\n";
  if (!result.ok()) {
    std::cerr << fmt::format("{}: {} error(s)\n", path, result.diagnostics.errors().size());
    return 2;
  }
  std::cout << fmt::format("{}: OK ({} extension(s), {} warning(s))\n", path,
                           result.config->extensions.size(),
                           result.diagnostics.warnings().size());
  return 0;
}

int run(const std::string& path) {
  auto cfg = load_and_report(path);
  if (!cfg) return 2;
  if (auto st = configure_logging(cfg->logging); !st.ok()) {
    std::cerr << "logging: " << st.error().message << "\n";
    return 2;
  }
  Application app(path, std::move(*cfg));
  return app.run();
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App cli{"Switchboard — an open-source PBX"};
  cli.require_subcommand(1);
  std::string config_path = kDefaultConfig;

  auto* run_cmd = cli.add_subcommand("run", "start the PBX");
  run_cmd->add_option("-c,--config", config_path, "configuration file")->capture_default_str();
  auto* check_cmd = cli.add_subcommand("check-config", "validate a configuration file");
  check_cmd->add_option("-c,--config", config_path, "configuration file")->capture_default_str();
  auto* version_cmd = cli.add_subcommand("version", "print the version");

  // API credentials (issue 9): tokens and users, straight in the store.
  auto* token_cmd = cli.add_subcommand("token", "API tokens");
  token_cmd->require_subcommand(1);
  TokenCreateArgs token_args;
  std::string ext_opt;
  auto* token_create_cmd = token_cmd->add_subcommand("create", "create a token, print it once");
  token_create_cmd->add_option("-c,--config", config_path, "configuration file")->capture_default_str();
  token_create_cmd->add_option("--role", token_args.role, "admin | operator | user")->required();
  token_create_cmd->add_option("--name", token_args.name, "a unique name")->required();
  token_create_cmd->add_option("--extension", ext_opt, "a user token's own extension");
  auto* token_list_cmd = token_cmd->add_subcommand("list", "list tokens (never their values)");
  token_list_cmd->add_option("-c,--config", config_path, "configuration file")->capture_default_str();
  std::string revoke_name;
  auto* token_revoke_cmd = token_cmd->add_subcommand("revoke", "revoke a token by name");
  token_revoke_cmd->add_option("-c,--config", config_path, "configuration file")->capture_default_str();
  token_revoke_cmd->add_option("--name", revoke_name, "the token's name")->required();
  auto* user_cmd = cli.add_subcommand("user", "API/web users");
  user_cmd->require_subcommand(1);
  UserCreateArgs user_args;
  auto* user_create_cmd =
      user_cmd->add_subcommand("create", "create a user; the password is read from stdin");
  user_create_cmd->add_option("-c,--config", config_path, "configuration file")->capture_default_str();
  user_create_cmd->add_option("--username", user_args.username, "login name")->required();
  user_create_cmd->add_option("--role", user_args.role, "admin | operator | user")->required();
  user_create_cmd->add_option("--extension", ext_opt, "the user's own extension (login by it)");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }
  if (version_cmd->parsed()) {
    std::cout << fmt::format("switchboard {} ({})\n", kVersion, kGitRevision);
    return 0;
  }
  if (check_cmd->parsed()) return check_config(config_path);
  if (token_create_cmd->parsed()) {
    token_args.config_path = config_path;
    if (!ext_opt.empty()) token_args.extension = ext_opt;
    return token_create(token_args);
  }
  if (token_list_cmd->parsed()) return token_list(config_path);
  if (token_revoke_cmd->parsed()) return token_revoke(config_path, revoke_name);
  if (user_create_cmd->parsed()) {
    user_args.config_path = config_path;
    if (!ext_opt.empty()) user_args.extension = ext_opt;
    return user_create(user_args);
  }
  return run(config_path);
}

}  // namespace switchboard::app
