// The checks on a SUBSCRIBE before any state changes (RFC 6665 §4.2.1):
// Event package and id, the requested duration against the bounds (423
// Interval Too Brief with Min-Expires), Accept against the package's body
// type (406), and the watched resource from the Request-URI. Pure functions
// of the message, so each rule is tested alone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "sip/message.hpp"

namespace switchboard::core {

/// A SIP refusal: status, reason and any headers the status requires.
struct Refusal {
  int status = 400;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;
};

struct SubscribeRequest {
  std::string package;                   ///< Event type, e.g. "message-summary"
  std::string event_id;                  ///< Event "id" parameter, "" without one
  std::optional<std::uint32_t> expires;  ///< as requested; nullopt: the default
  std::string resource;                  ///< Request-URI user part, unescaped (e.g. the mailbox)
};

/// Reads Event, Expires and the Request-URI; a malformed or missing one is
/// a Refusal (400 Bad Request, 416 for a non-SIP URI, 404 without a user).
std::variant<SubscribeRequest, Refusal> parse_subscribe(const sip::Message& request);

struct ExpiryBounds {
  std::uint32_t min = 60;
  std::uint32_t max = 3600;
  std::uint32_t default_ = 3600;
};

/// The duration granted for `requested`: the default when absent, at most
/// max; 0 stays 0 (unsubscribe/fetch); below min is a 423 with Min-Expires.
std::variant<std::uint32_t, Refusal> grant_expires(std::optional<std::uint32_t> requested,
                                                   const ExpiryBounds& bounds);

/// 406 when the request has an Accept header none of whose ranges matches
/// `content_type` ("type/subtype"); nullopt when acceptable.
std::optional<Refusal> check_accept(const sip::Message& request, std::string_view content_type);

}  // namespace switchboard::core
