// Event (RFC 6665 §8.2.1, compact "o") and Subscription-State (§8.2.3), the
// headers that carry SUBSCRIBE/NOTIFY state for presence, BLF and MWI.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/result.hpp"
#include "sip/params.hpp"

namespace switchboard::sip {

struct Event {
  std::string_view package;  ///< event-type, e.g. "presence", "message-summary", "dialog"
  ParamList params;
  std::optional<std::string_view> id() const { return params.get("id"); }
};

Result<Event> parse_event(std::string_view value);

enum class SubscriptionStateValue { kActive, kPending, kTerminated, kOther };

struct SubscriptionState {
  std::string_view state;  ///< as written
  SubscriptionStateValue value = SubscriptionStateValue::kOther;
  ParamList params;
  std::optional<std::uint32_t> expires() const;
  std::optional<std::uint32_t> retry_after() const;
  std::optional<std::string_view> reason() const { return params.get("reason"); }
};

Result<SubscriptionState> parse_subscription_state(std::string_view value);

}  // namespace switchboard::sip
