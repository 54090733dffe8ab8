#include "features/mail/subject_template.hpp"

#include <fmt/format.h>

#include <array>

namespace switchboard::features::mail {
namespace {

constexpr std::array<std::string_view, 8> kPlaceholders = {
    "caller_id", "caller_name", "caller", "mailbox", "duration", "timestamp", "date", "time"};

}  // namespace

bool is_known_placeholder(std::string_view name) {
  for (auto p : kPlaceholders) {
    if (p == name) return true;
  }
  return false;
}

Status check_template(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      ++i;  // "{{" or "}}"
      continue;
    }
    if (c == '}') {
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("subject template: unmatched '}}' at {}", i));
    }
    if (c != '{') continue;
    const auto close = text.find('}', i);
    if (close == std::string_view::npos) {
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("subject template: unclosed '{{' at {}", i));
    }
    const auto name = text.substr(i + 1, close - i - 1);
    if (!is_known_placeholder(name)) {
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("subject template: unknown placeholder {{{}}} (known: {})",
                                    name, fmt::join(kPlaceholders, ", ")));
    }
    i = close;
  }
  return {};
}

std::string one_line(std::string_view text) {
  std::string out(text);
  for (auto& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

std::string render_template(std::string_view text, const TemplateValues& values) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      out += c;
      ++i;
      continue;
    }
    if (c == '{') {
      const auto close = text.find('}', i);
      if (close != std::string_view::npos) {
        if (auto it = values.find(text.substr(i + 1, close - i - 1)); it != values.end()) {
          out += one_line(it->second);
          i = close;
          continue;
        }
      }
    }
    out += c;
  }
  return one_line(out);
}

}  // namespace switchboard::features::mail
