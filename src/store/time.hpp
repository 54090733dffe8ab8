// Time as the store keeps it. Our own tables hold ISO-8601 UTC text with
// milliseconds ("2024-05-01T12:00:00.000Z") on both engines, so values sort
// and compare identically as strings; the VIP table keeps the requirements'
// SQL TIMESTAMP columns, read back as "YYYY-MM-DDTHH:MM:SSZ".
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace switchboard::store {

using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

/// Where repositories get "now" (created_at, updated_at, audit time). Tests
/// pass a fixed clock; production uses system_now.
using NowFn = std::function<Timestamp()>;

Timestamp system_now();

/// "YYYY-MM-DDTHH:MM:SS.mmmZ".
std::string to_iso(Timestamp t);

/// "YYYY-MM-DD HH:MM:SS": a literal both SQLite and a PostgreSQL TIMESTAMP
/// column accept, in UTC (the PostgreSQL session runs with TimeZone=UTC).
std::string to_sql_timestamp(Timestamp t);

/// Parses "YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|+00[:00]]" (UTC only); extra
/// fraction digits are truncated to milliseconds.
Result<Timestamp> parse_timestamp(std::string_view text);

/// Any accepted timestamp text as "YYYY-MM-DDTHH:MM:SSZ"; malformed text is
/// returned unchanged (it came from a column another program may write).
std::string normalise_timestamp(std::string_view text);

}  // namespace switchboard::store
