// Typed access to a Message's headers, parsed on demand from the views the
// parser stored. Results point into the Message's storage and stay valid
// until the Message is edited or destroyed. A missing header is an Error
// with ErrorCode::kNotFound; a malformed one ErrorCode::kInvalidArgument
// whose message names the header ("Bad Via").
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "sip/auth_header.hpp"
#include "sip/contact.hpp"
#include "sip/cseq.hpp"
#include "sip/dialog_headers.hpp"
#include "sip/event_headers.hpp"
#include "sip/message.hpp"
#include "sip/name_addr.hpp"
#include "sip/token_list.hpp"
#include "sip/via.hpp"

namespace switchboard::sip {

/// First Via value of the first Via header (what transactions match on).
Result<Via> get_top_via(const Message& m);
/// Every Via value, across comma-joined values and repeated headers, top first.
Result<std::vector<Via>> get_vias(const Message& m);

Result<NameAddr> get_from(const Message& m);
Result<NameAddr> get_to(const Message& m);
Result<std::string_view> get_call_id(const Message& m);
Result<CSeq> get_cseq(const Message& m);
Result<std::uint32_t> get_max_forwards(const Message& m);
/// The Content-Length header's value (the framed body is Message::body()).
Result<std::uint32_t> get_content_length(const Message& m);
Result<std::uint32_t> get_expires(const Message& m);

/// Every Contact value across headers; a "*" is returned as Contact::star.
Result<std::vector<Contact>> get_contacts(const Message& m);
/// Route, Record-Route, Path, Service-Route, P-Asserted-Identity ...: every
/// name-addr across repeated and comma-joined headers, in order.
Result<std::vector<NameAddr>> get_name_addrs(const Message& m, HeaderId id);
/// Single name-addr headers: Refer-To, Referred-By, Reply-To ...
Result<NameAddr> get_name_addr(const Message& m, HeaderId id);

Result<MediaType> get_content_type(const Message& m);
/// Accept media ranges; absent header is kNotFound (which differs from an
/// empty Accept: RFC 3261 §20.1).
Result<std::vector<MediaType>> get_accept(const Message& m);
/// Option tags / methods / encodings of a token-list header (Allow, Supported,
/// Require, Proxy-Require, Unsupported, Allow-Events, Content-Encoding,
/// Accept-Encoding); an absent header is an empty list.
Result<std::vector<std::string_view>> get_tokens(const Message& m, HeaderId id);

/// Every Authorization / Proxy-Authorization / WWW-Authenticate /
/// Proxy-Authenticate header, one entry per header field.
Result<std::vector<AuthHeader>> get_auth_headers(const Message& m, HeaderId id);

Result<Event> get_event(const Message& m);
Result<SubscriptionState> get_subscription_state(const Message& m);
Result<Replaces> get_replaces(const Message& m);
Result<SessionExpires> get_session_expires(const Message& m);
Result<SessionExpires> get_min_se(const Message& m);

/// User-Agent and Server are free text for humans; returned as written.
inline std::optional<std::string_view> get_user_agent(const Message& m) {
  return m.value(HeaderId::kUserAgent);
}
inline std::optional<std::string_view> get_server(const Message& m) {
  return m.value(HeaderId::kServer);
}

}  // namespace switchboard::sip
