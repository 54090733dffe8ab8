#include "core/events/adapters.hpp"

#include "core/registrar/registrar.hpp"

namespace switchboard::core {

namespace {

EventType type_of(CallEventKind k) {
  switch (k) {
    case CallEventKind::kStarted:
      return EventType::kCallStarted;
    case CallEventKind::kRinging:
      return EventType::kCallRinging;
    case CallEventKind::kAnswered:
      return EventType::kCallAnswered;
    case CallEventKind::kHeld:
      return EventType::kCallHeld;
    case CallEventKind::kResumed:
      return EventType::kCallResumed;
    case CallEventKind::kTransferred:
      return EventType::kCallTransferred;
    case CallEventKind::kEnded:
      return EventType::kCallEnded;
    case CallEventKind::kRecordingStarted:
      return EventType::kCallRecordingStarted;
    case CallEventKind::kRecordingStopped:
      return EventType::kCallRecordingStopped;
    case CallEventKind::kForwarded:
      return EventType::kCallForwarded;
    case CallEventKind::kBridged:
      return EventType::kCallBridged;
    case CallEventKind::kDtmf:
      return EventType::kCallDtmf;
  }
  return EventType::kCallStarted;
}

}  // namespace

CallTracker::CallTracker(CallEvents& calls, EventBus& bus) : bus_(bus) {
  calls.subscribe([this](const CallEvent& e) { on_event(e); });
}

void CallTracker::on_event(const CallEvent& e) {
  const std::string& id = e.call.call_id;
  switch (e.kind) {
    case CallEventKind::kStarted:
      ++started_;
      active_[id] = ActiveCall{e.call, "ringing"};
      break;
    case CallEventKind::kRinging:
    case CallEventKind::kAnswered:
    case CallEventKind::kHeld:
    case CallEventKind::kResumed:
    case CallEventKind::kTransferred: {
      auto& c = active_[id];
      c.record = e.call;
      c.state = e.kind == CallEventKind::kHeld      ? "held"
                : e.kind == CallEventKind::kRinging ? "ringing"
                                                    : "answered";
      break;
    }
    case CallEventKind::kRecordingStarted:
    case CallEventKind::kRecordingStopped:
      // The last one may follow the call's end (the file completes after).
      if (auto it = active_.find(id); it != active_.end()) it->second.record = e.call;
      break;
    case CallEventKind::kEnded:
      active_.erase(id);
      ++ended_[to_string(e.call.outcome)];
      break;
    case CallEventKind::kForwarded:
    case CallEventKind::kBridged:
      if (auto it = active_.find(id); it != active_.end()) it->second.record = e.call;
      break;
    case CallEventKind::kDtmf:
      break;  // nothing of the call changed
  }
  std::vector<std::string> concerns{e.call.caller, e.call.callee};
  // A forwarded call also concerns the extension it was meant for.
  if (!e.call.forwarded_from.empty()) concerns.push_back(e.call.forwarded_from);
  bus_.publish(Event{type_of(e.kind), std::move(concerns), to_json(e)});
}

void attach_registrar(Registrar& registrar, EventBus& bus) {
  registrar.set_change_listener([&registrar, &bus](const std::string& aor) {
    const auto contacts = registrar.lookup(aor);
    nlohmann::json data = {{"extension", aor}, {"contacts", contacts.size()}};
    bus.publish(Event{EventType::kRegistration, {aor}, std::move(data)});
  });
}

}  // namespace switchboard::core
