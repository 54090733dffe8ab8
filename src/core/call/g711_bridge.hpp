// Transcoding between the two G.711 laws (issue 5 §3): when the legs share
// no codec but one speaks PCMU and the other PCMA, the relay converts (the
// RTP engine does PCMU <-> PCMA). Signalling makes that possible: the offer
// relayed to the other leg carries the other law too, and an answer that
// picked the law the offerer lacks is presented to the offerer in its own.
#pragma once

#include <optional>

#include "sdp/session.hpp"

namespace switchboard::core {

/// Adds PCMA to every active audio stream of `offer` that has PCMU but not
/// PCMA, and PCMU where only PCMA is offered. Call on the relayed offer.
void offer_other_g711_law(sdp::SessionDescription& offer);

/// When stream i of `answer` chose a G.711 law that `offer_from` (the
/// original offerer's description) lacks while it has the other law, a copy
/// of `answer` with that codec renamed to the offerer's law and payload type
/// (what sdp::relay_answer can map back); nullopt when nothing needs it.
std::optional<sdp::SessionDescription> in_offerers_law(const sdp::SessionDescription& offer_from,
                                                       const sdp::SessionDescription& answer);

}  // namespace switchboard::core
