#include "core/call/router.hpp"

namespace switchboard::core {

Router::Router(Dialplan dialplan, ExtensionExists exists)
    : dialplan_(std::move(dialplan)), exists_(std::move(exists)) {}

void Router::add_hook(std::string name, RouteHook hook) {
  hooks_.push_back({std::move(name), std::move(hook)});
}

TargetKind Router::classify(std::string_view dialed) const {
  const TargetKind k = dialplan_.classify(dialed);
  if (k == TargetKind::kExtension && (!exists_ || !exists_(dialed))) return TargetKind::kNone;
  return k;
}

RouteDecision Router::route(const RouteRequest& req) const {
  RouteDecision d;
  d.kind = dialplan_.classify(req.dialed);
  d.target = req.dialed;
  switch (d.kind) {
    case TargetKind::kNone:
      // Hooks may still claim it (a voicemail main number outside every pattern).
      d.reject_status = 404;
      d.reason = "Not Found";
      break;
    case TargetKind::kExtension:
      if (!exists_ || !exists_(req.dialed)) {
        d.reject_status = 404;
        d.reason = "Not Found";
        return d;
      }
      break;
    case TargetKind::kExternal:
      // Permissions are checked at routing time, on what the caller dialed.
      if (!req.caller_allow_external) {
        d.reject_status = 403;
        d.reason = "Forbidden";
        return d;
      }
      break;
    default:
      break;
  }
  for (const auto& h : hooks_) {
    if (h.hook(req, d) == HookResult::kHandled) {
      d.decided_by = h.name;
      break;
    }
  }
  return d;
}

}  // namespace switchboard::core
