// Lexical building blocks of the RFC 3261 §25 grammar, shared by every SIP
// parser in this folder. Header-only and branch-light because the message
// parser calls them once per octet of every received message.
//
// Header values reach these helpers already unfolded (the message parser
// overwrites folding CRLFs with spaces in its own buffer), so whitespace here
// is only SP and HTAB.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace switchboard::sip::grammar {

namespace detail {
enum : std::uint8_t {
  kToken = 1,       // token (RFC 3261 §25.1)
  kWs = 2,          // SP / HTAB
  kAlpha = 4,       // ALPHA
  kDigit = 8,       // DIGIT
  kHost = 16,       // hostname / IPv4 characters: alphanum "-" "."
  kSchemeRest = 32  // ALPHA / DIGIT / "+" / "-" / "."
};

constexpr std::array<std::uint8_t, 256> make_classes() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[c] |= kToken | kAlpha | kHost | kSchemeRest;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] |= kToken | kAlpha | kHost | kSchemeRest;
  for (int c = '0'; c <= '9'; ++c) t[c] |= kToken | kDigit | kHost | kSchemeRest;
  for (char c : std::string_view("-.!%*_+`'~")) t[static_cast<unsigned char>(c)] |= kToken;
  t['-'] |= kHost | kSchemeRest;
  t['.'] |= kHost | kSchemeRest;
  t['+'] |= kSchemeRest;
  t[' '] |= kWs;
  t['\t'] |= kWs;
  return t;
}
inline constexpr std::array<std::uint8_t, 256> kClasses = make_classes();

inline bool has(char c, std::uint8_t cls) {
  return (kClasses[static_cast<unsigned char>(c)] & cls) != 0;
}
}  // namespace detail

inline bool is_token_char(char c) {
  return detail::has(c, detail::kToken);
}
inline bool is_ws(char c) {
  return detail::has(c, detail::kWs);
}
inline bool is_alpha(char c) {
  return detail::has(c, detail::kAlpha);
}
inline bool is_digit(char c) {
  return detail::has(c, detail::kDigit);
}
inline bool is_host_char(char c) {
  return detail::has(c, detail::kHost);
}
inline bool is_scheme_char(char c) {
  return detail::has(c, detail::kSchemeRest);
}

inline char to_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

/// ASCII case-insensitive equality (header names, parameter names, tokens).
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  }
  return true;
}

inline std::string to_lower_copy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = to_lower(c);
  return out;
}

inline std::string_view trim_left(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && is_ws(s[i])) ++i;
  return s.substr(i);
}

inline std::string_view trim_right(std::string_view s) {
  std::size_t n = s.size();
  while (n > 0 && is_ws(s[n - 1])) --n;
  return s.substr(0, n);
}

inline std::string_view trim(std::string_view s) {
  return trim_right(trim_left(s));
}

/// True if `s` is a non-empty token.
inline bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

/// Length of the token at the start of `s` (0 if none).
inline std::size_t token_length(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && is_token_char(s[i])) ++i;
  return i;
}

/// Given s[pos] == '"', the index one past the closing quote, honouring
/// quoted-pairs; npos if the string is unterminated (RFC 4475 §3.1.2.6).
inline std::size_t scan_quoted(std::string_view s, std::size_t pos) {
  for (std::size_t i = pos + 1; i < s.size(); ++i) {
    if (s[i] == '\\') {
      if (++i >= s.size()) return std::string_view::npos;
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

/// Resolves quoted-pairs of a quoted-string's content (quotes already removed).
inline std::string unquote(std::string_view content) {
  std::string out;
  out.reserve(content.size());
  for (std::size_t i = 0; i < content.size(); ++i) {
    if (content[i] == '\\' && i + 1 < content.size()) ++i;
    out.push_back(content[i]);
  }
  return out;
}

/// Strips surrounding quotes of a quoted-string, if any (no unescaping).
inline std::string_view strip_quotes(std::string_view s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  return s;
}

/// Parses 1*DIGIT into `out` if the value is <= max. Leading zeros are legal
/// (RFC 4475 §3.1.1.1); overflow is detected, never wrapped (§3.1.2.4).
inline bool parse_uint(std::string_view s, std::uint64_t max, std::uint64_t& out) {
  if (s.empty() || s.size() > 40) return false;
  std::uint64_t v = 0;
  for (char c : s) {
    if (!is_digit(c)) return false;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
    if (v > max) return false;
  }
  out = v;
  return true;
}

/// Calls f(item) for every element of a comma-separated header value,
/// ignoring commas inside quoted strings and <...>. Items are trimmed.
/// Returns false on unbalanced quotes or brackets, or if f returns false.
template <typename F>
bool for_each_comma_item(std::string_view value, F&& f) {
  std::size_t start = 0;
  bool in_angle = false;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c == '"') {
      const std::size_t end = scan_quoted(value, i);
      if (end == std::string_view::npos) return false;
      i = end - 1;
    } else if (c == '<') {
      in_angle = true;
    } else if (c == '>') {
      in_angle = false;
    } else if (c == ',' && !in_angle) {
      if (!f(trim(value.substr(start, i - start)))) return false;
      start = i + 1;
    }
  }
  if (in_angle) return false;
  return f(trim(value.substr(start)));
}

}  // namespace switchboard::sip::grammar
