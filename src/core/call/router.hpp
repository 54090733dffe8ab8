// The Router (DESIGN §2): turns a dialed string into a target with the
// dialplan, enforces the caller's permissions (allow_external, issue 4 §6),
// then runs the policy hooks in order — VIP lookup, operator interception,
// calendar routing plug in here later, without touching the B2BUA. A hook
// may pass (kContinue), or decide (kHandled: redirect or reject, and the
// chain stops).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/call/dialplan.hpp"

namespace switchboard::core {

struct RouteRequest {
  std::string call_id;
  std::string caller;  ///< the caller's extension (authenticated)
  bool caller_allow_external = false;
  std::string dialed;  ///< the Request-URI user part
};

struct RouteDecision {
  TargetKind kind = TargetKind::kNone;
  std::string target;     ///< what to reach (extension number, queue number …)
  int reject_status = 0;  ///< non-zero: answer the caller with this status
  std::string reason;     ///< reason phrase / log text for a rejection
  std::string decided_by = "dialplan";
  /// Set by call forwarding (issue 7 §3): the extension whose rule sent the
  /// call to `target`, why ("always", "busy", "no_answer"), and whether a
  /// forwarding loop was cut short on the way.
  std::string forwarded_from;
  std::string forward_reason;
  bool forward_loop = false;

  bool rejected() const { return reject_status != 0; }
};

enum class HookResult { kContinue, kHandled };

using RouteHook = std::function<HookResult(const RouteRequest&, RouteDecision&)>;

class Router {
 public:
  using ExtensionExists = std::function<bool(std::string_view number)>;

  Router(Dialplan dialplan, ExtensionExists exists);

  /// Appends a hook; hooks run in the order they were added.
  void add_hook(std::string name, RouteHook hook);
  void set_dialplan(Dialplan dialplan) { dialplan_ = std::move(dialplan); }

  RouteDecision route(const RouteRequest& request) const;
  /// The dialplan's kind of `dialed` without permissions or hooks; kNone
  /// for an extension number that does not exist (call forwarding checks
  /// its targets with this, from inside a hook).
  TargetKind classify(std::string_view dialed) const;

 private:
  struct NamedHook {
    std::string name;
    RouteHook hook;
  };
  Dialplan dialplan_;
  ExtensionExists exists_;
  std::vector<NamedHook> hooks_;
};

}  // namespace switchboard::core
