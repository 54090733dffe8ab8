// Rewriting a description to the PBX's own media address and relay ports:
// the PBX is the media endpoint of every leg (DESIGN §2, packet relay).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "sdp/media_config.hpp"
#include "sdp/session.hpp"

namespace switchboard::sdp {

/// Points every active stream at `config.address` and `ports[i]` (one per
/// m= line; ignored for rejected lines, which keep port 0): the session c=
/// becomes ours (IP4 or IP6 from the address), media-level c= lines go,
/// a port count goes, a=rtcp becomes port+1 (port itself with rtcp-mux) at our
/// address. Fails when `ports` has the wrong size or a port is outside
/// config.rtp_ports. The o= line is the LocalSession's business.
Status rewrite_to_local(SessionDescription& sd, const MediaConfig& config,
                        const std::vector<std::uint16_t>& ports);

}  // namespace switchboard::sdp
