// The B2BUA's two-leg case: the PBX relays RTP between leg A (the caller) and
// leg B (the callee) and is the media endpoint each of them sees.
//
//   A's offer ──relay_offer()──▶ offer to B
//   B's answer ─relay_answer()─▶ answer to A + what each leg negotiated
//
// Payload types are kept from A's offer so that a relay between two legs
// with the same codec needs no rewriting; re-offers (hold, resume) go through
// the same two calls with the legs' LocalSessions, which raise o= versions.
#pragma once

#include <cstdint>
#include <vector>

#include "common/result.hpp"
#include "sdp/local_session.hpp"
#include "sdp/media_config.hpp"
#include "sdp/session.hpp"
#include "sdp/stream.hpp"

namespace switchboard::sdp {

/// The offer for leg B made from A's offer: the same m= lines in the same
/// order; each audio stream the PBX can carry keeps A's supported codecs
/// (A's order, payload types, fmtp), telephone-event (added when A had none),
/// ptime, rtcp-mux and direction (c=0.0.0.0 becomes the direction without
/// receive, since B cannot see it behind our address); other streams are
/// offered with port 0. Addresses and ports are ours (ports_b[i]).
/// kFailedPrecondition (→ 488 to A) when no stream is usable.
Result<SessionDescription> relay_offer(const SessionDescription& offer_a, const MediaConfig& config,
                                       const std::vector<std::uint16_t>& ports_b,
                                       LocalSession& session_b);

/// What B's answer gives both legs.
struct RelayAnswer {
  SessionDescription answer_a;  ///< to send to A
  LegMedia leg_a;               ///< A's side, A's payload types
  LegMedia leg_b;               ///< B's side, B's payload types
};

/// The answer for A from B's answer to `offer_b` (what relay_offer made):
/// each stream B accepted is accepted for A at ports_a[i] with B's answered
/// codecs in B's order mapped to A's payload types, A's telephone-event,
/// B's ptime (else A's), B's direction (limited to what A's offer allows);
/// streams B rejected are rejected with port 0.
Result<RelayAnswer> relay_answer(const SessionDescription& offer_a,
                                 const SessionDescription& offer_b,
                                 const SessionDescription& answer_b, const MediaConfig& config,
                                 const std::vector<std::uint16_t>& ports_a,
                                 LocalSession& session_a);

}  // namespace switchboard::sdp
