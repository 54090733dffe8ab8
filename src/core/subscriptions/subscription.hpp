// One subscription: a SUBSCRIBE-created dialog usage (RFC 6665 §4.1) and
// its two explicit state machines —
//   phase:  Active → Terminating (final NOTIFY pending) → removed;
//   notify: Idle ⇄ Sending (one NOTIFY in flight, so they arrive in CSeq
//           order; a newer state waiting for it replaces an older one).
// Plain data driven by SubscriptionServer on the core thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/timers.hpp"
#include "sip/dialog/dialog.hpp"
#include "sip/transport/transport.hpp"

namespace switchboard::core {

enum class SubscriptionPhase { kActive, kTerminating };
enum class NotifyPhase { kIdle, kSending };

const char* to_string(SubscriptionPhase p);
const char* to_string(NotifyPhase p);

struct Subscription {
  std::uint64_t id = 0;
  std::string package;
  std::string event_id;    ///< Event "id" parameter, echoed in every NOTIFY
  std::string resource;    ///< what is watched (e.g. the mailbox)
  std::string subscriber;  ///< the authenticated user
  sip::Dialog dialog;
  sip::Destination peer;  ///< where NOTIFYs go: the SUBSCRIBE's source (NAT)

  SubscriptionPhase phase = SubscriptionPhase::kActive;
  std::string end_reason;  ///< Terminating: the reason of the final NOTIFY
  TimePoint expires_at{};
  TimerId expiry_timer = 0;

  /// Generation of the latest state fetch; an answer to an older one (or
  /// one overtaken by a published change) is dropped.
  std::uint64_t fetch_generation = 0;
  bool fetching = false;

  NotifyPhase notify = NotifyPhase::kIdle;
  std::optional<std::string> queued_body;  ///< newest state not sent yet
  std::string last_body;                   ///< the state last sent

  /// "Event" header value: package[;id=…].
  std::string event_header() const;
};

/// Seconds left until `expires_at`, rounded up, never negative.
std::uint32_t seconds_left(TimePoint now, TimePoint expires_at);

}  // namespace switchboard::core
