#include "core/subscriptions/subscription.hpp"

namespace switchboard::core {

const char* to_string(SubscriptionPhase p) {
  switch (p) {
    case SubscriptionPhase::kActive:
      return "active";
    case SubscriptionPhase::kTerminating:
      return "terminating";
  }
  return "?";
}

const char* to_string(NotifyPhase p) {
  switch (p) {
    case NotifyPhase::kIdle:
      return "idle";
    case NotifyPhase::kSending:
      return "sending";
  }
  return "?";
}

std::string Subscription::event_header() const {
  return event_id.empty() ? package : package + ";id=" + event_id;
}

std::uint32_t seconds_left(TimePoint now, TimePoint expires_at) {
  if (expires_at <= now) return 0;
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(expires_at - now).count();
  return static_cast<std::uint32_t>((ms + 999) / 1000);
}

}  // namespace switchboard::core
