// Headers that name or time a dialog: Replaces (RFC 3891 §6.1) and
// Session-Expires / Min-SE (RFC 4028 §4, §5).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/result.hpp"
#include "sip/params.hpp"

namespace switchboard::sip {

struct Replaces {
  std::string_view call_id;
  std::string_view to_tag;
  std::string_view from_tag;
  bool early_only = false;
  ParamList params;
};

/// callid *(SEMI replaces-param); to-tag and from-tag are mandatory.
Result<Replaces> parse_replaces(std::string_view value);

enum class Refresher { kUnspecified, kUac, kUas };

struct SessionExpires {
  std::uint32_t delta_seconds = 0;
  Refresher refresher = Refresher::kUnspecified;
  ParamList params;
};

/// delta-seconds *(SEMI se-params); also parses Min-SE (which has no refresher).
Result<SessionExpires> parse_session_expires(std::string_view value);

}  // namespace switchboard::sip
