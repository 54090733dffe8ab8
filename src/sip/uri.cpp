#include "sip/uri.hpp"

#include "sip/escape.hpp"
#include "sip/grammar.hpp"

namespace switchboard::sip {
namespace {

Error uri_error(std::string_view what) {
  return make_error(ErrorCode::kInvalidArgument, std::string(what));
}

// Characters that may never appear unescaped in any URI we accept: they are
// the delimiters of the surrounding SIP syntax (RFC 3261 §19.1.1, §25.1).
bool is_forbidden(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u <= 0x20 || u == 0x7f || c == '<' || c == '>' || c == '"';
}

bool parse_port(std::string_view s, std::optional<std::uint16_t>& port) {
  std::uint64_t v = 0;
  if (s.size() > 5 || !grammar::parse_uint(s, 65535, v)) return false;
  port = static_cast<std::uint16_t>(v);
  return true;
}

bool is_ipv4(std::string_view h) {
  int parts = 0;
  std::size_t i = 0;
  while (i <= h.size()) {
    std::size_t j = i;
    while (j < h.size() && grammar::is_digit(h[j])) ++j;
    std::uint64_t v = 0;
    if (j == i || j - i > 3 || !grammar::parse_uint(h.substr(i, j - i), 255, v)) return false;
    ++parts;
    if (j == h.size()) break;
    if (h[j] != '.') return false;
    i = j + 1;
  }
  return parts == 4;
}

bool is_ipv6_reference(std::string_view h) {
  if (h.size() < 4 || h.front() != '[' || h.back() != ']') return false;
  int colons = 0;
  for (char c : h.substr(1, h.size() - 2)) {
    const bool hex = grammar::is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (c == ':') {
      ++colons;
    } else if (!hex && c != '.') {
      return false;
    }
  }
  return colons >= 2;
}

bool is_hostname(std::string_view h) {
  if (h.empty() || h.front() == '.' || h.front() == '-') return false;
  for (char c : h) {
    // "_" is not in RFC 3261's hostname but is common in DNS names (SRV).
    if (!grammar::is_host_char(c) && c != '_') return false;
  }
  return true;
}

// Splits "name[=value]" items separated by `sep` into `out`.
bool parse_uri_params(std::string_view s, char sep, ParamList& out) {
  while (!s.empty()) {
    const std::size_t end = s.find(sep);
    const std::string_view item = s.substr(0, end);
    if (item.empty()) return false;
    Param p;
    const std::size_t eq = item.find('=');
    p.name = item.substr(0, eq);
    if (p.name.empty()) return false;
    // "A given uri-parameter MUST NOT appear more than once" (RFC 3261 §19.1.1);
    // a repeated one would also make comparison order-dependent (found by fuzzing).
    if (sep == ';' && out.find(p.name) != nullptr) return false;
    if (eq != std::string_view::npos) {
      p.value = item.substr(eq + 1);
      p.has_value = true;
    }
    out.add(p);
    if (end == std::string_view::npos) break;
    s.remove_prefix(end + 1);
    if (s.empty()) return false;  // trailing separator
  }
  return true;
}

Result<Uri> parse_sip(Uri uri, std::string_view rest) {
  if (rest.empty()) return uri_error("empty SIP URI");
  if (!escapes_are_valid(rest)) return uri_error("bad escape in SIP URI");

  // userinfo ends at the first "@": neither user nor password may contain an
  // unescaped "@", but the user part may contain ";", "?" and "," (RFC 4475
  // §3.1.1.2, §3.1.1.9), so "@" must be found before splitting parameters.
  const std::size_t at = rest.find('@');
  if (at != std::string_view::npos) {
    const std::string_view userinfo = rest.substr(0, at);
    const std::size_t colon = userinfo.find(':');
    uri.user = userinfo.substr(0, colon);
    if (colon != std::string_view::npos) {
      uri.password = userinfo.substr(colon + 1);
      uri.has_password = true;
    }
    if (uri.user.empty()) return uri_error("empty user in SIP URI");
    uri.has_userinfo = true;
    rest.remove_prefix(at + 1);
  }

  // hostport
  std::size_t host_end = 0;
  if (!rest.empty() && rest[0] == '[') {
    host_end = rest.find(']');
    if (host_end == std::string_view::npos) return uri_error("unterminated IPv6 reference");
    ++host_end;
  } else {
    while (host_end < rest.size() && rest[host_end] != ':' && rest[host_end] != ';' &&
           rest[host_end] != '?') {
      ++host_end;
    }
  }
  uri.host = rest.substr(0, host_end);
  if (is_ipv6_reference(uri.host)) {
    uri.host_kind = HostKind::kIPv6;
  } else if (is_ipv4(uri.host)) {
    uri.host_kind = HostKind::kIPv4;
  } else if (is_hostname(uri.host)) {
    uri.host_kind = HostKind::kHostname;
  } else {
    return uri_error("bad host in SIP URI");
  }
  rest.remove_prefix(host_end);
  if (!rest.empty() && rest[0] == ':') {
    std::size_t port_end = 1;
    while (port_end < rest.size() && rest[port_end] != ';' && rest[port_end] != '?') ++port_end;
    if (!parse_port(rest.substr(1, port_end - 1), uri.port)) return uri_error("bad port");
    rest.remove_prefix(port_end);
  }

  const std::size_t q = rest.find('?');
  std::string_view params = rest.substr(0, q);
  if (!params.empty()) {
    if (params[0] != ';' || params.size() == 1 ||
        !parse_uri_params(params.substr(1), ';', uri.params)) {
      return uri_error("bad URI parameter");
    }
  }
  if (q != std::string_view::npos) {
    if (!parse_uri_params(rest.substr(q + 1), '&', uri.headers) || uri.headers.empty()) {
      return uri_error("bad URI header");
    }
  }
  return uri;
}

Result<Uri> parse_tel(Uri uri, std::string_view rest) {
  const std::size_t semi = rest.find(';');
  uri.user = rest.substr(0, semi);
  if (uri.user.empty()) return uri_error("empty tel number");
  if (semi != std::string_view::npos && !parse_uri_params(rest.substr(semi + 1), ';', uri.params)) {
    return uri_error("bad tel parameter");
  }
  return uri;
}

}  // namespace

std::optional<int> Uri::ttl() const {
  const auto v = params.get("ttl");
  std::uint64_t n = 0;
  if (!v || !grammar::parse_uint(*v, 255, n)) return std::nullopt;
  return static_cast<int>(n);
}

std::string_view Uri::host_address() const {
  if (host_kind == HostKind::kIPv6) return host.substr(1, host.size() - 2);
  return host;
}

Result<Uri> parse_uri(std::string_view text) {
  Uri uri;
  uri.text = text;
  for (char c : text) {
    if (is_forbidden(c)) return uri_error("illegal character in URI");
  }
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || !grammar::is_alpha(text[0])) {
    return uri_error("URI without scheme");
  }
  uri.scheme_name = text.substr(0, colon);
  for (char c : uri.scheme_name) {
    if (!grammar::is_scheme_char(c)) return uri_error("bad URI scheme");
  }
  const std::string_view rest = text.substr(colon + 1);
  if (grammar::iequals(uri.scheme_name, "sip")) {
    uri.scheme = UriScheme::kSip;
    return parse_sip(std::move(uri), rest);
  }
  if (grammar::iequals(uri.scheme_name, "sips")) {
    uri.scheme = UriScheme::kSips;
    return parse_sip(std::move(uri), rest);
  }
  if (grammar::iequals(uri.scheme_name, "tel")) {
    uri.scheme = UriScheme::kTel;
    return parse_tel(std::move(uri), rest);
  }
  if (rest.empty()) return uri_error("empty absolute URI");
  uri.opaque = rest;
  return uri;
}

}  // namespace switchboard::sip
