// Sentences as sequences of prompt names (prompts/en.txt): counts, numbers,
// dates and times for "You have three new messages" and a message envelope
// "Received Tuesday, November 24th at 3:45 PM from extension 1002".
// English only for now; another language gets its own functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::media::audio {

using Phrase = std::vector<std::string>;

/// 0 … 999,999 as words: 345 → three hundred forty five.
Phrase number_phrase(std::uint32_t n);
/// 1 … 31 as an ordinal: 24 → twenty fourth.
Phrase ordinal_phrase(unsigned day);
/// Each digit: "1002" → one zero zero two (extensions, phone numbers);
/// '*' and '#' are "star" and "pound"; other characters are skipped.
Phrase digits_phrase(std::string_view digits);

enum class MessageKind { kNew, kSaved };
/// "you have" (no | number) (new | saved) (message | messages).
Phrase message_count_phrase(std::uint32_t count, MessageKind kind);

/// A local date and time, already converted from UTC by the caller (the
/// mailbox owner's time zone).
struct LocalTime {
  int year = 2000;
  unsigned month = 1;    ///< 1-12
  unsigned day = 1;      ///< 1-31
  unsigned weekday = 0;  ///< 0 = Sunday … 6 = Saturday
  unsigned hour = 0;     ///< 0-23
  unsigned minute = 0;   ///< 0-59
};

/// weekday month ordinal-day "at" h (o'clock | oh m | mm) am/pm.
Phrase date_time_phrase(const LocalTime& t);
/// "received" <date_time_phrase> ["from" "extension" <digits>].
Phrase envelope_phrase(const LocalTime& received, std::string_view from_extension);

}  // namespace switchboard::media::audio
