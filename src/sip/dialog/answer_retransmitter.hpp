// The UAS core's 2xx retransmission for INVITE (RFC 3261 §13.3.1.4): the 2xx
// is resent at T1, 2·T1 … capped at T2 until the ACK arrives; after 64·T1
// without ACK the UAS gives up (and should end the dialog with BYE).
#pragma once

#include <functional>

#include "common/timers.hpp"
#include "sip/transaction/transaction_context.hpp"

namespace switchboard::sip {

class AnswerRetransmitter {
 public:
  AnswerRetransmitter(Timers& timers, TimerSettings settings, std::function<void()> resend,
                      std::function<void()> gave_up);
  ~AnswerRetransmitter();
  AnswerRetransmitter(const AnswerRetransmitter&) = delete;
  AnswerRetransmitter& operator=(const AnswerRetransmitter&) = delete;

  /// Call right after the first 2xx was sent.
  void start();
  /// The ACK arrived: stop.
  void acked();
  bool active() const { return active_; }

 private:
  void arm(Duration interval);

  Timers& timers_;
  TimerSettings settings_;
  std::function<void()> resend_, gave_up_;
  TimerId retx_ = 0, give_up_ = 0;
  bool active_ = false;
};

}  // namespace switchboard::sip
