// Call forwarding as the B2BUA sees it (issue 7 §3): a policy, implemented
// by the forwarding feature, that the B2BUA asks (1) how long a call to an
// extension rings before it counts as unanswered and (2) where a call goes
// that an extension did not take (busy, no answer, not registered) instead
// of its mailbox. Unconditional forwarding needs no help from the B2BUA: a
// router hook rewrites the target before ringing. Core thread only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/timers.hpp"
#include "core/call/call_app.hpp"
#include "core/call/call_events.hpp"
#include "core/call/router.hpp"

namespace switchboard::core {

/// At most this many forwards per call at run time (busy/no-answer chains
/// the decision-time loop check cannot see: A→B on no answer, B→A on busy).
inline constexpr int kMaxForwardsPerCall = 5;

/// A call that `extension` did not take.
struct UnansweredCall {
  std::string call_id;
  std::string caller;
  std::string extension;                    ///< the extension that rang (or was busy)
  AppReason reason = AppReason::kNoAnswer;  ///< kBusy or kNoAnswer (also: not registered)
  /// Extensions this call already rang or passed through, oldest first: a
  /// rule pointing back at one of them is a loop.
  std::vector<std::string> visited;
};

class ForwardingPolicy {
 public:
  virtual ~ForwardingPolicy() = default;
  /// The ringing time of `extension` before it counts as unanswered;
  /// nullopt: the B2BUA's default (voicemail.no_answer_timeout).
  virtual std::optional<Duration> no_answer_timeout(std::string_view extension) const = 0;
  /// Where `call` goes instead (forwarded_from and forward_reason set), or
  /// nullopt: on as without forwarding (the mailbox, or the failure).
  virtual std::optional<RouteDecision> on_unanswered(const UnansweredCall& call) const = 0;
};

/// Copies the forwarding facts of `route` into `record` (nothing when the
/// route was not forwarded).
inline void note_forwarding(CallRecord& record, const RouteDecision& route) {
  if (route.forwarded_from.empty()) return;
  record.forwarded_from = route.forwarded_from;
  record.forward_reason = route.forward_reason;
  record.forward_loop = record.forward_loop || route.forward_loop;
}

/// The RFC 5806 Diversion header of a forwarded call's INVITE to its new
/// target (phones show whom the call was meant for): the forwarding
/// extension, the reason (unconditional, user-busy, no-answer), the count.
inline std::string diversion_header(const CallRecord& record, std::string_view domain,
                                    int counter) {
  const std::string_view reason = record.forward_reason == "busy"        ? "user-busy"
                                  : record.forward_reason == "no_answer" ? "no-answer"
                                                                         : "unconditional";
  return "<sip:" + record.forwarded_from + "@" + std::string(domain) +
         ">;reason=" + std::string(reason) +
         ";counter=" + std::to_string(counter < 1 ? 1 : counter);
}

}  // namespace switchboard::core
