// Rules shared by our own offer/answer and the B2BUA relay: which streams the
// PBX carries, which codecs it keeps, which attributes cannot be relayed.
#pragma once

#include <optional>
#include <vector>

#include "sdp/codec.hpp"
#include "sdp/media_config.hpp"
#include "sdp/session.hpp"

namespace switchboard::sdp {

/// True for an active audio stream over plain RTP (RTP/AVP, RTP/AVPF); SRTP
/// and other media are rejected until the media layer handles them.
bool can_carry(const MediaDescription& m);

/// The offered codecs the PBX supports, in the offerer's order with the
/// offerer's payload types and fmtp (telephone-event left out).
std::vector<Codec> supported_codecs(const std::vector<Codec>& offered, const MediaConfig& config);

/// The offered telephone-event to keep for an audio codec at `clock_rate`,
/// or nullopt (none offered, or disabled in the config). An empty fmtp
/// becomes config.telephone_event_fmtp.
std::optional<Codec> offered_telephone_event(const std::vector<Codec>& offered,
                                             std::uint32_t clock_rate, const MediaConfig& config);

/// A telephone-event codec for a stream that had none: `preferred` PT if no
/// codec in `used` has it, else the first free dynamic one (96-127).
std::optional<Codec> new_telephone_event(const std::vector<Codec>& used, std::uint32_t clock_rate,
                                         const MediaConfig& config);

/// Removes attributes that describe the writer's transport and so cannot be
/// passed to another leg (ICE, SRTP keys, DTLS, SSRCs, BUNDLE groups).
void drop_transport_attributes(std::vector<Attribute>& attributes);

/// The m= line that rejects `offered` (RFC 3264 §6: port 0, formats kept).
MediaDescription rejected_line(const MediaDescription& offered);

/// A description with our session-level lines and no media yet.
SessionDescription local_skeleton(const MediaConfig& config);

}  // namespace switchboard::sdp
