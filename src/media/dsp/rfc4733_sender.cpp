#include "media/dsp/rfc4733_sender.hpp"

#include <algorithm>

namespace switchboard::media::dsp {

bool Rfc4733Sender::start(char digit, std::uint32_t timestamp) {
  const auto event = dtmf_event_of(digit);
  if (!event || state_ != State::kIdle) return false;
  state_ = State::kSending;
  event_ = *event;
  segment_timestamp_ = timestamp;
  segment_offset_ = 0;
  stop_after_ = 0;
  stop_requested_ = false;
  first_ = true;
  ends_sent_ = 0;
  return true;
}

bool Rfc4733Sender::send(char digit, std::uint32_t timestamp, std::uint32_t duration) {
  if (!start(digit, timestamp)) return false;
  stop_after_ = std::max<std::uint32_t>(duration, 1);
  return true;
}

std::optional<TelephoneEventPacket> Rfc4733Sender::poll(std::uint32_t now) {
  switch (state_) {
    case State::kIdle:
      return std::nullopt;
    case State::kEnding:
      if (++ends_sent_ >= options_.end_packets) state_ = State::kIdle;
      return end_packet_;
    case State::kSending:
      break;
  }
  // The packet covers the interval that starts now.
  std::uint32_t elapsed = now - segment_timestamp_ + options_.packet_interval;
  TelephoneEventPacket packet;
  packet.marker = first_;
  first_ = false;
  packet.event.event = event_;
  packet.event.volume = options_.volume;
  if (elapsed >= 0xFFFF) {
    // This segment is full: report 0xFFFF and go on in a new one.
    packet.timestamp = segment_timestamp_;
    packet.event.duration = 0xFFFF;
    segment_offset_ += 0xFFFF;
    segment_timestamp_ += 0xFFFF;
    return packet;
  }
  packet.timestamp = segment_timestamp_;
  packet.event.duration = static_cast<std::uint16_t>(elapsed);
  const std::uint32_t total = segment_offset_ + elapsed;
  const bool timed_out = stop_after_ != 0 && total >= stop_after_;
  if ((stop_requested_ || timed_out) && total >= options_.min_duration) {
    packet.event.end = true;
    end_packet_ = packet;
    end_packet_.marker = false;
    ends_sent_ = 1;
    state_ = ends_sent_ >= options_.end_packets ? State::kIdle : State::kEnding;
  }
  return packet;
}

}  // namespace switchboard::media::dsp
