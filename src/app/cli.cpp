#include "app/cli.hpp"

#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

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
  return run(config_path);
}

}  // namespace switchboard::app
