#include "features/forwarding/resolver.hpp"

#include <fmt/format.h>

#include <set>

namespace switchboard::features::forwarding {

std::string check_target(const RuleTable& table, const Classify& classify,
                         std::string_view extension, std::string_view target) {
  if (target.empty()) return "no target";
  if (target == kVoicemailTarget) return {};
  if (target == extension) return "an extension cannot forward to itself";
  switch (classify(target)) {
    case core::TargetKind::kExtension:
    case core::TargetKind::kQueue:
      return {};
    case core::TargetKind::kExternal:
      if (!table.allow_external(extension)) {
        return fmt::format(
            "{} is an external number and extension {} may not call outside "
            "(allow_external)",
            target, extension);
      }
      return {};
    case core::TargetKind::kNone:
      return fmt::format("{} is no extension, queue or external number", target);
    default:
      return fmt::format("calls cannot be forwarded to {}", target);
  }
}

Resolution resolve(const RuleTable& table, const Classify& classify, std::string_view extension,
                   Condition first, const std::vector<std::string>& visited) {
  Resolution res;
  std::set<std::string, std::less<>> seen(visited.begin(), visited.end());
  seen.emplace(extension);
  std::string current(extension);
  Condition condition = first;
  for (int hop = 0;; ++hop) {
    const std::string target = table.effective(current, condition);
    if (target.empty()) break;
    if (hop == kMaxHops) {  // a chain this long is a loop in all but name
      res.loop = true;
      break;
    }
    if (auto why = check_target(table, classify, current, target); !why.empty()) {
      res.refused = fmt::format("{} {} → {}: {}", current, to_string(condition), target, why);
      break;
    }
    core::RouteDecision d;
    d.decided_by = "forwarding";
    d.forwarded_from = current;
    d.forward_reason = to_string(condition);
    if (target == kVoicemailTarget) {
      d.kind = core::TargetKind::kVoicemail;
      d.target = current;  // the mailbox of the extension whose rule it is
      res.route = d;
      break;
    }
    d.kind = classify(target);
    d.target = target;
    if (d.kind != core::TargetKind::kExtension) {
      res.route = d;
      break;
    }
    if (seen.count(target)) {
      res.loop = true;  // ring the last extension not yet visited
      break;
    }
    seen.insert(target);
    res.route = d;
    current = target;
    condition = Condition::kAlways;  // further on, only unconditional rules apply now
  }
  if (res.route) res.route->forward_loop = res.loop;
  return res;
}

}  // namespace switchboard::features::forwarding
