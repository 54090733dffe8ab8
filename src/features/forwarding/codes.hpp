// Forwarding feature codes (issue 7 §3), as common PBXes have them:
// `*72<number>` forwards every call, `*73` turns that off; `*90<number>` /
// `*91` on busy; `*92<number>` / `*93` on no answer. Configurable under
// features.forwarding_codes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "features/forwarding/rules.hpp"

namespace switchboard::features::forwarding {

struct FeatureCodes {
  std::string set_always = "*72", clear_always = "*73";
  std::string set_busy = "*90", clear_busy = "*91";
  std::string set_no_answer = "*92", clear_no_answer = "*93";
};

struct CodeAction {
  Condition condition = Condition::kAlways;
  bool set = false;    ///< false: turn the condition off
  std::string target;  ///< set: the digits after the code (may be empty: an error)
};

/// The action of `dialed`, or nullopt when it is not a forwarding code. A
/// set code is followed by digits only; a clear code stands alone.
std::optional<CodeAction> parse_code(const FeatureCodes& codes, std::string_view dialed);

}  // namespace switchboard::features::forwarding
