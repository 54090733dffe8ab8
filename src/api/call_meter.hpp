// Call-rate and RTP figures for GET /metrics, fed from call events (the
// application subscribes and forwards): calls per second over the last
// minute, and the RTP packets and losses of finished calls (the relay's
// per-call counters, as the CDR gets them). Core thread only.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>

namespace switchboard::api {

class CallMeter {
 public:
  using Clock = std::chrono::steady_clock;
  using NowFn = std::function<Clock::time_point()>;

  static constexpr std::chrono::seconds kWindow{60};

  explicit CallMeter(NowFn now = Clock::now) : now_(std::move(now)) {}

  void call_started();
  /// A call ended with these relay counters (packets each way, lost).
  void call_ended(std::uint64_t packets_from_caller, std::uint64_t packets_from_callee,
                  std::uint64_t packets_lost);

  /// Calls started in the last minute / 60.
  double calls_per_second();
  std::uint64_t rtp_packets() const { return rtp_packets_; }
  std::uint64_t rtp_packets_lost() const { return rtp_lost_; }
  std::uint64_t calls_ended() const { return ended_; }

 private:
  void expire(Clock::time_point now);

  NowFn now_;
  std::deque<Clock::time_point> starts_;  ///< within the window, oldest first
  std::uint64_t rtp_packets_ = 0;
  std::uint64_t rtp_lost_ = 0;
  std::uint64_t ended_ = 0;
};

}  // namespace switchboard::api
