#include "core/events/event_bus.hpp"

#include <algorithm>

namespace switchboard::core {

namespace {

struct TypeName {
  EventType type;
  const char* name;
};

constexpr TypeName kNames[] = {
    {EventType::kRegistration, "registration"},
    {EventType::kCallStarted, "call.started"},
    {EventType::kCallRinging, "call.ringing"},
    {EventType::kCallAnswered, "call.answered"},
    {EventType::kCallHeld, "call.held"},
    {EventType::kCallResumed, "call.resumed"},
    {EventType::kCallTransferred, "call.transferred"},
    {EventType::kCallParked, "call.parked"},
    {EventType::kCallUnparked, "call.unparked"},
    {EventType::kCallRecordingStarted, "call.recording.started"},
    {EventType::kCallRecordingStopped, "call.recording.stopped"},
    {EventType::kCallEnded, "call.ended"},
    {EventType::kCallForwarded, "call.forwarded"},
    {EventType::kCallBridged, "call.bridged"},
    {EventType::kCallDtmf, "call.dtmf"},
    {EventType::kPresence, "presence"},
    {EventType::kVoicemailRead, "voicemail.read"},
    {EventType::kVoicemailDeleted, "voicemail.deleted"},
    {EventType::kConferenceJoined, "conference.joined"},
    {EventType::kConferenceLeft, "conference.left"},
};

}  // namespace

const char* to_string(EventType t) {
  for (const auto& n : kNames) {
    if (n.type == t) return n.name;
  }
  return "unknown";
}

std::optional<EventType> event_type_from(std::string_view text) {
  for (const auto& n : kNames) {
    if (text == n.name) return n.type;
  }
  return std::nullopt;
}

const std::vector<EventType>& all_event_types() {
  static const std::vector<EventType> all = [] {
    std::vector<EventType> v;
    for (const auto& n : kNames) v.push_back(n.type);
    return v;
  }();
  return all;
}

bool EventFilter::matches(const Event& e) const {
  if (!types.empty() && !types.count(e.type)) return false;
  if (extensions.empty()) return true;
  return std::any_of(e.extensions.begin(), e.extensions.end(),
                     [&](const std::string& x) { return extensions.count(x) > 0; });
}

EventBus::SubscriptionId EventBus::subscribe(EventFilter filter, Sink sink) {
  std::lock_guard lock(mutex_);
  const SubscriptionId id = next_id_++;
  subscribers_.push_back({id, std::move(filter), std::move(sink)});
  return id;
}

void EventBus::unsubscribe(SubscriptionId id) {
  std::lock_guard lock(mutex_);
  std::erase_if(subscribers_, [id](const Subscriber& s) { return s.id == id; });
}

void EventBus::publish(const Event& event) {
  std::lock_guard lock(mutex_);
  ++seq_;
  // Each subscriber numbers what it receives 1, 2, 3…: a gap in its own
  // sequence can only mean lost events, whatever its filter. The event is
  // serialised once; only the number differs per subscriber.
  std::string rest;
  for (auto it = subscribers_.begin(); it != subscribers_.end();) {
    if (!it->filter.matches(event)) {
      ++it;
      continue;
    }
    if (rest.empty()) {
      nlohmann::json j = {
          {"type", to_string(event.type)}, {"time", store::to_iso(now_())}, {"data", event.data}};
      rest = j.dump().substr(1);  // without the opening brace
    }
    auto text =
        std::make_shared<const std::string>("{\"seq\":" + std::to_string(++it->sent) + "," + rest);
    if (it->sink(text)) {
      ++it;
    } else {
      ++dropped_;
      it = subscribers_.erase(it);
    }
  }
}

std::uint64_t EventBus::published() const {
  std::lock_guard lock(mutex_);
  return seq_;
}

std::uint64_t EventBus::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

size_t EventBus::subscribers() const {
  std::lock_guard lock(mutex_);
  return subscribers_.size();
}

}  // namespace switchboard::core
