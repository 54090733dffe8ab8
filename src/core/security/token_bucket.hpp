// A token bucket (per source address): `rate` tokens a second, at most
// `burst` saved up. Time comes from the caller (Timers::now()), so tests run
// it in virtual time.
#pragma once

#include <algorithm>
#include <chrono>

#include "common/timers.hpp"

namespace switchboard::core {

class TokenBucket {
 public:
  TokenBucket(double burst, TimePoint now) : tokens_(burst), last_(now) {}

  /// Takes one token if there is one.
  bool take(TimePoint now, double rate, double burst) {
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    if (elapsed > 0) {
      tokens_ = std::min(burst, tokens_ + elapsed * rate);
      last_ = now;
    }
    if (tokens_ < 1.0) return false;
    tokens_ -= 1.0;
    return true;
  }
  /// True when the bucket has been full long enough to forget it.
  bool idle(TimePoint now, double rate, double burst) const {
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    return tokens_ + elapsed * rate >= burst;
  }

 private:
  double tokens_;
  TimePoint last_;
};

}  // namespace switchboard::core
