// Adaptive jitter buffer for terminating legs (IVR, voicemail, conference);
// relay legs never use one (DESIGN.md §5). Packets are kept by RTP timestamp
// and played out one at a time at the media tick:
//  - the target delay follows the measured jitter: the spread between the
//    95th percentile and the minimum of recent transit times, plus a frame,
//    clamped to [min_delay, max_delay];
//  - a late tick (nothing buffered) is an underrun: the caller conceals a
//    frame and the playout point waits, so the delay grows by itself;
//  - while the buffer holds more than target + 2 frames for a while, one
//    packet is skipped to bring the delay back down;
//  - reordered packets take their place, duplicates and packets behind the
//    playout point (late) are dropped and counted, a missing packet whose
//    successor is present is reported lost (conceal, then move on);
//  - after a long silence (DTX, hold, a new stream) it re-buffers.
// Pure: time is passed in, so tests run in virtual time.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "common/timers.hpp"

namespace switchboard::media::audio {

struct JitterPacket {
  std::uint16_t seq = 0;
  std::uint32_t timestamp = 0;  ///< RTP timestamp
  std::uint32_t duration = 0;   ///< in timestamp units (160 for 20 ms at 8 kHz)
  std::vector<std::uint8_t> payload;
};

struct JitterConfig {
  int clock_rate = 8000;
  std::chrono::milliseconds min_delay{20};
  std::chrono::milliseconds max_delay{300};
  std::chrono::milliseconds initial_delay{40};
  /// Underruns in a row after which the stream counts as stopped.
  int idle_after_underruns = 10;
};

struct JitterStats {
  std::uint64_t received = 0;
  std::uint64_t played = 0;
  std::uint64_t lost = 0;       ///< gaps concealed
  std::uint64_t underruns = 0;  ///< ticks with nothing to play
  std::uint64_t late = 0;       ///< arrived after their playout time
  std::uint64_t duplicates = 0;
  std::uint64_t skipped = 0;   ///< dropped to shrink the delay
  std::uint64_t overflow = 0;  ///< dropped because the buffer was full
};

class JitterBuffer {
 public:
  enum class State { kBuffering, kPlaying };
  enum class Kind {
    kPacket,    ///< play `packet`
    kLost,      ///< a packet is missing: conceal `duration` units, it is skipped
    kUnderrun,  ///< nothing arrived in time: conceal one frame, nothing skipped
    kIdle,      ///< not playing (before the first packets, after a long gap)
  };
  struct Pull {
    Kind kind = Kind::kIdle;
    std::uint32_t duration = 0;  ///< timestamp units this pull covers
    std::optional<JitterPacket> packet;
  };

  explicit JitterBuffer(JitterConfig config = {});

  void push(JitterPacket packet, TimePoint arrival);
  /// The next piece of playout; `frame` is the caller's tick in timestamp
  /// units (what an underrun or idle tick covers).
  Pull pull(std::uint32_t frame);

  State state() const { return state_; }
  const JitterStats& stats() const { return stats_; }
  std::chrono::milliseconds target_delay() const;
  /// Audio buffered ahead of the playout point.
  std::chrono::milliseconds buffered() const;
  std::size_t size() const { return packets_.size(); }

 private:
  std::int64_t unwrap_ts(std::uint32_t ts);
  std::int64_t unwrap_seq(std::uint16_t seq);
  void record_transit(std::int64_t ts, TimePoint arrival);
  void update_target();
  std::int64_t buffered_units() const;
  std::int64_t ms_to_units(std::chrono::milliseconds ms) const;
  void restart();

  JitterConfig config_;
  State state_ = State::kBuffering;
  std::map<std::int64_t, JitterPacket> packets_;  // by unwrapped timestamp
  std::optional<std::int64_t> last_ts_, last_seq_;
  std::int64_t next_ts_ = 0;  // playout point (unwrapped)
  std::uint32_t last_duration_ = 0;
  std::set<std::int64_t> seen_seqs_;   // recent, for duplicates
  std::deque<std::int64_t> transits_;  // recent transit times, in units
  std::vector<std::int64_t> scratch_;  // for the percentile
  std::int64_t target_units_;
  int underruns_in_row_ = 0;
  int above_target_ticks_ = 0;
  JitterStats stats_;
};

const char* to_string(JitterBuffer::Kind kind);

}  // namespace switchboard::media::audio
