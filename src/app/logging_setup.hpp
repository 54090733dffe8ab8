// Maps the `logging` block of the configuration onto log::Settings.
#pragma once

#include "app/config/config.hpp"
#include "common/result.hpp"

namespace switchboard::app {

Status configure_logging(const config::LoggingConfig& logging);

}  // namespace switchboard::app
