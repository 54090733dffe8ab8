#include "media/dsp/rfc4733_receiver.hpp"

namespace switchboard::media::dsp {
namespace {

// Serial-number order of 32-bit RTP timestamps.
bool before(std::uint32_t a, std::uint32_t b) {
  return static_cast<std::int32_t>(a - b) < 0;
}

}  // namespace

void Rfc4733Receiver::on_packet(std::uint32_t timestamp, bool marker,
                                std::span<const std::uint8_t> payload, Clock::time_point now,
                                std::vector<DtmfReport>& out) {
  const auto parsed = parse_telephone_event(payload);
  if (!parsed || parsed->event > kMaxDtmfEvent) return;
  const TelephoneEvent& e = *parsed;

  switch (state_) {
    case State::kIdle:
      start(timestamp, e, now, out);
      return;
    case State::kEnded:
      // Duplicates of the end packet, or late updates of the ended event.
      if (timestamp == segment_timestamp_ || !before(segment_timestamp_, timestamp)) return;
      start(timestamp, e, now, out);
      return;
    case State::kInEvent:
      break;
  }

  if (timestamp == segment_timestamp_ && e.event == event_) {
    last_packet_ = now;
    if (e.duration > duration_) duration_ = e.duration;  // a long press goes on
    if (e.end) end(out);
    return;
  }
  if (before(timestamp, segment_timestamp_)) return;  // reordered, from an older event
  // A long event continues in a new segment (§2.5.1.3): same event, no
  // marker, its timestamp where the previous segment's duration ended.
  const bool continues = e.event == event_ && !marker &&
                         timestamp - segment_timestamp_ <= std::uint32_t{duration_} + 1 &&
                         duration_ >= 0xFFFF - 1;
  if (continues) {
    segment_offset_ += timestamp - segment_timestamp_;
    segment_timestamp_ = timestamp;
    duration_ = e.duration;
    last_packet_ = now;
    if (e.end) end(out);
    return;
  }
  // A new timestamp is a new event: the current one ended without an end packet.
  end(out);
  start(timestamp, e, now, out);
}

void Rfc4733Receiver::on_tick(Clock::time_point now, std::vector<DtmfReport>& out) {
  if (state_ == State::kInEvent && now - last_packet_ >= timeout_) end(out);
}

void Rfc4733Receiver::start(std::uint32_t timestamp, const TelephoneEvent& e, Clock::time_point now,
                            std::vector<DtmfReport>& out) {
  state_ = State::kInEvent;
  event_ = e.event;
  event_timestamp_ = timestamp;
  segment_timestamp_ = timestamp;
  segment_offset_ = 0;
  duration_ = e.duration;
  last_packet_ = now;
  out.push_back({DtmfReport::Kind::kStart, dtmf_digit_of(e.event), timestamp, 0});
  if (e.end) end(out);
}

void Rfc4733Receiver::end(std::vector<DtmfReport>& out) {
  state_ = State::kEnded;
  out.push_back(
      {DtmfReport::Kind::kEnd, dtmf_digit_of(event_), event_timestamp_, total_duration()});
}

}  // namespace switchboard::media::dsp
