// Counters of the security layer, exposed under "security" in
// GET /api/v1/status (and by the Prometheus endpoint of a later issue).
#pragma once

#include <cstdint>

namespace switchboard::core {

struct SecurityStats {
  uint64_t challenges = 0;          ///< 401/407 sent
  uint64_t auth_ok = 0;             ///< requests whose credentials verified
  uint64_t auth_failures = 0;       ///< wrong password or unknown user
  uint64_t bans = 0;                ///< sources banned so far
  uint64_t dropped_banned = 0;      ///< packets dropped from banned sources
  uint64_t dropped_rate_limited = 0;
  uint64_t allow_listed = 0;        ///< packets from allow-listed sources
  uint64_t active_bans = 0;         ///< banned right now
};

}  // namespace switchboard::core
