#include "common/timers.hpp"

namespace switchboard {

AsioTimers::~AsioTimers() {
  for (auto& [id, t] : timers_) t->cancel();
}

TimerId AsioTimers::schedule(Duration delay, std::function<void()> fn) {
  TimerId id = next_++;
  auto timer = std::make_unique<boost::asio::steady_timer>(io_, delay);
  timer->async_wait([this, id, fn = std::move(fn)](const boost::system::error_code& ec) {
    if (ec) return;  // cancelled
    timers_.erase(id);
    fn();
  });
  timers_.emplace(id, std::move(timer));
  return id;
}

void AsioTimers::cancel(TimerId id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) return;
  it->second->cancel();
  timers_.erase(it);
}

TimerId VirtualTimers::schedule(Duration delay, std::function<void()> fn) {
  TimerId id = next_++;
  TimePoint at = now_ + delay;
  queue_.emplace(std::pair{at, id}, std::move(fn));
  deadline_of_.emplace(id, at);
  return id;
}

void VirtualTimers::cancel(TimerId id) {
  auto it = deadline_of_.find(id);
  if (it == deadline_of_.end()) return;
  queue_.erase({it->second, id});
  deadline_of_.erase(it);
}

void VirtualTimers::advance(Duration d) {
  TimePoint end = now_ + d;
  while (!queue_.empty() && queue_.begin()->first.first <= end) {
    auto node = queue_.extract(queue_.begin());
    now_ = node.key().first;
    deadline_of_.erase(node.key().second);
    node.mapped()();
  }
  now_ = end;
}

void VirtualTimers::run_until_idle(Duration limit) {
  TimePoint end = now_ + limit;
  while (!queue_.empty() && queue_.begin()->first.first <= end) {
    auto next = queue_.begin()->first.first;
    advance(std::chrono::duration_cast<Duration>(next - now_));
  }
}

}  // namespace switchboard
