// How many 20 ms frames are due at a given time, on an absolute schedule:
// for loops that wake "about every 20 ms" (the RTP engine's media threads
// tick their sessions that way) but must produce exactly 50 frames a second.
// Late wake-ups are made up (up to kMaxCatchUp frames at once); beyond that
// the schedule jumps forward rather than bursting. Pure: time is passed in.
#pragma once

#include <chrono>
#include <cstdint>

#include "common/timers.hpp"

namespace switchboard::media::mixer {

class FrameClock {
 public:
  static constexpr int kMaxCatchUp = 5;

  explicit FrameClock(std::chrono::microseconds period = std::chrono::milliseconds(20))
      : period_(period) {}

  /// The first frame is due one period after `now`.
  void start(TimePoint now) {
    next_ = now + period_;
    started_ = true;
  }
  bool started() const { return started_; }

  /// Frames due by `now` (0 … kMaxCatchUp + 1); consumes them.
  int due(TimePoint now);
  /// When the next frame is due.
  TimePoint next() const { return next_; }

  std::uint64_t frames() const { return frames_; }
  /// Frames produced more than one period late.
  std::uint64_t overruns() const { return overruns_; }
  /// Times the schedule jumped (frames were dropped, not made up).
  std::uint64_t resyncs() const { return resyncs_; }

 private:
  std::chrono::microseconds period_;
  TimePoint next_{};
  bool started_ = false;
  std::uint64_t frames_ = 0, overruns_ = 0, resyncs_ = 0;
};

}  // namespace switchboard::media::mixer
