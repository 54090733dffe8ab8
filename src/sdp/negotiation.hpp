// Offer/answer (RFC 3264) for legs the PBX itself terminates (IVR,
// voicemail, music on hold), and reading a remote answer to any of our
// offers. The B2BUA's two-leg relay builds on these in relay.hpp.
//
// Errors: kFailedPrecondition when nothing can be agreed (no common codec,
// no usable stream) and kInvalidArgument for an answer that does not fit its
// offer or a bad port; rejection_for() maps both to 488.
#pragma once

#include <cstdint>
#include <vector>

#include "common/result.hpp"
#include "sdp/local_session.hpp"
#include "sdp/media_config.hpp"
#include "sdp/session.hpp"
#include "sdp/stream.hpp"

namespace switchboard::sdp {

/// Our description and what it agreed, stream by stream.
struct Answer {
  SessionDescription sdp;
  LegMedia streams;  ///< the remote's side: where to send, what it receives
};

/// Our own offer: one audio stream at `port` with config.codecs (static
/// payload types where the table has one, dynamic from 96 otherwise),
/// telephone-event, ptime and `direction` (kSendOnly to hold, kSendRecv to
/// resume). Re-offers through the same `session` get the next o= version.
Result<SessionDescription> make_offer(const MediaConfig& config, std::uint16_t port,
                                      LocalSession& session,
                                      Direction direction = Direction::kSendRecv);

/// The RFC 3264 §6 answer to `offer`: the same m= lines in the same order;
/// each audio stream with a supported codec accepted at ports[i] with the
/// supported codecs in the offerer's order and payload types, the offerer's
/// telephone-event and ptime, direction answer_direction(offered, local),
/// rtcp-mux if offered; every other stream rejected with port 0. Fails with
/// kFailedPrecondition when no stream can be accepted (→ 488).
Result<Answer> answer_offer(const SessionDescription& offer, const MediaConfig& config,
                            const std::vector<std::uint16_t>& ports, LocalSession& session,
                            Direction local = Direction::kSendRecv);

/// Reads the remote's `answer` to our `offer`: it must have as many m= lines
/// of the same media types; for each accepted stream the first answered
/// codec that was offered is chosen, telephone-event as answered.
Result<LegMedia> apply_answer(const SessionDescription& offer, const SessionDescription& answer);

}  // namespace switchboard::sdp
