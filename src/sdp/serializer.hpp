// SDP serializer: RFC 4566 line order, CRLF line ends. parse(serialize(sd))
// gives back sd for any sd that parse() produced.
#pragma once

#include <string>

#include "sdp/session.hpp"

namespace switchboard::sdp {

/// Writes a description. Values must not contain CR or LF (parse() never
/// produces such values; code building descriptions must not either).
std::string serialize(const SessionDescription& sd);

}  // namespace switchboard::sdp
