// Walks a parsed YAML document and fills typed structs, recording every problem
// with its file:line:column and key path instead of stopping at the first one.
// `${VAR}` / `${VAR:-default}` in any scalar is replaced from the environment
// before the value is converted.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "app/config/diagnostics.hpp"
#include "common/secret.hpp"

namespace switchboard::app::config {

/// Looks up an environment variable; std::nullopt when it is not set.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

/// The process environment.
EnvLookup process_env();

enum class Need { kOptional, kRequired };

/// What every Section shares: the file name, the diagnostics and the environment.
class Context {
 public:
  Context(std::string file, Diagnostics& diagnostics, EnvLookup env)
      : file_(std::move(file)), diags_(diagnostics), env_(std::move(env)) {}

  void error(const YAML::Mark& mark, const std::string& path, std::string message);
  void warning(const YAML::Mark& mark, const std::string& path, std::string message);

  /// The scalar's text with ${VAR} substituted; nullopt (and an error) if the
  /// node is not a scalar or a variable is unset. `secret` keeps the value out of
  /// messages.
  std::optional<std::string> scalar(const YAML::Node& node, const std::string& path,
                                    std::string_view expected, bool secret = false);

 private:
  std::string file_;
  Diagnostics& diags_;
  EnvLookup env_;
};

/// One YAML mapping at a key path. Each reader returns true when it stored a
/// valid value; absent optional keys leave the default untouched.
class Section {
 public:
  /// `where` locates the mapping for "missing key" errors when `node` is absent.
  Section(Context& ctx, const YAML::Node& node, std::string path, YAML::Mark where);

  bool present() const { return present_; }
  const std::string& path() const { return path_; }
  Context& context() { return ctx_; }
  YAML::Mark mark() const { return mark_; }

  bool has(std::string_view key) const;
  YAML::Mark mark_of(std::string_view key) const;
  std::string path_of(std::string_view key) const;

  bool str(std::string_view key, std::string& out, Need need = Need::kOptional);
  bool secret(std::string_view key, Secret& out, Need need = Need::kOptional);
  bool boolean(std::string_view key, bool& out, Need need = Need::kOptional);
  bool integer(std::string_view key, int& out, int64_t min, int64_t max,
               Need need = Need::kOptional);
  bool port(std::string_view key, int& out, Need need = Need::kOptional) {
    return integer(key, out, 1, 65535, need);
  }
  bool one_of(std::string_view key, std::string& out,
              std::initializer_list<std::string_view> allowed, Need need = Need::kOptional);
  bool str_list(std::string_view key, std::vector<std::string>& out,
                Need need = Need::kOptional);
  bool str_map(std::string_view key, std::map<std::string, std::string>& out);

  /// A nested mapping (absent → a Section whose present() is false).
  Section child(std::string_view key, Need need = Need::kOptional);

  /// A sequence of mappings: calls f(Section&, index) for each item.
  void each_item(std::string_view key, const std::function<void(Section&, size_t)>& f,
                 Need need = Need::kOptional);
  /// A mapping of mappings: calls f(name, Section&) for each entry.
  void each_entry(std::string_view key,
                  const std::function<void(const std::string&, Section&)>& f,
                  Need need = Need::kOptional);

  /// Warns about keys no reader asked for (typos, keys of another version).
  void finish_unknown_keys();

 private:
  struct Entry {
    std::string key;
    YAML::Mark key_mark;
    YAML::Node value;
    bool used = false;
  };

  /// The value node of `key` (null node if absent or YAML null); marks it used.
  const Entry* find(std::string_view key);
  bool missing(std::string_view key, Need need);

  Context& ctx_;
  std::string path_;
  YAML::Mark mark_;
  bool present_ = false;
  std::vector<Entry> entries_;
};

}  // namespace switchboard::app::config
