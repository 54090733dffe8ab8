// The daily reminder's clock (issue 8 §5, voicemail.reminders.time): fires
// a callback once a day at a local time of day. Timers carry the delay (so
// tests run days in virtual time); the wall clock and the UTC offset decide
// when "09:00 local" is, recomputed every day so DST changes are followed.
// Core thread only.
#pragma once

#include <functional>

#include "common/timers.hpp"
#include "features/mail/local_time.hpp"
#include "store/time.hpp"

namespace switchboard::features::mail {

/// The first instant after `now` whose local time of day is hour:minute.
store::Timestamp next_local_time(store::Timestamp now, int hour, int minute,
                                 const UtcOffsetFn& offset);

class ReminderScheduler {
 public:
  /// `fire` gets the instant it was scheduled for.
  ReminderScheduler(Timers& timers, store::NowFn wall_now, UtcOffsetFn offset,
                    std::function<void(store::Timestamp)> fire);
  ~ReminderScheduler();
  ReminderScheduler(const ReminderScheduler&) = delete;
  ReminderScheduler& operator=(const ReminderScheduler&) = delete;

  /// (Re)starts at hour:minute local; replaces an earlier schedule.
  void start(int hour, int minute);
  void stop();
  bool running() const { return timer_ != 0; }
  /// When it fires next (meaningful while running()).
  store::Timestamp next() const { return next_; }

 private:
  void arm();
  void on_timer();

  Timers& timers_;
  store::NowFn wall_now_;
  UtcOffsetFn offset_;
  std::function<void(store::Timestamp)> fire_;
  int hour_ = 9;
  int minute_ = 0;
  TimerId timer_ = 0;
  store::Timestamp next_{};
  store::Timestamp last_fired_{};  ///< never fire the same slot twice
};

}  // namespace switchboard::features::mail
