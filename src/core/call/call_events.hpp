// Call events (DESIGN §2: fire-and-forget notifications): a call started,
// was answered, bridged two parties, held/resumed, recorded, carried a DTMF
// digit, ended. CDR, presence, the API stream and
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

/// One transfer of a call (issue 7 §2): who moved whom where.
struct TransferStep {
  std::string kind;  ///< "blind", "attended", "replaces" (INVITE with Replaces), "api"
  std::string by;    ///< the transferrer (extension), or "api"
  std::string from;  ///< the party that left
  std::string to;    ///< the party that took its place
  store::Timestamp at{};
};

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
  /// Transfers in order; the parties above are the ones at the end.
  std::vector<TransferStep> transfers;
  /// Recordings of the call, in order: paths relative to
  /// recording.storage_path (known from the start of each, so the CDR names
  /// a file even if the call outlives the process).
  std::vector<std::string> recordings;
};

enum class CallEventKind {
  kStarted,
  kRinging,
  kAnswered,
  kHeld,
  kResumed,
  kTransferred,
  kEnded,
  kRecordingStarted,
  kRecordingStopped,
  kForwarded,
  /// The PBX connected two parties' media: a two-party answer, a transfer's
  /// target answering, a join (attended transfer, Replaces, a parked call
  /// retrieved). Never for a call an application answered.
  kBridged,
  /// A party of an answered two-party call sent a DTMF digit.
  kDtmf,
};
const char* to_string(CallEventKind k);

/// What a recording event is about (kRecordingStarted/kRecordingStopped).
struct RecordingNote {
  std::string reference;  ///< relative to recording.storage_path
  double seconds = 0;     ///< audio in the file (stopped)
  std::string error;      ///< why the file is incomplete or missing (stopped), else ""
};

/// What a kDtmf event is about: who sent which digit.
struct DtmfNote {
  Party party = Party::kNone;  ///< kCaller (the call's side A) or kCallee (side B)
  std::string number;          ///< that party's number (record.caller / callee)
  char digit = 0;              ///< '0'-'9', '*', '#', 'A'-'D'
};

struct CallEvent {
  CallEventKind kind;
  const CallRecord& call;
  const RecordingNote* recording = nullptr;  ///< recording events only
  const DtmfNote* dtmf = nullptr;            ///< kDtmf only
  /// kBridged: how the parties came together ("answer", "transfer",
  /// "attended", "replaces", "retrieved", "redirect").
  const char* bridge = nullptr;
};

/// The one JSON form of an event (API stream, logs).
nlohmann::json to_json(const CallEvent& event);

class CallEvents {
 public:
  using Listener = std::function<void(const CallEvent&)>;
  void subscribe(Listener l) { listeners_.push_back(std::move(l)); }
  void publish(CallEventKind kind, const CallRecord& call,
               const RecordingNote* recording = nullptr) const {
    publish(CallEvent{kind, call, recording});
  }
  void publish(const CallEvent& e) const {
    for (const auto& l : listeners_) l(e);
  }

 private:
  std::vector<Listener> listeners_;
};

}  // namespace switchboard::core
