#include "media/audio/jitter_buffer.hpp"

#include <algorithm>

namespace switchboard::media::audio {
namespace {

constexpr std::size_t kTransitWindow = 100;  // about 2 s of 20 ms packets
constexpr int kSkipAfterTicks = 10;          // 200 ms above target before skipping
constexpr std::int64_t kSeqMemory = 1000;

}  // namespace

const char* to_string(JitterBuffer::Kind kind) {
  switch (kind) {
    case JitterBuffer::Kind::kPacket:
      return "packet";
    case JitterBuffer::Kind::kLost:
      return "lost";
    case JitterBuffer::Kind::kUnderrun:
      return "underrun";
    case JitterBuffer::Kind::kIdle:
      return "idle";
  }
  return "?";
}

JitterBuffer::JitterBuffer(JitterConfig config)
    : config_(config), target_units_(ms_to_units(config.initial_delay)) {
  last_duration_ = static_cast<std::uint32_t>(ms_to_units(std::chrono::milliseconds(20)));
}

std::int64_t JitterBuffer::ms_to_units(std::chrono::milliseconds ms) const {
  return static_cast<std::int64_t>(ms.count()) * config_.clock_rate / 1000;
}

std::chrono::milliseconds JitterBuffer::target_delay() const {
  return std::chrono::milliseconds(target_units_ * 1000 / config_.clock_rate);
}

std::chrono::milliseconds JitterBuffer::buffered() const {
  return std::chrono::milliseconds(buffered_units() * 1000 / config_.clock_rate);
}

std::int64_t JitterBuffer::unwrap_ts(std::uint32_t ts) {
  if (!last_ts_) {
    last_ts_ = static_cast<std::int64_t>(ts);
    return *last_ts_;
  }
  auto delta = static_cast<std::int32_t>(ts - static_cast<std::uint32_t>(*last_ts_));
  std::int64_t ext = *last_ts_ + delta;
  last_ts_ = std::max(*last_ts_, ext);
  return ext;
}

std::int64_t JitterBuffer::unwrap_seq(std::uint16_t seq) {
  if (!last_seq_) {
    last_seq_ = static_cast<std::int64_t>(seq);
    return *last_seq_;
  }
  auto delta = static_cast<std::int16_t>(seq - static_cast<std::uint16_t>(*last_seq_));
  std::int64_t ext = *last_seq_ + delta;
  last_seq_ = std::max(*last_seq_, ext);
  return ext;
}

std::int64_t JitterBuffer::buffered_units() const {
  if (packets_.empty()) return 0;
  const auto& last = *packets_.rbegin();
  std::int64_t start = state_ == State::kPlaying ? next_ts_ : packets_.begin()->first;
  return std::max<std::int64_t>(0, last.first + last.second.duration - start);
}

void JitterBuffer::record_transit(std::int64_t ts, TimePoint arrival) {
  auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(arrival.time_since_epoch()).count();
  std::int64_t arrival_units = us * config_.clock_rate / 1000000;
  transits_.push_back(arrival_units - ts);
  if (transits_.size() > kTransitWindow) transits_.pop_front();
  update_target();
}

void JitterBuffer::update_target() {
  if (transits_.size() < 5) return;
  scratch_.assign(transits_.begin(), transits_.end());
  auto p95 = scratch_.begin() + static_cast<std::ptrdiff_t>((scratch_.size() - 1) * 95 / 100);
  std::nth_element(scratch_.begin(), p95, scratch_.end());
  std::int64_t spread = *p95 - *std::min_element(scratch_.begin(), p95 + 1);
  target_units_ = std::clamp(spread + static_cast<std::int64_t>(last_duration_),
                             ms_to_units(config_.min_delay), ms_to_units(config_.max_delay));
}

void JitterBuffer::restart() {
  state_ = State::kBuffering;
  underruns_in_row_ = 0;
  above_target_ticks_ = 0;
}

void JitterBuffer::push(JitterPacket packet, TimePoint arrival) {
  ++stats_.received;
  std::int64_t ts = unwrap_ts(packet.timestamp);
  // A jump far outside the buffer's reach is a new stream (re-INVITE, a
  // timestamp reset): start over instead of calling everything late.
  const std::int64_t reach =
      4 * ms_to_units(config_.max_delay) + ms_to_units(std::chrono::seconds(2));
  if (state_ == State::kPlaying && (ts > next_ts_ + reach || ts < next_ts_ - reach)) {
    packets_.clear();
    seen_seqs_.clear();
    transits_.clear();
    last_ts_ = ts;
    restart();
  }
  std::int64_t seq = unwrap_seq(packet.seq);
  if (!seen_seqs_.insert(seq).second) {
    ++stats_.duplicates;
    return;
  }
  while (!seen_seqs_.empty() && *seen_seqs_.begin() < seq - kSeqMemory)
    seen_seqs_.erase(seen_seqs_.begin());
  if (packet.duration == 0) packet.duration = last_duration_;
  record_transit(ts, arrival);
  if (state_ == State::kPlaying && ts < next_ts_) {
    ++stats_.late;
    return;
  }
  if (!packets_.emplace(ts, std::move(packet)).second) {
    ++stats_.duplicates;  // same timestamp under another sequence number
    return;
  }
  // Full: the oldest audio goes (the playout point moves past it).
  const std::int64_t cap = 2 * ms_to_units(config_.max_delay);
  while (packets_.size() > 1 && buffered_units() > cap) {
    auto first = packets_.begin();
    if (state_ == State::kPlaying)
      next_ts_ = std::max(next_ts_, first->first + first->second.duration);
    packets_.erase(first);
    ++stats_.overflow;
  }
}

JitterBuffer::Pull JitterBuffer::pull(std::uint32_t frame) {
  if (state_ == State::kBuffering) {
    if (packets_.empty() || buffered_units() < target_units_) return Pull{Kind::kIdle, frame, {}};
    state_ = State::kPlaying;
    next_ts_ = packets_.begin()->first;
    underruns_in_row_ = 0;
  }
  // Anything behind the playout point (after an overflow) is gone.
  while (!packets_.empty() && packets_.begin()->first < next_ts_) {
    packets_.erase(packets_.begin());
    ++stats_.late;
  }
  if (packets_.empty()) {
    ++stats_.underruns;
    if (++underruns_in_row_ >= config_.idle_after_underruns) {
      restart();
      return Pull{Kind::kIdle, frame, {}};
    }
    return Pull{Kind::kUnderrun, frame, {}};
  }
  underruns_in_row_ = 0;
  auto it = packets_.begin();
  if (it->first > next_ts_) {
    auto gap = static_cast<std::uint32_t>(
        std::min<std::int64_t>(it->first - next_ts_, static_cast<std::int64_t>(last_duration_)));
    next_ts_ += gap;
    ++stats_.lost;
    return Pull{Kind::kLost, gap, {}};
  }
  Pull out{Kind::kPacket, it->second.duration, std::move(it->second)};
  packets_.erase(it);
  next_ts_ += out.duration;
  last_duration_ = out.duration;
  ++stats_.played;
  // Latency control: held well above target for a while, skip one packet.
  if (buffered_units() > target_units_ + 2 * static_cast<std::int64_t>(out.duration)) {
    if (++above_target_ticks_ >= kSkipAfterTicks && !packets_.empty() &&
        packets_.begin()->first == next_ts_) {
      next_ts_ += packets_.begin()->second.duration;
      packets_.erase(packets_.begin());
      ++stats_.skipped;
      above_target_ticks_ = 0;
    }
  } else {
    above_target_ticks_ = 0;
  }
  return out;
}

}  // namespace switchboard::media::audio
