#include "media/audio/phrases.hpp"

namespace switchboard::media::audio {
namespace {

constexpr const char* kOnes[] = {"zero",    "one",     "two",       "three",    "four",
                                 "five",    "six",     "seven",     "eight",    "nine",
                                 "ten",     "eleven",  "twelve",    "thirteen", "fourteen",
                                 "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
constexpr const char* kTens[] = {"",      "",      "twenty",  "thirty", "forty",
                                 "fifty", "sixty", "seventy", "eighty", "ninety"};
constexpr const char* kOrdinals[] = {
    "",           "first",     "second",    "third",       "fourth",     "fifth",     "sixth",
    "seventh",    "eighth",    "ninth",     "tenth",       "eleventh",   "twelfth",   "thirteenth",
    "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"};
constexpr const char* kWeekdays[] = {"sunday",   "monday", "tuesday", "wednesday",
                                     "thursday", "friday", "saturday"};
constexpr const char* kMonths[] = {"january",   "february", "march",    "april",
                                   "may",       "june",     "july",     "august",
                                   "september", "october",  "november", "december"};

// 1 … 999.
void below_thousand(std::uint32_t n, Phrase& out) {
  if (n >= 100) {
    out.emplace_back(kOnes[n / 100]);
    out.emplace_back("hundred");
    n %= 100;
  }
  if (n >= 20) {
    out.emplace_back(kTens[n / 10]);
    n %= 10;
    if (n > 0) out.emplace_back(kOnes[n]);
  } else if (n > 0) {
    out.emplace_back(kOnes[n]);
  }
}

}  // namespace

Phrase number_phrase(std::uint32_t n) {
  if (n == 0) return {"zero"};
  if (n > 999999) n = 999999;
  Phrase out;
  if (n >= 1000) {
    below_thousand(n / 1000, out);
    out.emplace_back("thousand");
    n %= 1000;
  }
  below_thousand(n, out);
  return out;
}

Phrase ordinal_phrase(unsigned day) {
  if (day == 0 || day > 31) return number_phrase(day);
  if (day < 20) return {kOrdinals[day]};
  if (day == 20) return {"twentieth"};
  if (day == 30) return {"thirtieth"};
  return {kTens[day / 10], kOrdinals[day % 10]};
}

Phrase digits_phrase(std::string_view digits) {
  Phrase out;
  for (char c : digits) {
    if (c >= '0' && c <= '9') {
      out.emplace_back(kOnes[c - '0']);
    } else if (c == '*') {
      out.emplace_back("star");
    } else if (c == '#') {
      out.emplace_back("pound");
    }
  }
  return out;
}

Phrase message_count_phrase(std::uint32_t count, MessageKind kind) {
  Phrase out{"you_have"};
  if (count == 0) {
    out.emplace_back("no");
  } else {
    auto n = number_phrase(count);
    out.insert(out.end(), n.begin(), n.end());
  }
  out.emplace_back(kind == MessageKind::kNew ? "new" : "saved");
  out.emplace_back(count == 1 ? "message" : "messages");
  return out;
}

Phrase date_time_phrase(const LocalTime& t) {
  Phrase out;
  out.emplace_back(kWeekdays[t.weekday % 7]);
  out.emplace_back(kMonths[(t.month + 11) % 12]);
  auto day = ordinal_phrase(t.day);
  out.insert(out.end(), day.begin(), day.end());
  out.emplace_back("at");
  unsigned h12 = t.hour % 12 == 0 ? 12 : t.hour % 12;
  out.emplace_back(kOnes[h12]);
  if (t.minute == 0) {
    out.emplace_back("o_clock");
  } else {
    if (t.minute < 10) out.emplace_back("oh");
    auto m = number_phrase(t.minute);
    out.insert(out.end(), m.begin(), m.end());
  }
  out.emplace_back(t.hour < 12 ? "am" : "pm");
  return out;
}

Phrase envelope_phrase(const LocalTime& received, std::string_view from_extension) {
  Phrase out{"received"};
  auto dt = date_time_phrase(received);
  out.insert(out.end(), dt.begin(), dt.end());
  if (!from_extension.empty()) {
    out.emplace_back("from");
    out.emplace_back("extension");
    auto d = digits_phrase(from_extension);
    out.insert(out.end(), d.begin(), d.end());
  }
  return out;
}

}  // namespace switchboard::media::audio
