#include "sip/transaction/server_transaction.hpp"

#include "common/log.hpp"
#include "sip/serializer.hpp"

namespace switchboard::sip {

using State = ServerTransaction::State;

const char* to_string(State s) {
  switch (s) {
    case State::kTrying: return "Trying";
    case State::kProceeding: return "Proceeding";
    case State::kCompleted: return "Completed";
    case State::kConfirmed: return "Confirmed";
    case State::kAccepted: return "Accepted";
    case State::kTerminated: return "Terminated";
  }
  return "?";
}

ServerTransaction::ServerTransaction(TransactionContext& ctx, std::string key, Message request,
                                     Source source, Destination reply_to, Hooks hooks)
    : ctx_(ctx),
      key_(std::move(key)),
      request_(std::move(request)),
      source_(source),
      reply_to_(reply_to),
      hooks_(std::move(hooks)),
      invite_(request_.method() == "INVITE"),
      state_(invite_ ? State::kProceeding : State::kTrying) {}

ServerTransaction::~ServerTransaction() {
  for (TimerId t : {timer_g_, timer_h_, timer_end_}) ctx_.timers.cancel(t);
}

void ServerTransaction::set_state(State s) {
  log::get("sip")->trace("server txn {} {} -> {}", key_, to_string(state_), to_string(s));
  state_ = s;
}

void ServerTransaction::send_last() {
  auto self = weak_from_this();
  ctx_.send(reply_to_, last_bytes_, [self](Status st) {
    auto t = self.lock();
    if (!st.ok() && t && t->hooks_.transport_error) t->hooks_.transport_error(*t, st);
  });
}

bool ServerTransaction::respond(Message response) {
  int code = response.status_code();
  bool allowed = state_ == State::kTrying || state_ == State::kProceeding ||
                 (state_ == State::kAccepted && code >= 200 && code < 300);  // 2xx retransmit
  if (!allowed || code < 100 || code > 699) {
    log::get("sip")->debug("server txn {}: {} not sent in state {}", key_, code,
                           to_string(state_));
    return false;
  }
  last_bytes_ = serialize(response);
  last_ = std::move(response);
  send_last();
  if (code < 200) {
    set_state(State::kProceeding);
    return true;
  }
  if (!invite_) {
    set_state(State::kCompleted);
    // Timer J absorbs request retransmissions (zero on reliable transports).
    Duration j = reliable() ? Duration(0) : ctx_.settings.timer_b();
    timer_end_ = ctx_.timers.schedule(j, [this] { terminate(); });
    return true;
  }
  if (code < 300) {
    if (state_ != State::kAccepted) {
      // RFC 6026: stay to absorb INVITE retransmissions; the TU retransmits 2xx.
      set_state(State::kAccepted);
      timer_end_ = ctx_.timers.schedule(ctx_.settings.timer_b(), [this] { terminate(); });
    }
    return true;
  }
  set_state(State::kCompleted);
  if (!reliable()) start_timer_g(ctx_.settings.t1);
  timer_h_ = ctx_.timers.schedule(ctx_.settings.timer_b(), [this] {
    timer_h_ = 0;
    if (state_ != State::kCompleted) return;
    log::get("sip")->info("no ACK for {} to {} (Timer H)", last_->status_code(), key_);
    auto keep = shared_from_this();
    if (hooks_.ack_timeout) hooks_.ack_timeout(*this);
    terminate();
  });
  return true;
}

void ServerTransaction::start_timer_g(Duration interval) {
  timer_g_ = ctx_.timers.schedule(interval, [this, interval] {
    timer_g_ = 0;
    if (state_ != State::kCompleted) return;
    send_last();
    start_timer_g(std::min(interval * 2, ctx_.settings.t2));
  });
}

void ServerTransaction::on_retransmission() {
  // A retransmitted request gets the last response again (§17.2.1, §17.2.2).
  if (last_ && (state_ == State::kProceeding || state_ == State::kCompleted)) send_last();
}

void ServerTransaction::on_ack() {
  if (!invite_ || state_ != State::kCompleted) return;
  set_state(State::kConfirmed);
  ctx_.timers.cancel(timer_g_);
  ctx_.timers.cancel(timer_h_);
  timer_g_ = timer_h_ = 0;
  // Timer I absorbs ACK retransmissions.
  Duration i = reliable() ? Duration(0) : ctx_.settings.t4;
  timer_end_ = ctx_.timers.schedule(i, [this] { terminate(); });
}

void ServerTransaction::terminate() {
  if (state_ == State::kTerminated) return;
  set_state(State::kTerminated);
  for (TimerId* t : {&timer_g_, &timer_h_, &timer_end_}) {
    ctx_.timers.cancel(*t);
    *t = 0;
  }
  auto keep = shared_from_this();  // the hook may drop the layer's reference
  if (hooks_.terminated) hooks_.terminated(*this);
}

}  // namespace switchboard::sip
