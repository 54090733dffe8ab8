#include "features/forwarding/rules.hpp"

namespace switchboard::features::forwarding {

const char* to_string(Condition c) {
  switch (c) {
    case Condition::kAlways:
      return "always";
    case Condition::kBusy:
      return "busy";
    case Condition::kNoAnswer:
      return "no_answer";
  }
  return "always";
}

std::optional<Condition> condition_from(std::string_view text) {
  for (Condition c : kAllConditions) {
    if (text == to_string(c)) return c;
  }
  return std::nullopt;
}

const std::string& Rules::target(Condition c) const {
  return c == Condition::kAlways ? always : c == Condition::kBusy ? busy : no_answer;
}

std::string& Rules::target(Condition c) {
  return c == Condition::kAlways ? always : c == Condition::kBusy ? busy : no_answer;
}

void RuleTable::set_defaults(std::map<std::string, Rules> rules,
                             std::set<std::string> allow_external) {
  defaults_.clear();
  for (auto& [ext, r] : rules) defaults_.emplace(ext, std::move(r));
  allow_external_.clear();
  for (auto& e : allow_external) allow_external_.insert(e);
}

void RuleTable::set_user_rules(const std::vector<UserRule>& rules) {
  user_.clear();
  for (const auto& r : rules) set_user_rule(r);
}

void RuleTable::set_user_rule(const UserRule& rule) {
  user_[rule.extension][rule.condition] = rule.target;
}

void RuleTable::reset_user_rule(const std::string& extension, Condition c) {
  auto it = user_.find(extension);
  if (it == user_.end()) return;
  it->second.erase(c);
  if (it->second.empty()) user_.erase(it);
}

std::string RuleTable::configured(std::string_view extension, Condition c) const {
  auto it = defaults_.find(extension);
  return it == defaults_.end() ? std::string() : it->second.target(c);
}

std::string RuleTable::effective(std::string_view extension, Condition c) const {
  if (auto it = user_.find(extension); it != user_.end()) {
    if (auto rule = it->second.find(c); rule != it->second.end()) return rule->second;
  }
  return configured(extension, c);
}

std::optional<std::chrono::seconds> RuleTable::no_answer_timeout(std::string_view extension) const {
  auto it = defaults_.find(extension);
  if (it == defaults_.end()) return std::nullopt;
  return it->second.no_answer_timeout;
}

bool RuleTable::allow_external(std::string_view extension) const {
  return allow_external_.count(extension) > 0;
}

}  // namespace switchboard::features::forwarding
