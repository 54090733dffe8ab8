#include "media/mixer/ticker.hpp"

namespace switchboard::media::mixer {

Ticker::Ticker(boost::asio::any_io_executor executor, std::function<void()> on_tick, Period period)
    : timer_(std::move(executor)), on_tick_(std::move(on_tick)), period_(period) {}

Ticker::~Ticker() {
  stop();
}

void Ticker::start() {
  if (running_) return;
  running_ = true;
  ++generation_;
  next_ = std::chrono::steady_clock::now() + period_;
  arm();
}

void Ticker::stop() {
  running_ = false;
  timer_.cancel();
}

void Ticker::arm() {
  timer_.expires_at(next_);
  // A handler already queued when stop() (or the destructor) ran must not
  // touch this object or revive an old chain.
  timer_.async_wait([this, alive = std::weak_ptr<int>(alive_),
                     gen = generation_](const boost::system::error_code& ec) {
    if (ec || alive.expired() || gen != generation_ || !running_) return;
    auto now = std::chrono::steady_clock::now();
    int runs = 0;
    while (running_ && next_ <= now && runs <= kMaxCatchUp) {
      if (now - next_ > period_) ++overruns_;
      ++ticks_;
      ++runs;
      next_ += period_;
      on_tick_();
    }
    if (next_ <= now) next_ = now + period_;  // too far behind: resynchronise
    if (running_) arm();
  });
}

}  // namespace switchboard::media::mixer
