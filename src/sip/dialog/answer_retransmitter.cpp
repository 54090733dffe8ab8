#include "sip/dialog/answer_retransmitter.hpp"

namespace switchboard::sip {

AnswerRetransmitter::AnswerRetransmitter(Timers& timers, TimerSettings settings,
                                         std::function<void()> resend,
                                         std::function<void()> gave_up)
    : timers_(timers),
      settings_(settings),
      resend_(std::move(resend)),
      gave_up_(std::move(gave_up)) {}

AnswerRetransmitter::~AnswerRetransmitter() { acked(); }

void AnswerRetransmitter::start() {
  active_ = true;
  arm(settings_.t1);
  give_up_ = timers_.schedule(settings_.timer_b(), [this] {
    give_up_ = 0;
    timers_.cancel(retx_);
    retx_ = 0;
    active_ = false;
    if (gave_up_) gave_up_();
  });
}

void AnswerRetransmitter::arm(Duration interval) {
  retx_ = timers_.schedule(interval, [this, interval] {
    retx_ = 0;
    if (resend_) resend_();
    arm(std::min(interval * 2, settings_.t2));
  });
}

void AnswerRetransmitter::acked() {
  active_ = false;
  timers_.cancel(retx_);
  timers_.cancel(give_up_);
  retx_ = give_up_ = 0;
}

}  // namespace switchboard::sip
