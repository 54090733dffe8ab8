#include "sip/name_addr.hpp"

#include "sip/grammar.hpp"

namespace switchboard::sip {
namespace {

Error bad(const char* what) {
  return make_error(ErrorCode::kInvalidArgument, what);
}

}  // namespace

std::string NameAddr::display_name_text() const {
  return display_name_quoted ? grammar::unquote(display_name) : std::string(display_name);
}

Result<NameAddr> parse_name_addr(std::string_view value) {
  NameAddr na;
  std::string_view s = grammar::trim(value);
  if (s.empty()) return bad("Empty Address");

  std::size_t lt = std::string_view::npos;
  if (s[0] == '"') {
    const std::size_t end = grammar::scan_quoted(s, 0);
    if (end == std::string_view::npos) return bad("Unterminated Quoted String");
    na.display_name = s.substr(1, end - 2);
    na.display_name_quoted = true;
    s = grammar::trim_left(s.substr(end));
    if (s.empty() || s[0] != '<') return bad("Missing <");
    lt = 0;
  } else {
    // display-name = *(token LWS): scan tokens and spaces up to "<".
    std::size_t i = 0;
    while (i < s.size() && (grammar::is_token_char(s[i]) || grammar::is_ws(s[i]))) ++i;
    if (i < s.size() && s[i] == '<') {
      na.display_name = grammar::trim(s.substr(0, i));
      s = s.substr(i);
      lt = 0;
    }
  }

  if (lt == 0) {
    const std::size_t gt = s.find('>');
    if (gt == std::string_view::npos) return bad("Missing >");
    na.angle_brackets = true;
    // RAQUOT/LAQUOT allow no whitespace inside the brackets; parse_uri
    // rejects it (RFC 4475 §3.1.2.14).
    Result<Uri> uri = parse_uri(s.substr(1, gt - 1));
    if (!uri.ok()) return bad("Bad URI");
    na.uri = std::move(*uri);
    s = s.substr(gt + 1);
  } else {
    // addr-spec: the URI ends at the first ";" or whitespace.
    std::size_t end = 0;
    while (end < s.size() && s[end] != ';' && !grammar::is_ws(s[end])) ++end;
    const std::string_view text = s.substr(0, end);
    if (text.find_first_of("?,") != std::string_view::npos) {
      return bad("Unbracketed URI With Reserved Characters");
    }
    Result<Uri> uri = parse_uri(text);
    if (!uri.ok()) return bad("Bad URI");
    na.uri = std::move(*uri);
    s = s.substr(end);
  }
  if (!parse_header_params(s, na.params) || !s.empty()) return bad("Bad Header Parameter");
  return na;
}

Status parse_name_addr_list(std::string_view value, std::vector<NameAddr>& out) {
  const char* failure = "Bad Address List";
  const bool ok = grammar::for_each_comma_item(value, [&](std::string_view item) {
    Result<NameAddr> na = parse_name_addr(item);
    if (!na.ok()) return false;
    out.push_back(std::move(*na));
    return true;
  });
  if (!ok) return bad(failure);
  return Status::Ok();
}

}  // namespace switchboard::sip
