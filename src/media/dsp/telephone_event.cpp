#include "media/dsp/telephone_event.hpp"

#include <string_view>

namespace switchboard::media::dsp {
namespace {
constexpr std::string_view kDigits = "0123456789*#ABCD";
}

std::optional<TelephoneEvent> parse_telephone_event(std::span<const std::uint8_t> payload) {
  if (payload.size() < kTelephoneEventSize) return std::nullopt;
  TelephoneEvent e;
  e.event = payload[0];
  e.end = (payload[1] & 0x80) != 0;
  e.volume = payload[1] & 0x3F;  // bit 6 is reserved: ignored on receipt
  e.duration = static_cast<std::uint16_t>((payload[2] << 8) | payload[3]);
  return e;
}

std::array<std::uint8_t, kTelephoneEventSize> serialize(const TelephoneEvent& e) {
  return {e.event, static_cast<std::uint8_t>((e.end ? 0x80 : 0x00) | (e.volume & 0x3F)),
          static_cast<std::uint8_t>(e.duration >> 8), static_cast<std::uint8_t>(e.duration)};
}

std::optional<std::uint8_t> dtmf_event_of(char digit) {
  if (digit >= 'a' && digit <= 'd') digit = static_cast<char>(digit - 'a' + 'A');
  const auto pos = kDigits.find(digit);
  if (pos == std::string_view::npos || digit == '\0') return std::nullopt;
  return static_cast<std::uint8_t>(pos);
}

char dtmf_digit_of(std::uint8_t event) {
  return event <= kMaxDtmfEvent ? kDigits[event] : '\0';
}

}  // namespace switchboard::media::dsp
