#include "api/call_meter.hpp"

namespace switchboard::api {

void CallMeter::expire(Clock::time_point now) {
  while (!starts_.empty() && now - starts_.front() >= kWindow) starts_.pop_front();
}

void CallMeter::call_started() {
  const auto now = now_();
  expire(now);
  starts_.push_back(now);
}

void CallMeter::call_ended(std::uint64_t packets_from_caller, std::uint64_t packets_from_callee,
                           std::uint64_t packets_lost) {
  ++ended_;
  rtp_packets_ += packets_from_caller + packets_from_callee;
  rtp_lost_ += packets_lost;
}

double CallMeter::calls_per_second() {
  expire(now_());
  return static_cast<double>(starts_.size()) / static_cast<double>(kWindow.count());
}

}  // namespace switchboard::api
