#include "sip/event_headers.hpp"

#include "sip/grammar.hpp"

namespace switchboard::sip {
namespace {

std::optional<std::uint32_t> uint_param(const ParamList& params, std::string_view name) {
  const auto v = params.get(name);
  std::uint64_t n = 0;
  if (!v || !grammar::parse_uint(*v, 0xFFFFFFFFu, n)) return std::nullopt;
  return static_cast<std::uint32_t>(n);
}

}  // namespace

Result<Event> parse_event(std::string_view value) {
  Event e;
  std::string_view s = grammar::trim(value);
  const std::size_t n = grammar::token_length(s);
  e.package = s.substr(0, n);
  s = s.substr(n);
  if (e.package.empty() || !parse_header_params(s, e.params) || !s.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "Bad Event");
  }
  return e;
}

std::optional<std::uint32_t> SubscriptionState::expires() const {
  return uint_param(params, "expires");
}

std::optional<std::uint32_t> SubscriptionState::retry_after() const {
  return uint_param(params, "retry-after");
}

Result<SubscriptionState> parse_subscription_state(std::string_view value) {
  SubscriptionState st;
  std::string_view s = grammar::trim(value);
  const std::size_t n = grammar::token_length(s);
  st.state = s.substr(0, n);
  s = s.substr(n);
  if (st.state.empty() || !parse_header_params(s, st.params) || !s.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "Bad Subscription-State");
  }
  if (grammar::iequals(st.state, "active")) {
    st.value = SubscriptionStateValue::kActive;
  } else if (grammar::iequals(st.state, "pending")) {
    st.value = SubscriptionStateValue::kPending;
  } else if (grammar::iequals(st.state, "terminated")) {
    st.value = SubscriptionStateValue::kTerminated;
  }
  return st;
}

}  // namespace switchboard::sip
