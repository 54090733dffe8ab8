// How requests and responses find their transaction (RFC 3261 §17.1.3, §17.2.3).
#pragma once

#include <optional>
#include <string>

#include "sip/message.hpp"

namespace switchboard::sip {

/// Server transaction key of a request: branch + sent-by + method (ACK maps to
/// INVITE) for RFC 3261 branches; for RFC 2543 peers a key built from the
/// Request-URI, From tag, Call-ID, CSeq number and top Via (To tag left out so
/// the ACK of a non-2xx, which carries our To tag, finds its INVITE).
/// nullopt when the request lacks what a key needs.
std::optional<std::string> server_key(const Message& request);

/// Client transaction key of a response: top Via branch + CSeq method.
std::optional<std::string> client_key(const Message& response);

/// Client transaction key for a request we send with this branch.
std::string client_key_for(std::string_view branch, std::string_view method);

/// The first via-parm of the top Via field (a field may hold several, comma-joined).
std::optional<std::string_view> top_via_value(const Message& m);

}  // namespace switchboard::sip
