// features.call_codes (issue 7 §2): feature codes during relayed calls.
// Each code is 1-8 DTMF characters (0-9 * # A-D) and none starts another
// (the digits are matched as they come).
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "app/config/sections.hpp"

namespace switchboard::app::config {

void parse_call_codes(Section& s, CallCodesConfig& out) {
  out.enabled = true;
  s.boolean("enabled", out.enabled);
  const std::array<std::pair<const char*, std::string*>, 6> codes{{
      {"blind_transfer", &out.blind_transfer},
      {"park", &out.park},
      {"record_toggle", &out.record_toggle},
      {"attended_transfer", &out.attended_transfer},
      {"three_way", &out.three_way},
      {"cancel_consultation", &out.cancel_consultation},
  }};
  std::array<bool, codes.size()> valid{};
  for (std::size_t i = 0; i < codes.size(); ++i) {
    const auto& [key, field] = codes[i];
    s.str(key, *field);
    const std::string& code = *field;
    valid[i] =
        !code.empty() && code.size() <= 8 && std::all_of(code.begin(), code.end(), [](char c) {
          return (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D');
        });
    if (!valid[i]) {
      s.context().error(s.mark_of(key), s.path_of(key),
                        "expected 1 to 8 DTMF characters (0-9, *, #, A-D), e.g. ##");
    }
  }
  for (std::size_t i = 0; i < codes.size(); ++i) {
    for (std::size_t j = 0; j < codes.size(); ++j) {
      if (i == j || !valid[i] || !valid[j] || !codes[j].second->starts_with(*codes[i].second))
        continue;
      // Reported at the longer one (the one that can never be reached); a
      // code used twice is reported once.
      if (*codes[i].second == *codes[j].second && j < i) continue;
      s.context().error(s.mark_of(codes[j].first), s.path_of(codes[j].first),
                        fmt::format("{} begins with {} \"{}\": codes must not start one another",
                                    codes[j].first, codes[i].first, *codes[i].second));
    }
  }
  s.integer("inter_digit_timeout", out.inter_digit_timeout, 1, 30);
  s.finish_unknown_keys();
}

}  // namespace switchboard::app::config
