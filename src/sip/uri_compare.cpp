// URI equality (RFC 3261 §19.1.4, RFC 3966 §4). Kept apart from the parser
// because it allocates (escapes are normalized) and is not on the parse path.
#include <algorithm>
#include <string>
#include <vector>

#include "sip/escape.hpp"
#include "sip/grammar.hpp"
#include "sip/uri.hpp"

namespace switchboard::sip {
namespace {

bool iequals_normalized(std::string_view a, std::string_view b) {
  return grammar::iequals(normalize_escapes(a), normalize_escapes(b));
}

// Parameters that "never match" when present in only one URI (§19.1.4).
// The rules name user, ttl, method and maddr; transport is added because the
// section's own example says "sip:bob@biloxi.com" and
// "sip:bob@biloxi.com;transport=udp" "can resolve to different transports"
// and are not equivalent.
bool must_be_in_both(std::string_view name) {
  return grammar::iequals(name, "user") || grammar::iequals(name, "ttl") ||
         grammar::iequals(name, "method") || grammar::iequals(name, "maddr") ||
         grammar::iequals(name, "transport");
}

bool params_equal(const ParamList& a, const ParamList& b) {
  for (const Param& pa : a) {
    const Param* pb = b.find(pa.name);
    if (pb == nullptr) {
      if (must_be_in_both(pa.name)) return false;
      continue;
    }
    if (pa.has_value != pb->has_value || !iequals_normalized(pa.value, pb->value)) return false;
  }
  for (const Param& pb : b) {
    if (a.find(pb.name) == nullptr && must_be_in_both(pb.name)) return false;
  }
  return true;
}

// Header components are never ignored: same set, same (unescaped) values.
// A name may repeat ("?Route=a&Route=b"), so compare as sorted lists.
bool headers_equal(const ParamList& a, const ParamList& b) {
  if (a.size() != b.size()) return false;
  auto flatten = [](const ParamList& l) {
    std::vector<std::pair<std::string, std::string>> v;
    for (const Param& p : l) v.emplace_back(grammar::to_lower_copy(p.name), unescape(p.value));
    std::sort(v.begin(), v.end());
    return v;
  };
  return flatten(a) == flatten(b);
}

bool sip_equal(const Uri& a, const Uri& b) {
  if (a.scheme != b.scheme) return false;
  if (a.has_userinfo != b.has_userinfo || a.has_password != b.has_password) return false;
  // userinfo is case-sensitive, but "%61" equals "a".
  if (normalize_escapes(a.user) != normalize_escapes(b.user)) return false;
  if (normalize_escapes(a.password) != normalize_escapes(b.password)) return false;
  if (!grammar::iequals(a.host, b.host)) return false;
  if (a.port != b.port) return false;  // an omitted default port is not equal to ":5060"
  return params_equal(a.params, b.params) && headers_equal(a.headers, b.headers);
}

std::string tel_digits(std::string_view number) {
  std::string out;
  for (char c : number) {
    if (c != '-' && c != '.' && c != '(' && c != ')') out.push_back(grammar::to_lower(c));
  }
  return out;
}

bool tel_equal(const Uri& a, const Uri& b) {
  if (tel_digits(a.user) != tel_digits(b.user) || a.params.size() != b.params.size()) {
    return false;
  }
  for (const Param& pa : a.params) {
    const Param* pb = b.params.find(pa.name);
    if (pb == nullptr || !iequals_normalized(pa.value, pb->value)) return false;
  }
  return true;
}

}  // namespace

bool uri_equal(const Uri& a, const Uri& b) {
  if (a.is_sip() || b.is_sip()) return sip_equal(a, b);
  if (a.scheme == UriScheme::kTel || b.scheme == UriScheme::kTel) {
    return a.scheme == b.scheme && tel_equal(a, b);
  }
  return grammar::iequals(a.scheme_name, b.scheme_name) && a.opaque == b.opaque;
}

}  // namespace switchboard::sip
