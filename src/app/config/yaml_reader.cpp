#include "app/config/yaml_reader.hpp"

#include <charconv>
#include <cstdlib>

#include <fmt/format.h>

namespace switchboard::app::config {
namespace {

std::string join(std::initializer_list<std::string_view> items) {
  std::string out;
  for (auto s : items) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

bool is_null(const YAML::Node& node) { return !node.IsDefined() || node.IsNull(); }

}  // namespace

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

void Context::error(const YAML::Mark& mark, const std::string& path, std::string message) {
  diags_.error(file_, mark.is_null() ? 0 : mark.line + 1, mark.is_null() ? 0 : mark.column + 1,
               path, std::move(message));
}

void Context::warning(const YAML::Mark& mark, const std::string& path, std::string message) {
  diags_.warning(file_, mark.is_null() ? 0 : mark.line + 1,
                 mark.is_null() ? 0 : mark.column + 1, path, std::move(message));
}

std::optional<std::string> Context::scalar(const YAML::Node& node, const std::string& path,
                                           std::string_view expected, bool /*secret*/) {
  if (!node.IsScalar()) {
    error(node.Mark(), path, fmt::format("expected {}", expected));
    return std::nullopt;
  }
  const std::string& raw = node.Scalar();
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size();) {
    if (raw[i] == '$' && i + 1 < raw.size() && raw[i + 1] == '{') {
      size_t close = raw.find('}', i + 2);
      if (close == std::string::npos) {
        error(node.Mark(), path, "unterminated ${ in value");
        return std::nullopt;
      }
      std::string body = raw.substr(i + 2, close - i - 2);
      std::string name = body;
      std::optional<std::string> fallback;
      if (auto dash = body.find(":-"); dash != std::string::npos) {
        name = body.substr(0, dash);
        fallback = body.substr(dash + 2);
      }
      auto value = env_(name);
      if (!value || (value->empty() && fallback)) value = fallback;
      if (!value) {
        error(node.Mark(), path, fmt::format("environment variable {} is not set", name));
        return std::nullopt;
      }
      out += *value;
      i = close + 1;
    } else {
      out += raw[i++];
    }
  }
  return out;
}

Section::Section(Context& ctx, const YAML::Node& node, std::string path, YAML::Mark where)
    : ctx_(ctx), path_(std::move(path)), mark_(where) {
  if (is_null(node)) return;
  if (!node.IsMap()) {
    ctx_.error(node.Mark(), path_, "expected a mapping");
    return;
  }
  present_ = true;
  if (mark_.is_null()) mark_ = node.Mark();  // "missing key" points at the parent key
  for (auto it = node.begin(); it != node.end(); ++it) {
    std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string();
    for (const auto& e : entries_) {
      if (e.key == key) {
        ctx_.error(it->first.Mark(), path_of(key), "duplicate key");
        break;
      }
    }
    entries_.push_back({key, it->first.Mark(), it->second, false});
  }
}

std::string Section::path_of(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

bool Section::has(std::string_view key) const {
  for (const auto& e : entries_) {
    if (e.key == key && !is_null(e.value)) return true;
  }
  return false;
}

YAML::Mark Section::mark_of(std::string_view key) const {
  for (const auto& e : entries_) {
    if (e.key == key) return e.value.Mark().is_null() ? e.key_mark : e.value.Mark();
  }
  return mark_;
}

const Section::Entry* Section::find(std::string_view key) {
  Entry* found = nullptr;
  for (auto& e : entries_) {
    if (e.key == key) {
      e.used = true;
      found = &e;  // with duplicate keys the last one wins, as in YAML loaders
    }
  }
  if (found == nullptr || is_null(found->value)) return nullptr;
  return found;
}

bool Section::missing(std::string_view key, Need need) {
  if (need == Need::kRequired) ctx_.error(mark_, path_of(key), "required key is missing");
  return false;
}

bool Section::str(std::string_view key, std::string& out, Need need) {
  const Entry* e = find(key);
  if (e == nullptr) return missing(key, need);
  auto v = ctx_.scalar(e->value, path_of(key), "string");
  if (!v) return false;
  out = std::move(*v);
  return true;
}

bool Section::secret(std::string_view key, Secret& out, Need need) {
  const Entry* e = find(key);
  if (e == nullptr) return missing(key, need);
  auto v = ctx_.scalar(e->value, path_of(key), "string", /*secret=*/true);
  if (!v) return false;
  out = Secret(std::move(*v));
  return true;
}

bool Section::boolean(std::string_view key, bool& out, Need need) {
  const Entry* e = find(key);
  if (e == nullptr) return missing(key, need);
  auto v = ctx_.scalar(e->value, path_of(key), "boolean (true or false)");
  if (!v) return false;
  std::string s = *v;
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (s == "true" || s == "yes" || s == "on") {
    out = true;
  } else if (s == "false" || s == "no" || s == "off") {
    out = false;
  } else {
    ctx_.error(e->value.Mark(), path_of(key), "expected boolean (true or false)");
    return false;
  }
  return true;
}

bool Section::integer(std::string_view key, int& out, int64_t min, int64_t max, Need need) {
  const Entry* e = find(key);
  if (e == nullptr) return missing(key, need);
  auto v = ctx_.scalar(e->value, path_of(key), "integer");
  if (!v) return false;
  int64_t n = 0;
  const char* first = v->data();
  const char* last = v->data() + v->size();
  if (first != last && *first == '+') ++first;
  auto [ptr, ec] = std::from_chars(first, last, n);
  if (ec != std::errc() || ptr != last || first == last) {
    ctx_.error(e->value.Mark(), path_of(key), "expected integer");
    return false;
  }
  if (n < min || n > max) {
    ctx_.error(e->value.Mark(), path_of(key),
               fmt::format("{} is out of range (expected {} to {})", n, min, max));
    return false;
  }
  out = static_cast<int>(n);
  return true;
}

bool Section::one_of(std::string_view key, std::string& out,
                     std::initializer_list<std::string_view> allowed, Need need) {
  std::string v;
  if (!str(key, v, need)) return false;
  for (auto a : allowed) {
    if (v == a) {
      out = v;
      return true;
    }
  }
  ctx_.error(mark_of(key), path_of(key),
             fmt::format("'{}' is not one of: {}", v, join(allowed)));
  return false;
}

bool Section::str_list(std::string_view key, std::vector<std::string>& out, Need need) {
  const Entry* e = find(key);
  if (e == nullptr) return missing(key, need);
  if (!e->value.IsSequence()) {
    ctx_.error(e->value.Mark(), path_of(key), "expected a list of strings");
    return false;
  }
  std::vector<std::string> items;
  bool ok = true;
  size_t i = 0;
  for (const auto& item : e->value) {
    auto v = ctx_.scalar(item, fmt::format("{}[{}]", path_of(key), i++), "string");
    if (v) {
      items.push_back(std::move(*v));
    } else {
      ok = false;
    }
  }
  if (ok) out = std::move(items);
  return ok;
}

bool Section::str_map(std::string_view key, std::map<std::string, std::string>& out) {
  const Entry* e = find(key);
  if (e == nullptr) return false;
  if (!e->value.IsMap()) {
    ctx_.error(e->value.Mark(), path_of(key), "expected a mapping of strings");
    return false;
  }
  bool ok = true;
  for (auto it = e->value.begin(); it != e->value.end(); ++it) {
    std::string name = it->first.Scalar();
    auto v = ctx_.scalar(it->second, path_of(key) + "." + name, "string");
    if (v) {
      out[name] = std::move(*v);
    } else {
      ok = false;
    }
  }
  return ok;
}

Section Section::child(std::string_view key, Need need) {
  const Entry* e = find(key);
  if (e == nullptr) {
    missing(key, need);
    return Section(ctx_, YAML::Node(), path_of(key), mark_);
  }
  return Section(ctx_, e->value, path_of(key), e->key_mark);
}

void Section::each_item(std::string_view key, const std::function<void(Section&, size_t)>& f,
                        Need need) {
  const Entry* e = find(key);
  if (e == nullptr) {
    missing(key, need);
    return;
  }
  if (!e->value.IsSequence()) {
    ctx_.error(e->value.Mark(), path_of(key), "expected a list");
    return;
  }
  size_t i = 0;
  for (const auto& item : e->value) {
    Section s(ctx_, item, fmt::format("{}[{}]", path_of(key), i), item.Mark());
    if (s.present()) {
      f(s, i);
      s.finish_unknown_keys();
    } else if (is_null(item)) {
      ctx_.error(item.Mark(), s.path(), "expected a mapping");
    }
    ++i;
  }
}

void Section::each_entry(std::string_view key,
                         const std::function<void(const std::string&, Section&)>& f,
                         Need need) {
  Section outer = child(key, need);
  if (!outer.present()) return;
  for (auto& e : outer.entries_) {
    e.used = true;
    Section s(ctx_, e.value, outer.path_of(e.key), e.key_mark);
    if (!s.present()) {
      if (is_null(e.value)) ctx_.error(e.key_mark, s.path(), "expected a mapping");
      continue;
    }
    f(e.key, s);
    s.finish_unknown_keys();
  }
}

void Section::finish_unknown_keys() {
  for (const auto& e : entries_) {
    if (!e.used) ctx_.warning(e.key_mark, path_of(e.key), "unknown key (ignored)");
  }
}

}  // namespace switchboard::app::config
