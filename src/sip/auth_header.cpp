#include "sip/auth_header.hpp"

#include "sip/grammar.hpp"

namespace switchboard::sip {

Result<AuthHeader> parse_auth_header(std::string_view value) {
  const Error bad = make_error(ErrorCode::kInvalidArgument, "Bad Authorization Header");
  AuthHeader h;
  std::string_view s = grammar::trim(value);
  const std::size_t n = grammar::token_length(s);
  h.scheme = s.substr(0, n);
  s = s.substr(n);
  if (h.scheme.empty() || (!s.empty() && !grammar::is_ws(s[0]))) return bad;
  s = grammar::trim_left(s);
  while (!s.empty()) {
    Param p;
    const std::size_t name_len = grammar::token_length(s);
    if (name_len == 0) return bad;
    p.name = s.substr(0, name_len);
    s = grammar::trim_left(s.substr(name_len));
    if (s.empty() || s[0] != '=') return bad;
    s = grammar::trim_left(s.substr(1));
    std::size_t vlen = 0;
    if (!s.empty() && s[0] == '"') {
      vlen = grammar::scan_quoted(s, 0);
      if (vlen == std::string_view::npos) return bad;
    } else {
      while (vlen < s.size() && s[vlen] != ',' && !grammar::is_ws(s[vlen])) ++vlen;
    }
    p.value = s.substr(0, vlen);
    p.has_value = true;
    h.params.add(p);
    s = grammar::trim_left(s.substr(vlen));
    if (s.empty()) break;
    if (s[0] != ',') return bad;
    s = grammar::trim_left(s.substr(1));
    if (s.empty()) return bad;
  }
  return h;
}

}  // namespace switchboard::sip
