#include "media/mixer/frame_clock.hpp"

namespace switchboard::media::mixer {

int FrameClock::due(TimePoint now) {
  if (!started_) start(now);
  int n = 0;
  while (next_ <= now && n <= kMaxCatchUp) {
    if (now - next_ > period_) ++overruns_;
    next_ += period_;
    ++n;
  }
  if (next_ <= now) {  // too far behind: resynchronise
    next_ = now + period_;
    ++resyncs_;
  }
  frames_ += static_cast<std::uint64_t>(n);
  return n;
}

}  // namespace switchboard::media::mixer
