// Call forwarding (issue 7 §3): the rule table (config defaults, user-set
// rules on top), the router hooks (unconditional forwarding before
// ringing, feature codes to their application), the B2BUA's forwarding
// policy (busy, no answer and its own ringing time) and applying feature
// codes. Core thread only; user-set rules are written to the store through
// `persist`, which must not block (the application posts it to the worker
// pool).
#pragma once

#include <functional>
#include <string>

#include "common/result.hpp"
#include "core/call/call_app.hpp"
#include "core/call/forwarding_policy.hpp"
#include "core/call/router.hpp"
#include "features/forwarding/codes.hpp"
#include "features/forwarding/resolver.hpp"
#include "features/forwarding/rules.hpp"

namespace switchboard::features::forwarding {

class ForwardingService final : public core::ForwardingPolicy {
 public:
  using Persist = std::function<void(const UserRule& rule)>;

  ForwardingService(Classify classify, Persist persist);

  RuleTable& table() { return table_; }
  const RuleTable& table() const { return table_; }
  void set_codes(FeatureCodes codes) { codes_ = std::move(codes); }
  const FeatureCodes& codes() const { return codes_; }

  /// Router hook: a call for an extension with an `always` rule goes to
  /// its target (following further `always` rules, loops cut short).
  core::HookResult route_always(const core::RouteRequest& request,
                                core::RouteDecision& decision) const;
  /// Router hook: a forwarding feature code becomes a kFeatureCode target.
  core::HookResult route_feature_code(const core::RouteRequest& request,
                                      core::RouteDecision& decision) const;

  /// Applies the feature code `dialed` by `extension`: sets or clears its
  /// rule (and persists it). kInvalidArgument when it is no code or the
  /// target is refused (the message says why), kFailedPrecondition for an
  /// external target without allow_external.
  Result<CodeAction> apply_code(const std::string& extension, std::string_view dialed);

  /// The application that answers feature-code calls with a confirmation.
  core::CallAppFactory app_factory();

  // core::ForwardingPolicy
  std::optional<Duration> no_answer_timeout(std::string_view extension) const override;
  std::optional<core::RouteDecision> on_unanswered(const core::UnansweredCall& call) const override;

 private:
  Classify classify_;
  Persist persist_;
  RuleTable table_;
  FeatureCodes codes_;
};

}  // namespace switchboard::features::forwarding
