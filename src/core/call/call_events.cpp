#include "core/call/call_events.hpp"

#include <nlohmann/json.hpp>

namespace switchboard::core {

const char* to_string(CallOutcome o) {
  switch (o) {
    case CallOutcome::kAnswered:
      return "answered";
    case CallOutcome::kNoAnswer:
      return "no_answer";
    case CallOutcome::kBusy:
      return "busy";
    case CallOutcome::kFailed:
      return "failed";
    case CallOutcome::kCancelled:
      return "cancelled";
  }
  return "failed";
}

const char* to_string(Party p) {
  switch (p) {
    case Party::kNone:
      return "";
    case Party::kCaller:
      return "caller";
    case Party::kCallee:
      return "callee";
    case Party::kSystem:
      return "system";
  }
  return "";
}

const char* to_string(CallEventKind k) {
  switch (k) {
    case CallEventKind::kStarted:
      return "call.started";
    case CallEventKind::kRinging:
      return "call.ringing";
    case CallEventKind::kAnswered:
      return "call.answered";
    case CallEventKind::kHeld:
      return "call.held";
    case CallEventKind::kResumed:
      return "call.resumed";
    case CallEventKind::kTransferred:
      return "call.transferred";
    case CallEventKind::kEnded:
      return "call.ended";
    case CallEventKind::kRecordingStarted:
      return "call.recording.started";
    case CallEventKind::kRecordingStopped:
      return "call.recording.stopped";
    case CallEventKind::kForwarded:
      return "call.forwarded";
    case CallEventKind::kBridged:
      return "call.bridged";
    case CallEventKind::kDtmf:
      return "call.dtmf";
  }
  return "call";
}

nlohmann::json to_json(const CallEvent& e) {
  const CallRecord& c = e.call;
  nlohmann::json j = {{"event", to_string(e.kind)}, {"call_id", c.call_id},
                      {"caller", c.caller},         {"callee", c.callee},
                      {"dialed", c.dialed},         {"start", store::to_iso(c.start)}};
  if (c.answer) j["answer"] = store::to_iso(*c.answer);
  if (!c.transfers.empty()) {
    auto& steps = j["transfers"] = nlohmann::json::array();
    for (const auto& t : c.transfers) {
      steps.push_back({{"kind", t.kind},
                       {"by", t.by},
                       {"from", t.from},
                       {"to", t.to},
                       {"at", store::to_iso(t.at)}});
    }
  }
  if (!c.recordings.empty()) j["recordings"] = c.recordings;
  if (e.recording) {
    j["recording"] = e.recording->reference;
    if (e.kind == CallEventKind::kRecordingStopped) {
      j["seconds"] = e.recording->seconds;
      if (!e.recording->error.empty()) j["error"] = e.recording->error;
    }
  }
  if (!c.forwarded_from.empty()) {
    j["forwarded_from"] = c.forwarded_from;
    j["forward_reason"] = c.forward_reason;
    j["forward_loop"] = c.forward_loop;
  }
  if (e.dtmf) {
    j["party"] = to_string(e.dtmf->party);
    j["number"] = e.dtmf->number;
    j["digit"] = std::string(1, e.dtmf->digit);
  }
  if (e.bridge) j["reason"] = e.bridge;
  if (e.kind == CallEventKind::kEnded) {
    j["end"] = store::to_iso(c.end);
    j["outcome"] = to_string(c.outcome);
    j["status"] = c.final_status;
    j["hangup_cause"] = c.hangup_cause;
    j["hangup_side"] = to_string(c.hangup_side);
    j["codec"] = c.codec;
    j["packets_from_caller"] = c.quality.packets_from_a;
    j["packets_from_callee"] = c.quality.packets_from_b;
  }
  return j;
}

}  // namespace switchboard::core
