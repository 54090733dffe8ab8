// Per-component logging on spdlog. Every layer asks for its component's logger
// (`log::get("sip")`); the app configures sinks and levels once at start-up and
// again on reload. spdlog's registry is the one process-wide registry we accept
// (see docs/ARCHITECTURE.md): loggers are thread-safe and hold no call state.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

#include "common/result.hpp"

namespace switchboard::log {

struct Settings {
  std::string level = "info";                     ///< default for every component
  std::map<std::string, std::string> components;  ///< per-component overrides
  bool console = true;
  std::string file;   ///< empty: no file sink
  bool json = false;  ///< JSON lines instead of text
};

/// Parses "trace|debug|info|warning|warn|error|critical|off" (any case).
Result<spdlog::level::level_enum> parse_level(std::string_view name);

/// (Re)configures sinks and levels of all existing and future loggers.
Status configure(const Settings& settings);

/// The logger of one component; created on first use with the current sinks.
std::shared_ptr<spdlog::logger> get(std::string_view component);

/// Flushes every sink (called on shutdown and after security events).
void flush_all();

}  // namespace switchboard::log
