#include "api/router.hpp"

#include <charconv>

namespace switchboard::api {

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

std::optional<std::string> decode(std::string_view s, bool plus_is_space);

bool match_template(std::string_view tmpl, std::string_view path,
                    std::map<std::string, std::string>& params) {
  auto t = split_path(tmpl);
  auto p = split_path(path);
  if (t.size() != p.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].size() > 2 && t[i].front() == '{' && t[i].back() == '}') {
      auto value = decode(p[i], false);  // Call-IDs may carry escaped characters
      if (!value || value->empty()) return false;
      found[std::string(t[i].substr(1, t[i].size() - 2))] = std::move(*value);
    } else if (t[i] != p[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> decode(std::string_view s, bool plus_is_space) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+' && plus_is_space) {
      out += ' ';
    } else if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

RouteMatch Router::match(boost::beast::http::verb method, std::string_view path) const {
  RouteMatch m;
  for (const auto& r : routes_) {
    std::map<std::string, std::string> params;
    if (!match_template(r.path, path, params)) continue;
    if (r.method == method) {
      m.route = &r;
      m.path = std::move(params);
      m.method_mismatch = false;
      return m;
    }
    m.method_mismatch = true;
  }
  return m;
}

std::optional<std::map<std::string, std::string>> parse_query(std::string_view query) {
  std::map<std::string, std::string> out;
  size_t i = 0;
  while (i < query.size()) {
    size_t j = query.find('&', i);
    if (j == std::string_view::npos) j = query.size();
    std::string_view pair = query.substr(i, j - i);
    i = j + 1;
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    auto key = decode(pair.substr(0, eq), true);
    auto value = decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (!key || !value) return std::nullopt;
    out[*key] = *value;
  }
  return out;
}

std::optional<ValidationError> validate_query(const std::vector<QueryParam>& spec,
                                              const std::map<std::string, std::string>& query) {
  for (const auto& [name, value] : query) {
    const QueryParam* p = nullptr;
    for (const auto& q : spec) {
      if (q.name == name) p = &q;
    }
    if (!p) return ValidationError{name, "unknown query parameter"};
    if (p->type == JsonType::kInteger) {
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || end != value.data() + value.size()) {
        return ValidationError{name, "expected integer"};
      }
    } else if (p->type == JsonType::kBoolean && value != "true" && value != "false") {
      return ValidationError{name, "expected true or false"};
    }
  }
  return std::nullopt;
}

}  // namespace switchboard::api
