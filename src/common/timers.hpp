// Time for call logic (DESIGN.md §3): code never reads the wall clock or sleeps;
// it asks a Timers for "now" and schedules callbacks. Production uses the core
// thread's io_context (AsioTimers); tests use VirtualTimers and advance time by
// hand, so a 32-second SIP timer runs in microseconds.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <unordered_map>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace switchboard {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Duration = std::chrono::milliseconds;
using TimerId = uint64_t;

/// Schedules callbacks on the owning thread. Not thread-safe: one per event loop.
class Timers {
 public:
  virtual ~Timers() = default;
  virtual TimePoint now() const = 0;
  /// Runs `fn` once after `delay`. Returns an id for cancel(); never 0.
  virtual TimerId schedule(Duration delay, std::function<void()> fn) = 0;
  /// Cancels a pending timer; a no-op for one that fired or was cancelled.
  virtual void cancel(TimerId id) = 0;
  /// How many timers are pending (for tests and metrics).
  virtual size_t pending() const = 0;
};

/// Real time on an io_context.
class AsioTimers final : public Timers {
 public:
  explicit AsioTimers(boost::asio::io_context& io) : io_(io) {}
  ~AsioTimers() override;

  TimePoint now() const override { return Clock::now(); }
  TimerId schedule(Duration delay, std::function<void()> fn) override;
  void cancel(TimerId id) override;
  size_t pending() const override { return timers_.size(); }

 private:
  boost::asio::io_context& io_;
  TimerId next_ = 1;
  std::unordered_map<TimerId, std::unique_ptr<boost::asio::steady_timer>> timers_;
};

/// Virtual time for unit tests: nothing fires until advance().
class VirtualTimers final : public Timers {
 public:
  VirtualTimers() : now_(TimePoint{} + std::chrono::hours(1)) {}

  TimePoint now() const override { return now_; }
  TimerId schedule(Duration delay, std::function<void()> fn) override;
  void cancel(TimerId id) override;
  size_t pending() const override { return queue_.size(); }

  /// Moves time forward by `d`, firing due timers in order (including timers
  /// those callbacks schedule within the window).
  void advance(Duration d);
  /// Fires timers until none is left or `limit` of virtual time has passed.
  void run_until_idle(Duration limit = std::chrono::hours(24));

 private:
  TimePoint now_;
  TimerId next_ = 1;
  // Ordered by (deadline, id): equal deadlines fire in scheduling order.
  std::map<std::pair<TimePoint, TimerId>, std::function<void()>> queue_;
  std::unordered_map<TimerId, TimePoint> deadline_of_;
};

}  // namespace switchboard
