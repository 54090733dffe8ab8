// Feeds the event bus from the existing notifications: the B2BUA's call
// events and the registrar's binding changes, and keeps what the API shows
// of them (the active calls, totals by outcome). Core thread only.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/call/call_events.hpp"
#include "core/events/event_bus.hpp"

namespace switchboard::core {

class Registrar;

/// One active call as the API lists it.
struct ActiveCall {
  CallRecord record;
  std::string state;  ///< "ringing", "answered", "held"
};

class CallTracker {
 public:
  /// Subscribes to `calls`; publishes each as call.* on `bus`.
  CallTracker(CallEvents& calls, EventBus& bus);

  const std::map<std::string, ActiveCall>& active() const { return active_; }
  /// Finished calls by outcome ("answered", "no_answer", …) since start.
  const std::map<std::string, std::uint64_t>& ended_by_outcome() const { return ended_; }
  std::uint64_t started() const { return started_; }

 private:
  void on_event(const CallEvent& e);

  EventBus& bus_;
  std::map<std::string, ActiveCall> active_;
  std::map<std::string, std::uint64_t> ended_;
  std::uint64_t started_ = 0;
};

/// Publishes "registration" events ({extension, contacts}) on every change
/// of an extension's bindings.
void attach_registrar(Registrar& registrar, EventBus& bus);

}  // namespace switchboard::core
