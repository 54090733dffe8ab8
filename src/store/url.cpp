#include "store/url.hpp"

#include <vector>

namespace switchboard::store {
namespace {

constexpr std::string_view kMask = "****";

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = hex_digit(s[i + 1]), lo = hex_digit(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

// Byte ranges [begin, end) of every password in the URL: the userinfo one
// and the value of each password= query parameter.
std::vector<std::pair<std::size_t, std::size_t>> password_spans(std::string_view url) {
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return spans;
  std::size_t auth_begin = scheme_end + 3;
  // The userinfo ends at the LAST '@': a password the user forgot to
  // percent-encode may itself hold '@', '/' or '?', and must still be hidden.
  std::size_t userinfo_end = url.rfind('@');
  std::size_t rest = auth_begin;
  if (userinfo_end != std::string_view::npos && userinfo_end > auth_begin) {
    auto colon = url.find(':', auth_begin);
    if (colon != std::string_view::npos && colon < userinfo_end) {
      spans.emplace_back(colon + 1, userinfo_end);
    }
    rest = userinfo_end;
  }
  auto query = url.find('?', rest);
  while (query != std::string_view::npos && query < url.size()) {
    std::size_t key = query + 1;
    std::size_t next = url.find('&', key);
    std::size_t end = next == std::string_view::npos ? url.size() : next;
    std::string_view param = url.substr(key, end - key);
    if (starts_with(param, "password=")) spans.emplace_back(key + 9, end);
    query = next;
  }
  return spans;
}

}  // namespace

bool is_postgres_url(std::string_view url) {
  return starts_with(url, "postgresql://") || starts_with(url, "postgres://");
}

std::string sqlite_path_from_url(std::string_view url) {
  if (url == ":memory:" || url == "sqlite::memory:" || url == "sqlite://:memory:") {
    return ":memory:";
  }
  if (starts_with(url, "sqlite://")) return std::string(url.substr(9));
  if (starts_with(url, "sqlite:")) return std::string(url.substr(7));
  return std::string(url);
}

std::string redact_url(std::string_view url) {
  std::string out;
  std::size_t pos = 0;
  for (auto [begin, end] : password_spans(url)) {
    out.append(url.substr(pos, begin - pos));
    out.append(kMask);
    pos = end;
  }
  out.append(url.substr(pos));
  return out;
}

std::optional<std::string> url_password(std::string_view url) {
  auto spans = password_spans(url);
  if (spans.empty()) return std::nullopt;
  return percent_decode(
      url.substr(spans.front().first, spans.front().second - spans.front().first));
}

std::string scrub_secrets(std::string text, std::string_view url) {
  for (auto [begin, end] : password_spans(url)) {
    std::string_view raw = url.substr(begin, end - begin);
    for (const std::string& secret : {std::string(raw), percent_decode(raw)}) {
      if (secret.empty()) continue;
      for (auto p = text.find(secret); p != std::string::npos; p = text.find(secret, p)) {
        text.replace(p, secret.size(), kMask);
        p += kMask.size();
      }
    }
  }
  return text;
}

}  // namespace switchboard::store
