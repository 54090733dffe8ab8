#include "sip/params.hpp"

#include "sip/grammar.hpp"

namespace switchboard::sip {

const Param* ParamList::find(std::string_view name) const {
  for (const Param& p : items_) {
    if (grammar::iequals(p.name, name)) return &p;
  }
  return nullptr;
}

std::optional<std::string_view> ParamList::get(std::string_view name) const {
  const Param* p = find(name);
  if (p == nullptr) return std::nullopt;
  return p->value;
}

std::optional<std::string> ParamList::get_unquoted(std::string_view name) const {
  const Param* p = find(name);
  if (p == nullptr) return std::nullopt;
  if (p->value.size() >= 2 && p->value.front() == '"') {
    return grammar::unquote(p->value.substr(1, p->value.size() - 2));
  }
  return std::string(p->value);
}

namespace {

// gen-value = token / host / quoted-string. Host adds IPv6 references, so
// "[", "]" and ":" are accepted next to token characters.
std::size_t gen_value_length(std::string_view s) {
  if (!s.empty() && s[0] == '"') {
    const std::size_t end = grammar::scan_quoted(s, 0);
    return end == std::string_view::npos ? 0 : end;
  }
  std::size_t i = 0;
  while (i < s.size() &&
         (grammar::is_token_char(s[i]) || s[i] == '[' || s[i] == ']' || s[i] == ':')) {
    ++i;
  }
  return i;
}

}  // namespace

bool parse_header_params(std::string_view& s, ParamList& out) {
  for (;;) {
    std::string_view rest = grammar::trim_left(s);
    if (rest.empty() || rest[0] != ';') {
      s = rest;
      return true;
    }
    rest = grammar::trim_left(rest.substr(1));
    const std::size_t name_len = grammar::token_length(rest);
    if (name_len == 0) return false;
    Param p;
    p.name = rest.substr(0, name_len);
    rest = grammar::trim_left(rest.substr(name_len));
    if (!rest.empty() && rest[0] == '=') {
      rest = grammar::trim_left(rest.substr(1));
      const std::size_t value_len = gen_value_length(rest);
      // "name=" with nothing after it is malformed; a valueless parameter
      // (";lr", RFC 3581's ";rport") is written without the "=".
      if (value_len == 0) return false;
      p.value = rest.substr(0, value_len);
      p.has_value = true;
      rest = rest.substr(value_len);
    }
    out.add(p);
    s = rest;
  }
}

}  // namespace switchboard::sip
