// Call forwarding rules (issue 7 §3): per extension a target for each
// condition — always, on busy, on no answer (with its own ringing time).
// A target is an extension or queue number, the literal `voicemail` (the
// extension's own mailbox) or an external number. The table keeps the
// config's rules as defaults and what the extension set itself (feature
// codes, the API) on top: a user-set value overrides until it is reset,
// and a user-set "off" turns a configured rule off.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::features::forwarding {

enum class Condition { kAlways, kBusy, kNoAnswer };

/// "always", "busy", "no_answer".
const char* to_string(Condition c);
std::optional<Condition> condition_from(std::string_view text);
inline constexpr Condition kAllConditions[] = {Condition::kAlways, Condition::kBusy,
                                               Condition::kNoAnswer};

/// The target that means "the extension's own mailbox".
inline constexpr std::string_view kVoicemailTarget = "voicemail";

/// One extension's configured forwarding ("" = no rule).
struct Rules {
  std::string always, busy, no_answer;
  std::optional<std::chrono::seconds> no_answer_timeout;  ///< unset: voicemail.no_answer_timeout

  const std::string& target(Condition c) const;
  std::string& target(Condition c);
};

/// A rule the extension set itself; an empty target turns the condition off.
struct UserRule {
  std::string extension;
  Condition condition = Condition::kAlways;
  std::string target;
};

class RuleTable {
 public:
  /// The config's rules and which extensions may forward outside.
  void set_defaults(std::map<std::string, Rules> rules, std::set<std::string> allow_external);
  /// Replaces every user-set rule (start-up, from the store).
  void set_user_rules(const std::vector<UserRule>& rules);
  /// Sets (or, with reset, removes) one user-set rule.
  void set_user_rule(const UserRule& rule);
  void reset_user_rule(const std::string& extension, Condition c);

  /// The target in force for `extension` and `c`; "" = none.
  std::string effective(std::string_view extension, Condition c) const;
  /// The configured rule ignoring user-set ones ("" = none).
  std::string configured(std::string_view extension, Condition c) const;
  std::optional<std::chrono::seconds> no_answer_timeout(std::string_view extension) const;
  bool allow_external(std::string_view extension) const;

 private:
  std::map<std::string, Rules, std::less<>> defaults_;
  std::set<std::string, std::less<>> allow_external_;
  /// extension → condition → target ("" = off)
  std::map<std::string, std::map<Condition, std::string>, std::less<>> user_;
};

}  // namespace switchboard::features::forwarding
