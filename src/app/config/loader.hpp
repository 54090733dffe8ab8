// Loads config.yml into a Config, validating everything before anything starts.
#pragma once

#include <optional>
#include <string>

#include "app/config/config.hpp"
#include "app/config/diagnostics.hpp"
#include "app/config/yaml_reader.hpp"

namespace switchboard::app::config {

struct LoadResult {
  std::optional<Config> config;  ///< set only when there are no errors
  Diagnostics diagnostics;
  bool ok() const { return config.has_value(); }
};

/// Reads and validates the file at `path` (errors name `path` as given).
LoadResult load_file(const std::string& path, const EnvLookup& env = process_env());

/// Same for text already in memory; `file` is the name used in diagnostics.
LoadResult load_string(const std::string& text, const std::string& file,
                       const EnvLookup& env = process_env());

}  // namespace switchboard::app::config
