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
  clock_ = FrameClock(period_);
  clock_.start(std::chrono::steady_clock::now());
  arm();
}

void Ticker::stop() {
  running_ = false;
  timer_.cancel();
}

void Ticker::arm() {
  timer_.expires_at(clock_.next());
  // A handler already queued when stop() (or the destructor) ran must not
  // touch this object or revive an old chain.
  timer_.async_wait([this, alive = std::weak_ptr<int>(alive_),
                     gen = generation_](const boost::system::error_code& ec) {
    if (ec || alive.expired() || gen != generation_ || !running_) return;
    for (int n = clock_.due(std::chrono::steady_clock::now()); n > 0 && running_; --n) {
      ++ticks_;
      on_tick_();
    }
    if (running_) arm();
  });
}

}  // namespace switchboard::media::mixer
