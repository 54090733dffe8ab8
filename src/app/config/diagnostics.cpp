#include "app/config/diagnostics.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace switchboard::app::config {

std::string Diagnostic::format() const {
  std::string where = file;
  if (line > 0) where += fmt::format(":{}:{}", line, column);
  std::string prefix = severity == Severity::kWarning ? "warning: " : "";
  if (path.empty()) return fmt::format("{}: {}{}", where, prefix, message);
  return fmt::format("{}: {}{}: {}", where, prefix, path, message);
}

void Diagnostics::error(std::string file, int line, int col, std::string path,
                        std::string message) {
  items_.push_back({Diagnostic::Severity::kError, std::move(file), line, col, std::move(path),
                    std::move(message)});
}

void Diagnostics::warning(std::string file, int line, int col, std::string path,
                          std::string message) {
  items_.push_back({Diagnostic::Severity::kWarning, std::move(file), line, col, std::move(path),
                    std::move(message)});
}

void Diagnostics::sort_by_position() {
  std::stable_sort(items_.begin(), items_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::pair(a.line, a.column) < std::pair(b.line, b.column);
  });
}

bool Diagnostics::has_errors() const {
  for (const auto& d : items_) {
    if (d.severity == Diagnostic::Severity::kError) return true;
  }
  return false;
}

std::vector<Diagnostic> Diagnostics::errors() const {
  std::vector<Diagnostic> out;
  for (const auto& d : items_) {
    if (d.severity == Diagnostic::Severity::kError) out.push_back(d);
  }
  return out;
}

std::vector<Diagnostic> Diagnostics::warnings() const {
  std::vector<Diagnostic> out;
  for (const auto& d : items_) {
    if (d.severity == Diagnostic::Severity::kWarning) out.push_back(d);
  }
  return out;
}

}  // namespace switchboard::app::config
