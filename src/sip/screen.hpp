// What to do with bytes that arrived from the network: one call that parses,
// validates and, for a bad request, builds the error response. This is the
// entry point the transport layer uses and the one the RFC 4475 tests drive.
#pragma once

#include <optional>
#include <string>

#include "sip/message.hpp"
#include "sip/parser.hpp"
#include "sip/validator.hpp"

namespace switchboard::sip {

struct Screened {
  enum class Action {
    kProcess,  ///< `message` is valid: hand it to the transaction layer
    kRespond,  ///< send `response` (statelessly) and forget the request
    kDrop,     ///< discard silently (bad responses, hopeless requests, ACKs)
  };
  Action action = Action::kDrop;
  std::optional<Message> message;   ///< set for kProcess (and kRespond when it parsed)
  std::optional<Message> response;  ///< set for kRespond
  std::string reason;               ///< why it was rejected or dropped
};

/// Parses and checks one received message. A request that does not parse is
/// answered with 400 (513 if too large) when its header section still yields
/// Via, From, To, Call-ID and CSeq; otherwise, and for every bad response,
/// the message is dropped (RFC 4475 §3.1.2).
Screened screen_message(std::string bytes, const ValidationPolicy& policy,
                        const ParseLimits& limits = {}, Framing framing = Framing::kDatagram);

}  // namespace switchboard::sip
