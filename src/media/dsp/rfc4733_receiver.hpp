// Receiving RFC 4733 telephone-events (§2.5.2): a start when a new event
// appears (new timestamp), an end on the first end packet (its duplicates
// ignored), long presses followed through duration updates and 0xFFFF
// segments, and an end after a timeout when every end packet was lost.
// Pure logic: the RTP layer passes each packet and the time in.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <vector>

#include "media/dsp/dtmf_report.hpp"
#include "media/dsp/telephone_event.hpp"

namespace switchboard::media::dsp {

class Rfc4733Receiver {
 public:
  using Clock = std::chrono::steady_clock;

  /// `timeout`: an event with no packet for this long has ended.
  explicit Rfc4733Receiver(std::chrono::milliseconds timeout = std::chrono::milliseconds(500))
      : timeout_(timeout) {}

  /// One telephone-event packet: its RTP timestamp and marker bit, arriving at `now`.
  void on_packet(std::uint32_t timestamp, bool marker, std::span<const std::uint8_t> payload,
                 Clock::time_point now, std::vector<DtmfReport>& out);

  /// Time passing without packets.
  void on_tick(Clock::time_point now, std::vector<DtmfReport>& out);

  bool in_event() const { return state_ == State::kInEvent; }

 private:
  enum class State { kIdle, kInEvent, kEnded };

  void start(std::uint32_t timestamp, const TelephoneEvent& e, Clock::time_point now,
             std::vector<DtmfReport>& out);
  void end(std::vector<DtmfReport>& out);
  std::uint32_t total_duration() const { return segment_offset_ + duration_; }

  std::chrono::milliseconds timeout_;
  State state_ = State::kIdle;
  std::uint8_t event_ = 0;
  std::uint32_t event_timestamp_ = 0;    // the first segment's timestamp
  std::uint32_t segment_timestamp_ = 0;  // the current segment's timestamp
  std::uint32_t segment_offset_ = 0;     // duration of the segments before it
  std::uint16_t duration_ = 0;           // the longest duration seen in this segment
  Clock::time_point last_packet_{};
};

}  // namespace switchboard::media::dsp
