#include "common/log.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <mutex>
#include <vector>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

namespace switchboard::log {
namespace {

// Formats the message text as a JSON string body (escapes quotes, controls).
class JsonEscapedMessage : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    for (char c : std::string_view(msg.payload.data(), msg.payload.size())) {
      switch (c) {
        case '"': dest.append(std::string_view("\\\"")); break;
        case '\\': dest.append(std::string_view("\\\\")); break;
        case '\n': dest.append(std::string_view("\\n")); break;
        case '\r': dest.append(std::string_view("\\r")); break;
        case '\t': dest.append(std::string_view("\\t")); break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            dest.append(std::string_view(buf));
          } else {
            dest.push_back(c);
          }
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonEscapedMessage>();
  }
};

constexpr const char* kTextPattern = "%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%n] %v";
constexpr const char* kJsonPattern =
    R"({"ts":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","component":"%n","msg":"%*"})";

struct State {
  std::mutex mu;
  std::vector<spdlog::sink_ptr> sinks;
  Settings settings;
  bool configured = false;
};

State& state() {
  static State s;
  return s;
}

std::unique_ptr<spdlog::formatter> make_formatter(bool json) {
  auto f = std::make_unique<spdlog::pattern_formatter>();
  if (json) {
    f->add_flag<JsonEscapedMessage>('*').set_pattern(kJsonPattern);
  } else {
    f->set_pattern(kTextPattern);
  }
  return f;
}

spdlog::level::level_enum level_for(const Settings& s, const std::string& component) {
  auto it = s.components.find(component);
  auto lvl = parse_level(it != s.components.end() ? it->second : s.level);
  return lvl.ok() ? lvl.value() : spdlog::level::info;
}

void apply_settings(State& st, const std::shared_ptr<spdlog::logger>& logger) {
  logger->sinks() = st.sinks;
  logger->set_formatter(make_formatter(st.settings.json));
  logger->set_level(level_for(st.settings, logger->name()));
  logger->flush_on(spdlog::level::warn);
}

void ensure_default_sinks(State& st) {
  if (st.configured) return;
  st.sinks = {std::make_shared<spdlog::sinks::stderr_color_sink_mt>()};
  st.configured = true;
}

}  // namespace

Result<spdlog::level::level_enum> parse_level(std::string_view name) {
  std::string n(name);
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
  if (n == "trace") return spdlog::level::trace;
  if (n == "debug") return spdlog::level::debug;
  if (n == "info") return spdlog::level::info;
  if (n == "warning" || n == "warn") return spdlog::level::warn;
  if (n == "error") return spdlog::level::err;
  if (n == "critical") return spdlog::level::critical;
  if (n == "off") return spdlog::level::off;
  return make_error(ErrorCode::kInvalidArgument,
                    "unknown log level (expected trace, debug, info, warning, error, "
                    "critical or off)");
}

Status configure(const Settings& settings) {
  if (auto l = parse_level(settings.level); !l.ok()) return l.error();
  for (const auto& [component, level] : settings.components) {
    if (auto l = parse_level(level); !l.ok()) return l.error();
  }
  std::vector<spdlog::sink_ptr> sinks;
  if (settings.console) sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  if (!settings.file.empty()) {
    try {
      auto parent = std::filesystem::path(settings.file).parent_path();
      if (!parent.empty()) std::filesystem::create_directories(parent);
      sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(settings.file));
    } catch (const std::exception& e) {
      return make_error(ErrorCode::kIoError,
                        "cannot open log file " + settings.file + ": " + e.what());
    }
  }
  auto& st = state();
  std::lock_guard lock(st.mu);
  st.sinks = std::move(sinks);
  st.settings = settings;
  st.configured = true;
  spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& l) { apply_settings(st, l); });
  return Status::Ok();
}

std::shared_ptr<spdlog::logger> get(std::string_view component) {
  std::string name(component);
  if (auto existing = spdlog::get(name)) return existing;
  auto& st = state();
  std::lock_guard lock(st.mu);
  if (auto existing = spdlog::get(name)) return existing;  // raced with another creator
  ensure_default_sinks(st);
  auto logger = std::make_shared<spdlog::logger>(name);
  apply_settings(st, logger);
  spdlog::register_logger(logger);
  return logger;
}

void flush_all() {
  spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) { l->flush(); });
}

}  // namespace switchboard::log
