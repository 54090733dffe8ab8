#include "core/security/access_guard.hpp"

#include "common/log.hpp"

namespace switchboard::core {
namespace {

// Expired bans, failure windows and full buckets are forgotten this often,
// so memory follows the number of active sources, not of all ever seen.
constexpr Duration kSweepInterval = std::chrono::seconds(30);

}  // namespace

const char* to_string(AccessGuard::Verdict v) {
  switch (v) {
    case AccessGuard::Verdict::kAdmit:
      return "admit";
    case AccessGuard::Verdict::kBanned:
      return "banned";
    case AccessGuard::Verdict::kRateLimited:
      return "rate limited";
  }
  return "?";
}

AccessGuard::AccessGuard(Timers& timers, AccessPolicy policy)
    : timers_(timers), policy_(std::move(policy)) {
  sweep_timer_ = timers_.schedule(kSweepInterval, [this] { sweep(); });
}

AccessGuard::~AccessGuard() { timers_.cancel(sweep_timer_); }

bool AccessGuard::banned(const boost::asio::ip::address& source) const {
  auto it = bans_.find(source);
  return it != bans_.end() && timers_.now() < it->second;
}

AccessGuard::Verdict AccessGuard::admit(const boost::asio::ip::address& source) {
  if (policy_.allow_list.contains(source)) {
    ++stats_.allow_listed;
    return Verdict::kAdmit;
  }
  const TimePoint now = timers_.now();
  if (auto it = bans_.find(source); it != bans_.end()) {
    if (now < it->second) {
      ++stats_.dropped_banned;
      return Verdict::kBanned;
    }
    bans_.erase(it);
    stats_.active_bans = bans_.size();
    log::get("security")->info("ban on {} expired", source.to_string());
  }
  if (policy_.rate_limit_per_second > 0) {
    auto [it, inserted] = buckets_.try_emplace(source, policy_.rate_limit_burst, now);
    if (!it->second.take(now, policy_.rate_limit_per_second, policy_.rate_limit_burst)) {
      if (stats_.dropped_rate_limited++ % 1000 == 0) {
        log::get("security")->warn("rate limit: dropping packets from {}", source.to_string());
      }
      return Verdict::kRateLimited;
    }
  }
  return Verdict::kAdmit;
}

void AccessGuard::record_failure(const boost::asio::ip::address& source,
                                 const std::string& username) {
  ++stats_.auth_failures;
  auto sec = log::get("security");
  const TimePoint now = timers_.now();
  auto& f = failures_[source];
  if (f.count == 0 || now - f.window_start > policy_.failure_window) {
    f.count = 0;
    f.window_start = now;
  }
  ++f.count;
  sec->warn("authentication failed: source={} user=\"{}\" attempt={}/{}", source.to_string(),
            username, f.count, policy_.max_failed_attempts);
  if (f.count < policy_.max_failed_attempts || policy_.allow_list.contains(source) ||
      policy_.ban_duration.count() <= 0) {
    return;
  }
  failures_.erase(source);
  bans_[source] = now + policy_.ban_duration;
  ++stats_.bans;
  stats_.active_bans = bans_.size();
  sec->warn("banned source={} for {} s after {} failed attempts", source.to_string(),
            std::chrono::duration_cast<std::chrono::seconds>(policy_.ban_duration).count(),
            policy_.max_failed_attempts);
  log::flush_all();
}

void AccessGuard::record_success(const boost::asio::ip::address& source) {
  ++stats_.auth_ok;
  failures_.erase(source);
}

void AccessGuard::sweep() {
  const TimePoint now = timers_.now();
  for (auto it = bans_.begin(); it != bans_.end();) {
    it = now >= it->second ? bans_.erase(it) : std::next(it);
  }
  stats_.active_bans = bans_.size();
  for (auto it = failures_.begin(); it != failures_.end();) {
    it = now - it->second.window_start > policy_.failure_window ? failures_.erase(it)
                                                                 : std::next(it);
  }
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    it = it->second.idle(now, policy_.rate_limit_per_second, policy_.rate_limit_burst)
             ? buckets_.erase(it)
             : std::next(it);
  }
  sweep_timer_ = timers_.schedule(kSweepInterval, [this] { sweep(); });
}

}  // namespace switchboard::core
