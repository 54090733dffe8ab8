// Wire form of a Message (RFC 3261 §7). Headers are written in message order
// with the names they have (compact forms stay compact); Content-Length is
// always rewritten to the body's real size, so a built or edited message can
// never announce a wrong length.
#pragma once

#include <string>

#include "sip/message.hpp"

namespace switchboard::sip {

/// Appends the message to `out`.
void serialize_to(const Message& m, std::string& out);

/// The message as a new string.
std::string serialize(const Message& m);

}  // namespace switchboard::sip
