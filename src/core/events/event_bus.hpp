// The core's event bus (issue 9): typed events with one JSON form. Each
// subscriber numbers its events 1, 2, 3… so a client that sees a gap knows
// to re-fetch state. Published on the core thread; subscribers (the API's
// WebSocket clients) get each matching event's JSON through a sink that must
// not block — a sink that refuses (its queue is full) is dropped, the core
// never waits.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "store/time.hpp"

namespace switchboard::core {

enum class EventType {
  kRegistration,
  kCallStarted,
  kCallRinging,
  kCallAnswered,
  kCallHeld,
  kCallResumed,
  kCallTransferred,
  kCallParked,
  kCallUnparked,
  kCallEnded,
  kCallRecordingStarted,
  kCallRecordingStopped,
  kCallForwarded,
  kCallBridged,
  kCallDtmf,
  kPresence,
  kVoicemailRead,
  kVoicemailDeleted,
  kConferenceJoined,
  kConferenceLeft,
};

/// "registration", "call.started", …
const char* to_string(EventType t);
std::optional<EventType> event_type_from(std::string_view text);
/// Every type, for documentation and validation.
const std::vector<EventType>& all_event_types();

struct Event {
  EventType type;
  std::vector<std::string> extensions;  ///< the extensions it concerns (filtering)
  nlohmann::json data;
};

/// What a subscriber wants: empty sets match everything.
struct EventFilter {
  std::set<EventType> types;
  std::set<std::string> extensions;
  bool matches(const Event& e) const;
};

class EventBus {
 public:
  /// Returns false when the subscriber cannot take more (it is dropped).
  using Sink = std::function<bool(const std::shared_ptr<const std::string>& json)>;
  using SubscriptionId = std::uint64_t;

  explicit EventBus(store::NowFn now = store::system_now) : now_(std::move(now)) {}

  /// Any thread.
  SubscriptionId subscribe(EventFilter filter, Sink sink);
  void unsubscribe(SubscriptionId id);
  /// Core thread. Offers `{"seq": n, "type": "...", "time": "ISO-8601",
  /// "data": {...}}` to each matching subscriber, n counting that
  /// subscriber's events from 1.
  void publish(const Event& event);

  /// Events published so far.
  std::uint64_t published() const;
  std::uint64_t dropped() const;
  size_t subscribers() const;

 private:
  struct Subscriber {
    SubscriptionId id;
    EventFilter filter;
    Sink sink;
    std::uint64_t sent = 0;
  };
  store::NowFn now_;
  mutable std::mutex mutex_;
  std::vector<Subscriber> subscribers_;  // guarded by mutex_
  std::uint64_t seq_ = 0;                // guarded by mutex_
  std::uint64_t dropped_ = 0;            // guarded by mutex_
  SubscriptionId next_id_ = 1;           // guarded by mutex_
};

}  // namespace switchboard::core
