#include "features/forwarding/service.hpp"

#include <fmt/format.h>

#include "common/log.hpp"
#include "features/forwarding/feature_code_app.hpp"

namespace switchboard::features::forwarding {

ForwardingService::ForwardingService(Classify classify, Persist persist)
    : classify_(std::move(classify)), persist_(std::move(persist)) {}

core::HookResult ForwardingService::route_always(const core::RouteRequest& rq,
                                                 core::RouteDecision& d) const {
  if (d.rejected() || d.kind != core::TargetKind::kExtension) return core::HookResult::kContinue;
  // The caller counts as visited: a rule back to the caller is a loop.
  auto res = resolve(table_, classify_, d.target, Condition::kAlways, {rq.caller});
  auto logger = log::get("forwarding");
  if (!res.refused.empty()) logger->warn("call {}: rule not followed: {}", rq.call_id, res.refused);
  if (res.loop) {
    logger->warn("call {}: forwarding loop from {} stopped at {}", rq.call_id, d.target,
                 res.route ? res.route->target : d.target);
  }
  if (!res.route) return core::HookResult::kContinue;
  logger->info("call {}: {} forwards every call to {} {}", rq.call_id, d.target,
               core::to_string(res.route->kind), res.route->target);
  d = *res.route;
  return core::HookResult::kHandled;
}

core::HookResult ForwardingService::route_feature_code(const core::RouteRequest& rq,
                                                       core::RouteDecision& d) const {
  if (!parse_code(codes_, rq.dialed)) return core::HookResult::kContinue;
  d = core::RouteDecision{};
  d.kind = core::TargetKind::kFeatureCode;
  d.target = rq.dialed;
  return core::HookResult::kHandled;
}

Result<CodeAction> ForwardingService::apply_code(const std::string& extension,
                                                 std::string_view dialed) {
  auto action = parse_code(codes_, dialed);
  if (!action) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{} is no feature code", dialed));
  }
  if (action->set) {
    if (auto why = check_target(table_, classify_, extension, action->target); !why.empty()) {
      const bool outside = classify_(action->target) == core::TargetKind::kExternal;
      return make_error(outside ? ErrorCode::kFailedPrecondition : ErrorCode::kInvalidArgument,
                        why);
    }
  }
  UserRule rule{extension, action->condition, action->set ? action->target : std::string()};
  table_.set_user_rule(rule);
  if (persist_) persist_(rule);
  log::get("forwarding")
      ->info("extension {} set forwarding {} {}", extension, to_string(rule.condition),
             rule.target.empty() ? "off" : "to " + rule.target);
  return *action;
}

core::CallAppFactory ForwardingService::app_factory() {
  return [this](const core::AppCallInfo& info) -> core::CallAppPtr {
    if (info.kind != core::TargetKind::kFeatureCode) return nullptr;
    return std::make_unique<FeatureCodeApp>(*this);
  };
}

std::optional<Duration> ForwardingService::no_answer_timeout(std::string_view extension) const {
  // The extension's own ringing time counts while it forwards on no answer.
  if (table_.effective(extension, Condition::kNoAnswer).empty()) return std::nullopt;
  auto t = table_.no_answer_timeout(extension);
  if (!t) return std::nullopt;
  return std::chrono::duration_cast<Duration>(*t);
}

std::optional<core::RouteDecision> ForwardingService::on_unanswered(
    const core::UnansweredCall& call) const {
  const Condition condition =
      call.reason == core::AppReason::kBusy ? Condition::kBusy : Condition::kNoAnswer;
  auto visited = call.visited;
  visited.push_back(call.caller);  // never forwarded back to the caller's own phone
  auto res = resolve(table_, classify_, call.extension, condition, visited);
  auto logger = log::get("forwarding");
  if (!res.refused.empty()) {
    logger->warn("call {}: rule not followed: {}", call.call_id, res.refused);
  }
  if (res.route) {
    if (res.loop) {
      logger->warn("call {}: forwarding loop stopped at {}", call.call_id, res.route->target);
    }
    return res.route;
  }
  if (!res.loop) return std::nullopt;
  // The rule points back at an extension this call already rang: stop
  // here, in this extension's mailbox, and say why.
  logger->warn("call {}: forwarding loop: {} {} leads back, to its mailbox instead", call.call_id,
               call.extension, to_string(condition));
  core::RouteDecision d;
  d.kind = core::TargetKind::kVoicemail;
  d.target = call.extension;
  d.decided_by = "forwarding";
  d.forwarded_from = call.extension;
  d.forward_reason = to_string(condition);
  d.forward_loop = true;
  return d;
}

}  // namespace switchboard::features::forwarding
