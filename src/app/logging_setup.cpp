#include "app/logging_setup.hpp"

#include "common/log.hpp"

namespace switchboard::app {

Status configure_logging(const config::LoggingConfig& logging) {
  log::Settings s;
  s.level = logging.level;
  s.components = logging.components;
  s.console = logging.console;
  s.file = logging.file;
  s.json = logging.json;
  return log::configure(s);
}

}  // namespace switchboard::app
