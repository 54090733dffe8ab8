// Wall-clock helpers for e-mail dates and the daily reminder, which speak
// the office's local time. The UTC offset is a function of the instant (DST
// changes it), injected so tests run in any zone without touching TZ.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "store/time.hpp"

namespace switchboard::features::mail {

/// Local time minus UTC at instant t.
using UtcOffsetFn = std::function<std::chrono::seconds(store::Timestamp)>;

/// The process's time zone (localtime_r's tm_gmtoff).
std::chrono::seconds system_utc_offset(store::Timestamp t);

/// "YYYY-MM-DD HH:MM:SS" in local time.
std::string local_timestamp(store::Timestamp t, const UtcOffsetFn& offset);
/// "YYYY-MM-DD" in local time.
std::string local_date(store::Timestamp t, const UtcOffsetFn& offset);
/// "HH:MM" in local time.
std::string local_clock(store::Timestamp t, const UtcOffsetFn& offset);
/// RFC 5322 date with its numeric zone: "Tue, 24 Nov 2026 21:08:31 +0100".
std::string rfc5322_date(store::Timestamp t, const UtcOffsetFn& offset);
/// "m:ss" (or "h:mm:ss" from an hour on).
std::string format_duration(std::int64_t duration_ms);

}  // namespace switchboard::features::mail
