// The UAS request checks of RFC 3261 §8.2 (and the response checks of
// §8.1.3.3 and §18.1.2), i.e. what RFC 4475 exercises: which response a
// syntactically parsed request earns before any application logic sees it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sip/message.hpp"

namespace switchboard::sip {

enum class Role {
  kUas,    ///< an endpoint (RFC 3261 §8.2): checks Require
  kProxy,  ///< a proxy (§16.3): checks Proxy-Require
};

/// What this element supports; every list compares case-insensitively except
/// methods, which are case-sensitive (RFC 3261 §7.1).
struct ValidationPolicy {
  Role role = Role::kUas;
  std::vector<std::string> uri_schemes{"sip", "sips", "tel"};
  /// Methods answered; unknown ones get 501, known but absent ones 405.
  /// Empty: no method check.
  std::vector<std::string> methods{"INVITE",  "ACK",      "BYE",       "CANCEL", "OPTIONS",
                                   "INFO",    "PRACK",    "UPDATE",    "REFER",  "NOTIFY",
                                   "MESSAGE", "REGISTER", "SUBSCRIBE", "PUBLISH"};
  std::vector<std::string> option_tags{"replaces", "timer", "path",
                                       "outbound", "gruu",  "norefersub"};
  /// Body types accepted in requests ("type/subtype").
  std::vector<std::string> content_types{"application/sdp"};
  /// Content codings accepted in requests (RFC 3261 §20.12).
  std::vector<std::string> content_encodings{"identity"};
  /// Body types this element puts into INVITE responses, checked against the
  /// request's Accept (RFC 4475 §3.3.15).
  std::vector<std::string> response_body_types{"application/sdp"};
  /// Answer Max-Forwards: 0 with 483. A proxy must (§16.3 step 3); an
  /// endpoint processes the request as if it were positive (RFC 4475 §3.3.11).
  /// A B2BUA that forwards calls sets this.
  bool reject_zero_max_forwards = false;
  /// REGISTER checks of a registrar (RFC 3261 §10.3): the To URI must be
  /// SIP or SIPS (RFC 4475 §3.3.4) and "Contact: *" needs "Expires: 0".
  bool registrar = false;
  /// warn-agent of the Warning header added to a 406 (RFC 3261 §20.43).
  std::string warn_agent = "switchboard";
};

/// The response a request earns.
struct Rejection {
  int status_code = 400;
  std::string reason;
  /// Headers to add to the response (Unsupported, Accept, Allow, Warning ...).
  std::vector<std::pair<std::string, std::string>> headers;
  /// False when no response may be sent at all: an ACK is never answered
  /// (RFC 3261 §17.2.3), a malformed one is just dropped.
  bool respond = true;
};

/// Checks `request` in the order of RFC 3261 §8.2: version, mandatory and
/// single-valued headers, header syntax, method, Request-URI scheme,
/// Max-Forwards, Require, body type and encoding, Accept. Returns nullopt
/// if the request may be processed.
std::optional<Rejection> validate_request(const Message& request, const ValidationPolicy& policy);

/// The response for `rejection` (make_response plus the extra headers).
Message make_rejection_response(const Message& request, const Rejection& rejection,
                                std::string_view to_tag = {});

/// Checks a received response; returns why it must be discarded, or nullopt.
/// Discards: a version other than 2.0, missing or malformed Via, From, To,
/// Call-ID or CSeq (RFC 4475 §3.1.2.5), more than one Via at a UAC (RFC
/// 3261 §8.1.3.3), and at a proxy a Via that would send it to a broadcast
/// address (RFC 4475 §3.3.10).
std::optional<std::string> validate_response(const Message& response,
                                             const ValidationPolicy& policy);

}  // namespace switchboard::sip
