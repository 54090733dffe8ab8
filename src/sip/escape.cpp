#include "sip/escape.hpp"

#include <string_view>

namespace switchboard::sip {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool escape_at(std::string_view s, std::size_t i, char& out) {
  if (s[i] != '%' || i + 2 >= s.size()) return false;
  const int hi = hex_value(s[i + 1]);
  const int lo = hex_value(s[i + 2]);
  if (hi < 0 || lo < 0) return false;
  out = static_cast<char>(hi * 16 + lo);
  return true;
}

bool is_reserved(char c) {
  return std::string_view(";/?:@&=+$,").find(c) != std::string_view::npos;
}

bool is_unreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("-_.!~*'()").find(c) != std::string_view::npos;
}

constexpr char kHex[] = "0123456789ABCDEF";

void append_escaped(std::string& out, char c) {
  const auto u = static_cast<unsigned char>(c);
  out.push_back('%');
  out.push_back(kHex[u >> 4]);
  out.push_back(kHex[u & 0xF]);
}

}  // namespace

std::string unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c;
    if (escape_at(s, i, c)) {
      out.push_back(c);
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string normalize_escapes(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c;
    if (escape_at(s, i, c)) {
      if (is_reserved(c)) {
        append_escaped(out, c);
      } else {
        out.push_back(c);
      }
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

bool escapes_are_valid(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') continue;
    char c;
    if (!escape_at(s, i, c)) return false;
    i += 2;
  }
  return true;
}

std::string escape_user(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (is_unreserved(c) || std::string_view("&=+$,;?/").find(c) != std::string_view::npos) {
      out.push_back(c);
    } else {
      append_escaped(out, c);
    }
  }
  return out;
}

}  // namespace switchboard::sip
