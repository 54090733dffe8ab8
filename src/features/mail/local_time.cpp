#include "features/mail/local_time.hpp"

#include <fmt/format.h>

#include <ctime>

namespace switchboard::features::mail {
namespace {

using std::chrono::days;
using std::chrono::floor;
using std::chrono::seconds;

struct Parts {
  std::chrono::year_month_day ymd;
  std::chrono::hh_mm_ss<seconds> hms;
  std::chrono::weekday wd;
};

Parts local_parts(store::Timestamp t, const UtcOffsetFn& offset) {
  const auto local = floor<seconds>(t) + (offset ? offset(t) : seconds{0});
  const auto day = floor<days>(local);
  return {std::chrono::year_month_day{day}, std::chrono::hh_mm_ss<seconds>{local - day},
          std::chrono::weekday{day}};
}

}  // namespace

std::chrono::seconds system_utc_offset(store::Timestamp t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(
      std::chrono::time_point_cast<std::chrono::system_clock::duration>(t));
  std::tm tm{};
  if (localtime_r(&tt, &tm) == nullptr) return seconds{0};
  return seconds{tm.tm_gmtoff};
}

std::string local_timestamp(store::Timestamp t, const UtcOffsetFn& offset) {
  const auto p = local_parts(t, offset);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", static_cast<int>(p.ymd.year()),
                     static_cast<unsigned>(p.ymd.month()), static_cast<unsigned>(p.ymd.day()),
                     p.hms.hours().count(), p.hms.minutes().count(), p.hms.seconds().count());
}

std::string local_date(store::Timestamp t, const UtcOffsetFn& offset) {
  return local_timestamp(t, offset).substr(0, 10);
}

std::string local_clock(store::Timestamp t, const UtcOffsetFn& offset) {
  return local_timestamp(t, offset).substr(11, 5);
}

std::string rfc5322_date(store::Timestamp t, const UtcOffsetFn& offset) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto p = local_parts(t, offset);
  const auto off = (offset ? offset(t) : seconds{0}).count() / 60;
  const long abs_off = off < 0 ? -off : off;
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} {}{:02}{:02}", kDays[p.wd.c_encoding()],
                     static_cast<unsigned>(p.ymd.day()),
                     kMonths[static_cast<unsigned>(p.ymd.month()) - 1],
                     static_cast<int>(p.ymd.year()), p.hms.hours().count(), p.hms.minutes().count(),
                     p.hms.seconds().count(), off < 0 ? '-' : '+', abs_off / 60, abs_off % 60);
}

std::string format_duration(std::int64_t duration_ms) {
  const std::int64_t s = duration_ms < 0 ? 0 : (duration_ms + 500) / 1000;
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

}  // namespace switchboard::features::mail
