// The 20 ms clock of a media thread: calls a function every period on an
// io_context's executor (a media thread of the RTP engine, or its own thread),
// at absolute deadlines so lateness of one tick does not drift the next.
// Missed ticks are run back to back (audio must not lose time), up to
// FrameClock::kMaxCatchUp, after which the clock resynchronises.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "media/mixer/frame_clock.hpp"

namespace switchboard::media::mixer {

class Ticker {
 public:
  using Period = std::chrono::microseconds;

  /// Created and used on the executor's thread.
  Ticker(boost::asio::any_io_executor executor, std::function<void()> on_tick,
         Period period = std::chrono::milliseconds(20));
  ~Ticker();
  Ticker(const Ticker&) = delete;
  Ticker& operator=(const Ticker&) = delete;

  void start();
  void stop();

  std::uint64_t ticks() const { return ticks_; }
  /// Ticks that ran more than one period late.
  std::uint64_t overruns() const { return clock_.overruns(); }

 private:
  void arm();

  boost::asio::steady_timer timer_;
  std::function<void()> on_tick_;
  Period period_;
  FrameClock clock_;
  bool running_ = false;
  std::uint64_t ticks_ = 0;
  std::uint64_t generation_ = 0;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace switchboard::media::mixer
