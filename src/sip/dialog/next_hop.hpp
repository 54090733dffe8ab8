// Where to send a request for a SIP URI (a small part of RFC 3263): the URI's
// host when it is an IP literal, its port or the scheme default, its transport
// parameter. Host names need DNS (NAPTR/SRV/A), which arrives with trunks;
// until then they are an error the caller reports, never a guess.
#pragma once

#include <string_view>

#include "common/result.hpp"
#include "sip/transport/transport.hpp"

namespace switchboard::sip {

/// The destination for `uri` ("sip:1002@127.0.0.1:5062;transport=tcp").
Result<Destination> resolve_next_hop(std::string_view uri);

}  // namespace switchboard::sip
