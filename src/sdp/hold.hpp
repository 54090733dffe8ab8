// Directions and hold (RFC 3264 §6.1, §8.4; the RFC 2543 c=0.0.0.0 form).
#pragma once

#include "sdp/session.hpp"

namespace switchboard::sdp {

/// True for 0.0.0.0 (and "::"): the legacy "do not send to me" address.
bool is_unspecified(const Connection& connection);

/// What the writer of `sd` declares for stream `m`: the effective a= direction,
/// without its receive half when the connection address is unspecified.
Direction declared_direction(const SessionDescription& sd, const MediaDescription& m);

/// The direction an answerer writes for an offered direction, limited to
/// what the answerer itself wants (`local`): sendonly ↔ recvonly, inactive
/// stays inactive, sendrecv becomes `local`.
Direction answer_direction(Direction offered, Direction local = Direction::kSendRecv);

/// True when stream `m` of an offer puts the other side on hold: sendonly,
/// inactive, or c=0.0.0.0. A rejected stream (port 0) is not on hold.
bool is_hold(const SessionDescription& sd, const MediaDescription& m);

/// True when the offer holds every active audio stream (and has one). A
/// re-offer for which this turns false again is a resume.
bool is_hold(const SessionDescription& sd);

}  // namespace switchboard::sdp
