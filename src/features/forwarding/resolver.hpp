// Following forwarding rules at decision time (issue 7 §3): from the rule
// that applies to the extension called, on through the `always` rules of
// each extension the call is sent to, with a visited set and a hop limit.
// A loop (A→B→A, A→B→C→A) stops at the last extension not yet visited,
// which then rings; the decision says a loop was cut short.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/call/router.hpp"
#include "features/forwarding/rules.hpp"

namespace switchboard::features::forwarding {

/// What a number is (the dialplan, kNone for an unknown extension).
using Classify = std::function<core::TargetKind(std::string_view number)>;

/// At most this many forwarding hops per decision.
inline constexpr int kMaxHops = 5;

struct Resolution {
  /// Where the call goes (forwarded_from/forward_reason/forward_loop set);
  /// nullopt: no rule applies, it stays with the extension called.
  std::optional<core::RouteDecision> route;
  bool loop = false;    ///< a loop or an over-long chain was cut short
  std::string refused;  ///< a rule that was not followed, and why (for the log)
};

/// Whether `target` may be a forwarding rule of `extension`: "" when it
/// may, else why not (an unknown number, itself, outside without
/// allow_external, a kind of number calls cannot be forwarded to).
std::string check_target(const RuleTable& table, const Classify& classify,
                         std::string_view extension, std::string_view target);

/// The forwarding of a call for `extension` under `first`; `visited` are
/// extensions the call already rang or passed through.
Resolution resolve(const RuleTable& table, const Classify& classify, std::string_view extension,
                   Condition first, const std::vector<std::string>& visited = {});

}  // namespace switchboard::features::forwarding
