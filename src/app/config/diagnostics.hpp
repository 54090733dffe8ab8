// Errors and warnings found while loading a configuration file, each pointing
// at file:line:column and the key path (e.g. `integrations.zoom.client_id`).
#pragma once

#include <string>
#include <vector>

namespace switchboard::app::config {

struct Diagnostic {
  enum class Severity { kError, kWarning };
  Severity severity = Severity::kError;
  std::string file;
  int line = 0;    ///< 1-based; 0 when unknown
  int column = 0;  ///< 1-based; 0 when unknown
  std::string path;  ///< dotted key path, `extensions[2].number`
  std::string message;

  /// `file:line:col: path: message` (warnings prefixed with "warning: ").
  std::string format() const;
};

class Diagnostics {
 public:
  void error(std::string file, int line, int col, std::string path, std::string message);
  void warning(std::string file, int line, int col, std::string path, std::string message);

  /// Orders by line and column (stable), so messages read top to bottom.
  void sort_by_position();

  bool has_errors() const;
  const std::vector<Diagnostic>& all() const { return items_; }
  std::vector<Diagnostic> errors() const;
  std::vector<Diagnostic> warnings() const;

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace switchboard::app::config
