#include "sip/via.hpp"

#include "sip/grammar.hpp"

namespace switchboard::sip {
namespace {

Error via_error() {
  return make_error(ErrorCode::kInvalidArgument, "Bad Via");
}

// Consumes a token at the front of `s` and the whitespace after it.
std::string_view take_token(std::string_view& s) {
  const std::size_t n = grammar::token_length(s);
  const std::string_view tok = s.substr(0, n);
  s = grammar::trim_left(s.substr(n));
  return tok;
}

bool take_char(std::string_view& s, char c) {
  if (s.empty() || s[0] != c) return false;
  s = grammar::trim_left(s.substr(1));
  return true;
}

bool valid_host(std::string_view h) {
  if (h.empty()) return false;
  if (h.front() == '[') return h.size() > 2 && h.back() == ']';
  for (char c : h) {
    if (!grammar::is_host_char(c) && c != '_') return false;
  }
  return true;
}

}  // namespace

std::optional<int> Via::ttl() const {
  const auto v = params.get("ttl");
  std::uint64_t n = 0;
  if (!v || !grammar::parse_uint(*v, 255, n)) return std::nullopt;
  return static_cast<int>(n);
}

std::optional<std::uint16_t> Via::rport() const {
  const Param* p = params.find("rport");
  std::uint64_t n = 0;
  if (p == nullptr || !p->has_value || !grammar::parse_uint(p->value, 65535, n)) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(n);
}

bool Via::is_rfc3261_branch() const {
  const auto b = branch();
  return b && b->size() > kBranchMagicCookie.size() &&
         b->substr(0, kBranchMagicCookie.size()) == kBranchMagicCookie;
}

Result<Via> parse_via(std::string_view value) {
  Via via;
  std::string_view s = grammar::trim(value);
  via.protocol_name = take_token(s);
  if (via.protocol_name.empty() || !take_char(s, '/')) return via_error();
  via.protocol_version = take_token(s);
  if (via.protocol_version.empty() || !take_char(s, '/')) return via_error();
  const std::size_t tlen = grammar::token_length(s);
  via.transport = s.substr(0, tlen);
  s.remove_prefix(tlen);
  // sent-protocol and sent-by are separated by LWS, which is mandatory.
  if (via.transport.empty() || s.empty() || !grammar::is_ws(s[0])) return via_error();
  s = grammar::trim_left(s);

  std::size_t host_len = 0;
  if (!s.empty() && s[0] == '[') {
    host_len = s.find(']');
    if (host_len == std::string_view::npos) return via_error();
    ++host_len;
  } else {
    while (host_len < s.size() && (grammar::is_host_char(s[host_len]) || s[host_len] == '_')) {
      ++host_len;
    }
  }
  via.host = s.substr(0, host_len);
  if (!valid_host(via.host)) return via_error();
  s = grammar::trim_left(s.substr(host_len));
  if (take_char(s, ':')) {
    const std::size_t plen = grammar::token_length(s);
    std::uint64_t port = 0;
    if (plen == 0 || plen > 5 || !grammar::parse_uint(s.substr(0, plen), 65535, port)) {
      return via_error();
    }
    via.port = static_cast<std::uint16_t>(port);
    s.remove_prefix(plen);
  }
  if (!parse_header_params(s, via.params) || !s.empty()) return via_error();
  return via;
}

Status parse_via_list(std::string_view value, std::vector<Via>& out) {
  bool ok = grammar::for_each_comma_item(value, [&](std::string_view item) {
    Result<Via> v = parse_via(item);
    if (!v.ok()) return false;
    out.push_back(std::move(*v));
    return true;
  });
  if (!ok) return via_error();
  return Status::Ok();
}

}  // namespace switchboard::sip
