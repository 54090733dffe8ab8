#include "features/forwarding/codes.hpp"

#include <algorithm>

namespace switchboard::features::forwarding {

std::optional<CodeAction> parse_code(const FeatureCodes& codes, std::string_view dialed) {
  const struct {
    const std::string& set;
    const std::string& clear;
    Condition condition;
  } table[] = {{codes.set_always, codes.clear_always, Condition::kAlways},
               {codes.set_busy, codes.clear_busy, Condition::kBusy},
               {codes.set_no_answer, codes.clear_no_answer, Condition::kNoAnswer}};
  for (const auto& row : table) {
    if (!row.clear.empty() && dialed == row.clear) return CodeAction{row.condition, false, {}};
  }
  for (const auto& row : table) {
    if (row.set.empty() || !dialed.starts_with(row.set)) continue;
    const std::string_view rest = dialed.substr(row.set.size());
    if (!std::all_of(rest.begin(), rest.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
      continue;
    }
    return CodeAction{row.condition, true, std::string(rest)};
  }
  return std::nullopt;
}

}  // namespace switchboard::features::forwarding
