#include "sip/validator.hpp"

#include <array>

#include "sip/builder.hpp"
#include "sip/grammar.hpp"
#include "sip/message_headers.hpp"
#include "sip/uri.hpp"

namespace switchboard::sip {
namespace {

using grammar::iequals;

constexpr std::array<HeaderId, 5> kMandatory{HeaderId::kTo, HeaderId::kFrom, HeaderId::kCallId,
                                             HeaderId::kCSeq, HeaderId::kVia};

// Headers that may appear once (RFC 3261 §7.3.1 and the grammar of each).
constexpr std::array<HeaderId, 11> kSingle{
    HeaderId::kFrom,           HeaderId::kTo,          HeaderId::kCallId,
    HeaderId::kCSeq,           HeaderId::kMaxForwards, HeaderId::kContentLength,
    HeaderId::kContentType,    HeaderId::kExpires,     HeaderId::kMinExpires,
    HeaderId::kSessionExpires, HeaderId::kReplaces};

Rejection reject(int code, std::string reason) {
  Rejection r;
  r.status_code = code;
  r.reason = std::move(reason);
  return r;
}

std::string name_of(HeaderId id) {
  return std::string(header_canonical_name(id));
}

bool contains_ci(const std::vector<std::string>& list, std::string_view item) {
  for (const std::string& s : list) {
    if (iequals(s, item)) return true;
  }
  return false;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out.append(", ");
    out.append(s);
  }
  return out;
}

// RFC 3261 §20.17: rfc1123-date, "GMT" being the only time zone allowed
// (RFC 4475 §3.1.2.12). Checks the shape "Www, DD Mon YYYY HH:MM:SS GMT".
bool is_sip_date(std::string_view d) {
  if (d.size() != 29 || d.substr(25) != " GMT" || d[3] != ',' || d[4] != ' ') return false;
  for (std::size_t i : {5, 6, 12, 13, 14, 15, 17, 18, 20, 21, 23, 24}) {
    if (!grammar::is_digit(d[i])) return false;
  }
  return d[19] == ':' && d[22] == ':';
}

// Parses every header whose syntax this layer knows, in an order that makes
// the most useful phrase win (CSeq before Max-Forwards: RFC 4475 §3.1.2.4).
std::optional<Rejection> check_syntax(const Message& m) {
  auto bad = [](HeaderId id) { return reject(400, "Bad " + name_of(id) + " Header"); };
  if (!get_vias(m).ok()) return bad(HeaderId::kVia);
  if (!get_from(m).ok()) return bad(HeaderId::kFrom);
  if (!get_to(m).ok()) return bad(HeaderId::kTo);
  if (!get_call_id(m).ok()) return bad(HeaderId::kCallId);
  if (!get_cseq(m).ok()) return bad(HeaderId::kCSeq);
  if (m.count(HeaderId::kMaxForwards) && !get_max_forwards(m).ok()) {
    return bad(HeaderId::kMaxForwards);
  }
  if (m.count(HeaderId::kContact) && !get_contacts(m).ok()) return bad(HeaderId::kContact);
  if (m.count(HeaderId::kContentType) && !get_content_type(m).ok()) {
    return bad(HeaderId::kContentType);
  }
  if (m.count(HeaderId::kExpires) && !get_expires(m).ok()) return bad(HeaderId::kExpires);
  for (HeaderId id : {HeaderId::kRoute, HeaderId::kRecordRoute}) {
    if (m.count(id) && !get_name_addrs(m, id).ok()) return bad(id);
  }
  for (HeaderId id : {HeaderId::kRequire, HeaderId::kProxyRequire, HeaderId::kSupported}) {
    if (!get_tokens(m, id).ok()) return bad(id);
  }
  if (const auto date = m.value(HeaderId::kDate); date && !is_sip_date(*date)) {
    return bad(HeaderId::kDate);
  }
  return std::nullopt;
}

std::optional<Rejection> check_method(const Message& m, const ValidationPolicy& policy) {
  if (policy.methods.empty()) return std::nullopt;
  for (const std::string& allowed : policy.methods) {
    if (allowed == m.method()) return std::nullopt;
  }
  // A method this stack knows is "recognized but not supported" (405),
  // anything else is not implemented at all (501; RFC 4475 §3.1.1.5).
  Rejection r = m.method_id() == Method::kOther ? reject(501, "Not Implemented")
                                                : reject(405, "Method Not Allowed");
  r.headers.emplace_back("Allow", join(policy.methods));
  return r;
}

std::optional<Rejection> check_request_uri(const Message& m, const ValidationPolicy& policy) {
  Result<Uri> uri = parse_uri(m.request_uri());
  if (!uri.ok()) return reject(400, "Bad Request-URI");
  // An unknown scheme is rejected whatever To says (RFC 4475 §3.3.2).
  if (!contains_ci(policy.uri_schemes, uri->scheme_name)) {
    return reject(416, "Unsupported URI Scheme");
  }
  // Headers are not allowed in a Request-URI (RFC 3261 §19.1.1 table,
  // RFC 4475 §3.1.2.11).
  if (uri->is_sip() && !uri->headers.empty()) return reject(400, "Headers In Request-URI");
  return std::nullopt;
}

std::optional<Rejection> check_extensions(const Message& m, const ValidationPolicy& policy) {
  // A UAS looks at Require, a proxy at Proxy-Require (RFC 3261 §8.2.2.3,
  // §16.3 step 4). ACK and CANCEL are never rejected for Require (§8.2.2.3).
  if (m.method_id() == Method::kAck || m.method_id() == Method::kCancel) return std::nullopt;
  const HeaderId id = policy.role == Role::kProxy ? HeaderId::kProxyRequire : HeaderId::kRequire;
  std::string unsupported;
  const Result<std::vector<std::string_view>> tags = get_tokens(m, id);
  if (!tags.ok()) return reject(400, "Bad " + name_of(id) + " Header");
  for (std::string_view tag : *tags) {
    if (contains_ci(policy.option_tags, tag)) continue;
    if (!unsupported.empty()) unsupported.append(", ");
    unsupported.append(tag);
  }
  if (unsupported.empty()) return std::nullopt;
  Rejection r = reject(420, "Bad Extension");
  r.headers.emplace_back("Unsupported", std::move(unsupported));
  return r;
}

std::optional<Rejection> check_body(const Message& m, const ValidationPolicy& policy) {
  if (m.body().empty()) return std::nullopt;
  // RFC 3261 §20.15: a non-empty body MUST come with a Content-Type.
  Result<MediaType> type = get_content_type(m);
  if (!type.ok()) return reject(400, "Missing Content-Type Header");
  bool known = false;
  for (const std::string& accepted : policy.content_types) {
    const std::size_t slash = accepted.find('/');
    const std::string_view a(accepted);
    if (iequals(type->type, a.substr(0, slash)) && slash != std::string::npos &&
        iequals(type->subtype, a.substr(slash + 1))) {
      known = true;
    }
  }
  if (!known) {
    Rejection r = reject(415, "Unsupported Media Type");
    r.headers.emplace_back("Accept", join(policy.content_types));
    return r;
  }
  Result<std::vector<std::string_view>> encodings = get_tokens(m, HeaderId::kContentEncoding);
  if (!encodings.ok()) return reject(400, "Bad Content-Encoding Header");
  for (std::string_view e : *encodings) {
    if (!contains_ci(policy.content_encodings, e)) {
      Rejection r = reject(415, "Unsupported Media Type");
      r.headers.emplace_back("Accept-Encoding", join(policy.content_encodings));
      return r;
    }
  }
  return std::nullopt;
}

std::optional<Rejection> check_accept(const Message& m, const ValidationPolicy& policy) {
  if (m.method_id() != Method::kInvite || m.count(HeaderId::kAccept) == 0) return std::nullopt;
  Result<std::vector<MediaType>> accept = get_accept(m);
  if (!accept.ok()) return reject(400, "Bad Accept Header");
  for (const std::string& mine : policy.response_body_types) {
    const std::size_t slash = mine.find('/');
    const std::string_view t = std::string_view(mine).substr(0, slash);
    const std::string_view st =
        slash == std::string::npos ? std::string_view() : std::string_view(mine).substr(slash + 1);
    for (const MediaType& range : *accept) {
      if (range.matches(t, st)) return std::nullopt;
    }
  }
  // RFC 4475 §3.3.15: 406 with a Warning 399 saying why.
  Rejection r = reject(406, "Not Acceptable");
  r.headers.emplace_back("Warning", "399 " + policy.warn_agent +
                                        " \"Response cannot be formulated in the formats "
                                        "offered in the Accept header field\"");
  r.headers.emplace_back("Accept", join(policy.response_body_types));
  return r;
}

std::optional<Rejection> check_registrar(const Message& m) {
  if (m.method_id() != Method::kRegister) return std::nullopt;
  // The AOR in To must be a SIP or SIPS URI (RFC 3261 §10.3 step 3).
  if (!get_to(m)->uri.is_sip()) return reject(400, "Address-of-Record Must Be SIP Or SIPS");
  if (m.count(HeaderId::kContact) == 0) return std::nullopt;
  const std::vector<Contact> contacts = *get_contacts(m);
  if (contacts.size() == 1 && contacts[0].star) {
    Result<std::uint32_t> expires = get_expires(m);
    if (!expires.ok() || *expires != 0) return reject(400, "Wildcard Contact Needs Expires 0");
  }
  return std::nullopt;
}

}  // namespace

std::optional<Rejection> validate_request(const Message& request, const ValidationPolicy& policy) {
  std::optional<Rejection> r = [&]() -> std::optional<Rejection> {
    if (!iequals(request.version(), "SIP/2.0")) return reject(505, "Version Not Supported");
    for (HeaderId id : kMandatory) {
      if (request.count(id) == 0) return reject(400, "Missing " + name_of(id) + " Header");
    }
    for (HeaderId id : kSingle) {
      if (request.count(id) > 1) return reject(400, "Multiple " + name_of(id) + " Headers");
    }
    if (auto x = check_syntax(request)) return x;
    if (auto x = check_method(request, policy)) return x;
    // RFC 3261 §8.2 leaves the mismatch to the general 400 rule; checked
    // after the method so that an unknown method earns 501 (RFC 4475 §3.1.2.18).
    if (get_cseq(request)->method != request.method()) {
      return reject(400, "CSeq Method Does Not Match Request Method");
    }
    if (auto x = check_request_uri(request, policy)) return x;
    if (policy.reject_zero_max_forwards && request.count(HeaderId::kMaxForwards) &&
        *get_max_forwards(request) == 0) {
      return reject(483, "Too Many Hops");
    }
    if (auto x = check_extensions(request, policy)) return x;
    if (auto x = check_body(request, policy)) return x;
    if (auto x = check_accept(request, policy)) return x;
    if (policy.registrar) {
      if (auto x = check_registrar(request)) return x;
    }
    return std::nullopt;
  }();
  if (r && request.method_id() == Method::kAck) r->respond = false;
  return r;
}

Message make_rejection_response(const Message& request, const Rejection& rejection,
                                std::string_view to_tag) {
  Message response = make_response(request, rejection.status_code, rejection.reason, to_tag);
  for (const auto& [name, value] : rejection.headers) response.add_header(name, value);
  response.set_body({});
  return response;
}

std::optional<std::string> validate_response(const Message& response,
                                             const ValidationPolicy& policy) {
  if (!iequals(response.version(), "SIP/2.0")) return "Version Not Supported";
  for (HeaderId id : kMandatory) {
    if (response.count(id) == 0) return "Missing " + name_of(id);
  }
  for (HeaderId id : kSingle) {
    if (response.count(id) > 1) return "Multiple " + name_of(id);
  }
  Result<std::vector<Via>> vias = get_vias(response);
  if (!vias.ok()) return "Bad Via";
  if (!get_from(response).ok()) return "Bad From";
  if (!get_to(response).ok()) return "Bad To";
  if (!get_call_id(response).ok()) return "Bad Call-ID";
  if (!get_cseq(response).ok()) return "Bad CSeq";
  if (policy.role == Role::kUas && vias->size() > 1) return "More Than One Via";
  if (policy.role == Role::kProxy) {
    for (const Via& v : *vias) {
      const std::string_view target = v.received() ? *v.received() : v.host;
      if (target == "255.255.255.255") return "Broadcast Via";
    }
  }
  return std::nullopt;
}

}  // namespace switchboard::sip
