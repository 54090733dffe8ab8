#include "store/time.hpp"

#include <fmt/format.h>

#include <charconv>

namespace switchboard::store {
namespace {

using std::chrono::days;
using std::chrono::milliseconds;

struct Parts {
  int year, month, day, hour, minute, second, millis;
};

Parts split(Timestamp t) {
  auto day_point = std::chrono::floor<days>(t);
  std::chrono::year_month_day ymd{day_point};
  std::chrono::hh_mm_ss<milliseconds> hms{t - day_point};
  return {static_cast<int>(ymd.year()),
          static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day())),
          static_cast<int>(hms.hours().count()),
          static_cast<int>(hms.minutes().count()),
          static_cast<int>(hms.seconds().count()),
          static_cast<int>(hms.subseconds().count())};
}

bool number(std::string_view text, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > text.size()) return false;
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  std::from_chars(text.data() + pos, text.data() + pos + len, out);
  return true;
}

Error bad(std::string_view text) {
  return make_error(ErrorCode::kInvalidArgument, fmt::format("malformed timestamp '{}'", text));
}

}  // namespace

Timestamp system_now() {
  return std::chrono::floor<milliseconds>(std::chrono::system_clock::now());
}

std::string to_iso(Timestamp t) {
  Parts p = split(t);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", p.year, p.month, p.day, p.hour,
                     p.minute, p.second, p.millis);
}

std::string to_sql_timestamp(Timestamp t) {
  Parts p = split(t);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", p.year, p.month, p.day, p.hour,
                     p.minute, p.second);
}

Result<Timestamp> parse_timestamp(std::string_view text) {
  Parts p{};
  if (!number(text, 0, 4, p.year) || text.size() < 19 || text[4] != '-' ||
      !number(text, 5, 2, p.month) || text[7] != '-' || !number(text, 8, 2, p.day) ||
      (text[10] != 'T' && text[10] != ' ') || !number(text, 11, 2, p.hour) || text[13] != ':' ||
      !number(text, 14, 2, p.minute) || text[16] != ':' || !number(text, 17, 2, p.second)) {
    return bad(text);
  }
  std::size_t i = 19;
  if (i < text.size() && text[i] == '.') {
    int scale = 100;
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      p.millis += (text[i] - '0') * scale;
      scale /= 10;
    }
  }
  std::string_view zone = text.substr(i);
  if (!(zone.empty() || zone == "Z" || zone == "+00" || zone == "+00:00" || zone == "+0000")) {
    return bad(text);
  }
  std::chrono::year_month_day ymd{std::chrono::year{p.year},
                                  std::chrono::month{static_cast<unsigned>(p.month)},
                                  std::chrono::day{static_cast<unsigned>(p.day)}};
  if (!ymd.ok() || p.hour > 23 || p.minute > 59 || p.second > 60) return bad(text);
  return Timestamp{std::chrono::sys_days{ymd} + std::chrono::hours{p.hour} +
                   std::chrono::minutes{p.minute} + std::chrono::seconds{p.second} +
                   milliseconds{p.millis}};
}

std::string normalise_timestamp(std::string_view text) {
  auto t = parse_timestamp(text);
  if (!t) return std::string(text);
  Parts p = split(*t);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", p.year, p.month, p.day, p.hour,
                     p.minute, p.second);
}

}  // namespace switchboard::store
