// Sending RFC 4733 telephone-events (§2.5.1): one timestamp per event (the
// media clock when the key went down), the marker bit on its first packet
// only, a fixed volume, a duration that grows by one packet interval per
// packet, and the end packet sent three times with the final duration.
// Events longer than 0xFFFF units go on in new segments (§2.5.1.3).
// Pure logic: the RTP layer polls it once per packet interval with the
// stream's current RTP timestamp and sends what it returns.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "media/dsp/telephone_event.hpp"

namespace switchboard::media::dsp {

struct TelephoneEventPacket {
  std::uint32_t timestamp = 0;
  bool marker = false;
  TelephoneEvent event;
  std::array<std::uint8_t, kTelephoneEventSize> payload() const { return serialize(event); }
};

class Rfc4733Sender {
 public:
  struct Options {
    std::uint32_t packet_interval = 160;  ///< clock units between packets (20 ms at 8 kHz)
    std::uint32_t min_duration = 800;     ///< a digit lasts at least this (100 ms at 8 kHz)
    std::uint8_t volume = 10;             ///< -10 dBm0
    int end_packets = 3;                  ///< the end packet is sent this many times

    /// For a telephone-event clock rate (8000, 16000, 48000) and packet time.
    static Options for_clock(std::uint32_t clock_rate, std::uint32_t ptime_ms = 20) {
      Options o;
      o.packet_interval = clock_rate * ptime_ms / 1000;
      o.min_duration = clock_rate / 10;
      return o;
    }
  };

  Rfc4733Sender() : Rfc4733Sender(Options{}) {}
  explicit Rfc4733Sender(Options options) : options_(options) {}

  /// A key goes down at media time `timestamp`; false when not a DTMF digit
  /// or while another digit is still being sent.
  bool start(char digit, std::uint32_t timestamp);
  /// The key goes up: the digit ends once it has lasted min_duration.
  void stop() { stop_requested_ = true; }
  /// start() and stop() after `duration` clock units (a digit from an API).
  bool send(char digit, std::uint32_t timestamp, std::uint32_t duration);

  /// The packet to send at media time `now` (one call per packet interval),
  /// or nullopt when idle.
  std::optional<TelephoneEventPacket> poll(std::uint32_t now);

  bool busy() const { return state_ != State::kIdle; }

 private:
  enum class State { kIdle, kSending, kEnding };

  Options options_;
  State state_ = State::kIdle;
  std::uint8_t event_ = 0;
  std::uint32_t segment_timestamp_ = 0;
  std::uint32_t segment_offset_ = 0;  // clock units in the segments before this one
  std::uint32_t stop_after_ = 0;      // 0 = until stop()
  bool stop_requested_ = false;
  bool first_ = true;
  int ends_sent_ = 0;
  TelephoneEventPacket end_packet_;
};

}  // namespace switchboard::media::dsp
