#include "sip/message_headers.hpp"

#include <string>

#include "sip/grammar.hpp"

namespace switchboard::sip {
namespace {

Error not_found(HeaderId id) {
  return make_error(ErrorCode::kNotFound, "Missing " + std::string(header_canonical_name(id)));
}

Error bad(HeaderId id) {
  return make_error(ErrorCode::kInvalidArgument, "Bad " + std::string(header_canonical_name(id)));
}

// Parses the first header with `id` with `fn`, mapping errors to "Bad <Name>".
template <typename Fn>
auto parse_first(const Message& m, HeaderId id, Fn&& fn) -> decltype(fn(std::string_view())) {
  const auto v = m.value(id);
  if (!v) return not_found(id);
  auto r = fn(*v);
  if (!r.ok()) return bad(id);
  return r;
}

}  // namespace

Result<Via> get_top_via(const Message& m) {
  const auto v = m.value(HeaderId::kVia);
  if (!v) return not_found(HeaderId::kVia);
  std::string_view first;
  bool have = false;
  grammar::for_each_comma_item(*v, [&](std::string_view item) {
    first = item;
    have = true;
    return false;  // stop after the first value
  });
  if (!have) return bad(HeaderId::kVia);
  return parse_via(first);
}

Result<std::vector<Via>> get_vias(const Message& m) {
  std::vector<Via> out;
  for (std::string_view v : m.values(HeaderId::kVia)) {
    if (!parse_via_list(v, out).ok()) return bad(HeaderId::kVia);
  }
  if (out.empty()) return not_found(HeaderId::kVia);
  return out;
}

Result<NameAddr> get_from(const Message& m) {
  return parse_first(m, HeaderId::kFrom, parse_name_addr);
}

Result<NameAddr> get_to(const Message& m) {
  return parse_first(m, HeaderId::kTo, parse_name_addr);
}

Result<std::string_view> get_call_id(const Message& m) {
  return parse_first(m, HeaderId::kCallId, parse_call_id);
}

Result<CSeq> get_cseq(const Message& m) {
  return parse_first(m, HeaderId::kCSeq, parse_cseq);
}

Result<std::uint32_t> get_max_forwards(const Message& m) {
  return parse_first(m, HeaderId::kMaxForwards, parse_max_forwards);
}

Result<std::uint32_t> get_content_length(const Message& m) {
  return parse_first(m, HeaderId::kContentLength, parse_delta_seconds);
}

Result<std::uint32_t> get_expires(const Message& m) {
  return parse_first(m, HeaderId::kExpires, parse_delta_seconds);
}

Result<std::vector<Contact>> get_contacts(const Message& m) {
  std::vector<Contact> out;
  for (std::string_view v : m.values(HeaderId::kContact)) {
    if (!parse_contact_list(v, out).ok()) return bad(HeaderId::kContact);
  }
  if (out.empty()) return not_found(HeaderId::kContact);
  // "*" is only valid alone (RFC 3261 §10.2.2).
  if (out.size() > 1) {
    for (const Contact& c : out) {
      if (c.star) return bad(HeaderId::kContact);
    }
  }
  return out;
}

Result<std::vector<NameAddr>> get_name_addrs(const Message& m, HeaderId id) {
  std::vector<NameAddr> out;
  for (std::string_view v : m.values(id)) {
    if (!parse_name_addr_list(v, out).ok()) return bad(id);
  }
  if (out.empty()) return not_found(id);
  return out;
}

Result<NameAddr> get_name_addr(const Message& m, HeaderId id) {
  return parse_first(m, id, parse_name_addr);
}

Result<MediaType> get_content_type(const Message& m) {
  return parse_first(m, HeaderId::kContentType, parse_media_type);
}

Result<std::vector<MediaType>> get_accept(const Message& m) {
  if (m.count(HeaderId::kAccept) == 0) return not_found(HeaderId::kAccept);
  std::vector<MediaType> out;
  for (std::string_view v : m.values(HeaderId::kAccept)) {
    if (!parse_media_type_list(v, out).ok()) return bad(HeaderId::kAccept);
  }
  return out;
}

Result<std::vector<std::string_view>> get_tokens(const Message& m, HeaderId id) {
  std::vector<std::string_view> out;
  for (std::string_view v : m.values(id)) {
    if (!parse_token_list(v, out).ok()) return bad(id);
  }
  return out;
}

Result<std::vector<AuthHeader>> get_auth_headers(const Message& m, HeaderId id) {
  std::vector<AuthHeader> out;
  for (std::string_view v : m.values(id)) {
    Result<AuthHeader> h = parse_auth_header(v);
    if (!h.ok()) return bad(id);
    out.push_back(std::move(*h));
  }
  if (out.empty()) return not_found(id);
  return out;
}

Result<Event> get_event(const Message& m) {
  return parse_first(m, HeaderId::kEvent, parse_event);
}

Result<SubscriptionState> get_subscription_state(const Message& m) {
  return parse_first(m, HeaderId::kSubscriptionState, parse_subscription_state);
}

Result<Replaces> get_replaces(const Message& m) {
  return parse_first(m, HeaderId::kReplaces, parse_replaces);
}

Result<SessionExpires> get_session_expires(const Message& m) {
  return parse_first(m, HeaderId::kSessionExpires, parse_session_expires);
}

Result<SessionExpires> get_min_se(const Message& m) {
  return parse_first(m, HeaderId::kMinSE, parse_session_expires);
}

}  // namespace switchboard::sip
