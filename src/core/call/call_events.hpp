// Call events (DESIGN §2: fire-and-forget notifications): a call started,
// was answered, held/resumed, ended. CDR, presence, the API stream and
// metrics subscribe; the B2BUA publishes. Core thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/call/media_relay.hpp"
#include "store/time.hpp"

namespace switchboard::core {

enum class CallOutcome { kAnswered, kNoAnswer, kBusy, kFailed, kCancelled };
enum class Party { kNone, kCaller, kCallee, kSystem };

const char* to_string(CallOutcome o);
const char* to_string(Party p);

/// What a call is and has been, carried by every event (the CDR's fields).
struct CallRecord {
  std::string call_id;  ///< the caller's Call-ID
  std::string caller, caller_name, callee, dialed;
  /// Call forwarding (issue 7 §3): the extension that last forwarded the
  /// call to `callee`, why ("always", "busy", "no_answer"), whether a
  /// forwarding loop was cut short; empty / false when not forwarded.
  std::string forwarded_from, forward_reason;
  bool forward_loop = false;
  store::Timestamp start{};
  std::optional<store::Timestamp> answer;
  store::Timestamp end{};
  CallOutcome outcome = CallOutcome::kFailed;
  int final_status = 0;  ///< SIP status the caller got (200 when answered)
  std::string hangup_cause;
  Party hangup_side = Party::kNone;
  std::string codec;  ///< "PCMU/8000"
  std::string caller_user_agent, callee_user_agent;
  MediaQuality quality;
};

enum class CallEventKind { kStarted, kRinging, kAnswered, kHeld, kResumed, kEnded, kForwarded };
const char* to_string(CallEventKind k);

struct CallEvent {
  CallEventKind kind;
  const CallRecord& call;
};

/// The one JSON form of an event (API stream, logs).
nlohmann::json to_json(const CallEvent& event);

class CallEvents {
 public:
  using Listener = std::function<void(const CallEvent&)>;
  void subscribe(Listener l) { listeners_.push_back(std::move(l)); }
  void publish(CallEventKind kind, const CallRecord& call) const {
    const CallEvent e{kind, call};
    for (const auto& l : listeners_) l(e);
  }

 private:
  std::vector<Listener> listeners_;
};

}  // namespace switchboard::core
