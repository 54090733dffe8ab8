// Admission of SIP packets by source address, before anything is parsed or
// answered (config security.*):
//  - a source banned for failing digest auth `max_failed_attempts` times
//    within `failure_window` is dropped silently for `ban_duration`;
//  - each source has a token bucket (`rate_limit_per_second`, burst
//    `rate_limit_burst`) so one flooding address cannot starve the others;
//  - allow-listed sources bypass both.
// Bans and failures are logged as security events (log component
// "security") and counted in SecurityStats. Core thread only; time from
// Timers so unit tests run it in virtual time.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include <boost/asio/ip/address.hpp>

#include "common/timers.hpp"
#include "core/security/ip_allow_list.hpp"
#include "core/security/security_stats.hpp"
#include "core/security/token_bucket.hpp"

namespace switchboard::core {

/// Boost 1.74 has no std::hash for addresses.
struct AddressHash {
  size_t operator()(const boost::asio::ip::address& a) const {
    if (a.is_v4()) return std::hash<uint32_t>()(a.to_v4().to_uint());
    const auto b = a.to_v6().to_bytes();
    return std::hash<std::string_view>()(
        std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
  }
};

struct AccessPolicy {
  int max_failed_attempts = 5;
  Duration failure_window = std::chrono::minutes(5);
  Duration ban_duration = std::chrono::minutes(5);  ///< 0: never ban
  double rate_limit_per_second = 50;                ///< 0: no rate limit
  double rate_limit_burst = 100;
  IpAllowList allow_list;
};

class AccessGuard {
 public:
  enum class Verdict { kAdmit, kBanned, kRateLimited };

  AccessGuard(Timers& timers, AccessPolicy policy);
  ~AccessGuard();
  AccessGuard(const AccessGuard&) = delete;
  AccessGuard& operator=(const AccessGuard&) = delete;

  /// Called for every packet; anything but kAdmit is dropped without reply.
  Verdict admit(const boost::asio::ip::address& source);
  /// A digest failure from `source` for `username`; may ban the source.
  void record_failure(const boost::asio::ip::address& source, const std::string& username);
  /// Credentials verified: the source's failure count starts over.
  void record_success(const boost::asio::ip::address& source);

  bool allow_listed(const boost::asio::ip::address& source) const {
    return policy_.allow_list.contains(source);
  }
  bool banned(const boost::asio::ip::address& source) const;
  /// New limits (config reload); existing bans and buckets are kept.
  void set_policy(AccessPolicy policy) { policy_ = std::move(policy); }

  SecurityStats& stats() { return stats_; }
  const SecurityStats& stats() const { return stats_; }

 private:
  struct Failures {
    int count = 0;
    TimePoint window_start;
  };
  void sweep();

  Timers& timers_;
  AccessPolicy policy_;
  template <typename T>
  using ByAddress = std::unordered_map<boost::asio::ip::address, T, AddressHash>;
  ByAddress<TimePoint> bans_;  ///< until
  ByAddress<Failures> failures_;
  ByAddress<TokenBucket> buckets_;
  SecurityStats stats_;
  TimerId sweep_timer_ = 0;
};

const char* to_string(AccessGuard::Verdict v);

}  // namespace switchboard::core
