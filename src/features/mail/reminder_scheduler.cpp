#include "features/mail/reminder_scheduler.hpp"

#include <algorithm>

namespace switchboard::features::mail {

using std::chrono::days;
using std::chrono::floor;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

store::Timestamp next_local_time(store::Timestamp now, int hour, int minute,
                                 const UtcOffsetFn& offset) {
  const auto off = offset ? offset(now) : std::chrono::seconds{0};
  const auto local_now = now + off;
  auto candidate_local = floor<days>(local_now) + hours(hour) + minutes(minute);
  if (candidate_local <= local_now) candidate_local += days(1);
  // The offset at the candidate itself (the day a DST change happens).
  auto candidate = candidate_local - off;
  if (offset) {
    const auto off_then = offset(candidate);
    if (off_then != off) candidate = candidate_local - off_then;
  }
  return candidate <= now ? candidate + days(1) : candidate;
}

ReminderScheduler::ReminderScheduler(Timers& timers, store::NowFn wall_now, UtcOffsetFn offset,
                                     std::function<void(store::Timestamp)> fire)
    : timers_(timers),
      wall_now_(std::move(wall_now)),
      offset_(std::move(offset)),
      fire_(std::move(fire)) {}

ReminderScheduler::~ReminderScheduler() {
  stop();
}

void ReminderScheduler::start(int hour, int minute) {
  stop();
  hour_ = std::clamp(hour, 0, 23);
  minute_ = std::clamp(minute, 0, 59);
  arm();
}

void ReminderScheduler::stop() {
  if (timer_ != 0) timers_.cancel(timer_);
  timer_ = 0;
}

void ReminderScheduler::arm() {
  // From the slot just fired on, so a timer that runs a little early
  // (steady clock vs wall clock) cannot pick the same slot again.
  const auto now = std::max(wall_now_(), last_fired_);
  next_ = next_local_time(now, hour_, minute_, offset_);
  const auto delay = std::max(milliseconds{0}, next_ - wall_now_());
  timer_ = timers_.schedule(delay, [this] { on_timer(); });
}

void ReminderScheduler::on_timer() {
  timer_ = 0;
  const auto slot = next_;
  // The wall clock may have been set back since arming: wait for the slot.
  if (wall_now_() + std::chrono::seconds(1) < slot) {
    timer_ = timers_.schedule(slot - wall_now_(), [this] { on_timer(); });
    return;
  }
  last_fired_ = slot;
  arm();
  fire_(slot);
}

}  // namespace switchboard::features::mail
