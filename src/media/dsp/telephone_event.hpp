// RFC 4733 telephone-event payloads (§2.3): event, end bit, volume, duration.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace switchboard::media::dsp {

/// One 4-byte named-event payload.
struct TelephoneEvent {
  std::uint8_t event = 0;      ///< 0-9, 10 '*', 11 '#', 12-15 'A'-'D' (RFC 4733 §3.2)
  bool end = false;            ///< E bit: the last packet(s) of the event
  std::uint8_t volume = 10;    ///< power level, 0..63 meaning -0..-63 dBm0
  std::uint16_t duration = 0;  ///< in RTP timestamp units since the event's timestamp
  bool operator==(const TelephoneEvent&) const = default;
};

inline constexpr std::size_t kTelephoneEventSize = 4;
inline constexpr std::uint8_t kMaxDtmfEvent = 15;

/// The first event of a payload; nullopt when shorter than 4 bytes.
std::optional<TelephoneEvent> parse_telephone_event(std::span<const std::uint8_t> payload);

std::array<std::uint8_t, kTelephoneEventSize> serialize(const TelephoneEvent& event);

/// '0'..'9', '*', '#', 'A'..'D' (also lower case) to its event code.
std::optional<std::uint8_t> dtmf_event_of(char digit);
/// The digit of a DTMF event code 0..15; '\0' for other events.
char dtmf_digit_of(std::uint8_t event);

}  // namespace switchboard::media::dsp
