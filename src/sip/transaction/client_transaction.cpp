#include "sip/transaction/client_transaction.hpp"

#include <fmt/format.h>

#include "common/log.hpp"
#include "sip/cseq.hpp"
#include "sip/serializer.hpp"
#include "sip/transaction/transaction_key.hpp"

namespace switchboard::sip {

using State = ClientTransaction::State;

const char* to_string(State s) {
  switch (s) {
    case State::kCalling: return "Calling";
    case State::kTrying: return "Trying";
    case State::kProceeding: return "Proceeding";
    case State::kCompleted: return "Completed";
    case State::kAccepted: return "Accepted";
    case State::kTerminated: return "Terminated";
  }
  return "?";
}

namespace {

/// Request-URI, top Via, From, Call-ID, CSeq number and Route of `req`, for
/// ACK and CANCEL which must match the original in all of these.
Message same_transaction_request(const Message& req, std::string_view method) {
  Message m = Message::request(method, req.request_uri());
  if (auto via = top_via_value(req)) m.add_header(HeaderId::kVia, *via);
  m.add_header(HeaderId::kMaxForwards, "70");
  if (auto from = req.value(HeaderId::kFrom)) m.add_header(HeaderId::kFrom, *from);
  if (auto call_id = req.value(HeaderId::kCallId)) m.add_header(HeaderId::kCallId, *call_id);
  if (auto cseq = req.value(HeaderId::kCSeq)) {
    if (auto c = parse_cseq(*cseq); c.ok()) {
      m.add_header(HeaderId::kCSeq, fmt::format("{} {}", c->number, method));
    }
  }
  for (auto route : req.values(HeaderId::kRoute)) m.add_header(HeaderId::kRoute, route);
  return m;
}

}  // namespace

Message make_non2xx_ack(const Message& invite, const Message& response) {
  Message ack = same_transaction_request(invite, "ACK");
  if (auto to = response.value(HeaderId::kTo)) ack.add_header(HeaderId::kTo, *to);
  return ack;
}

Message make_cancel(const Message& request) {
  Message cancel = same_transaction_request(request, "CANCEL");
  if (auto to = request.value(HeaderId::kTo)) cancel.add_header(HeaderId::kTo, *to);
  return cancel;
}

ClientTransaction::ClientTransaction(TransactionContext& ctx, std::string key, Message request,
                                     Destination to, Handlers handlers, Hooks hooks)
    : ctx_(ctx),
      key_(std::move(key)),
      request_(std::move(request)),
      to_(to),
      handlers_(std::move(handlers)),
      hooks_(std::move(hooks)),
      invite_(request_.method() == "INVITE"),
      state_(invite_ ? State::kCalling : State::kTrying) {
  request_bytes_ = serialize(request_);
}

ClientTransaction::~ClientTransaction() {
  for (TimerId t : {timer_retx_, timer_fail_, timer_end_}) ctx_.timers.cancel(t);
}

void ClientTransaction::set_state(State s) {
  log::get("sip")->trace("client txn {} {} -> {}", key_, to_string(state_), to_string(s));
  state_ = s;
}

void ClientTransaction::send_request() {
  auto self = weak_from_this();
  ctx_.send(to_, request_bytes_, [self](Status st) {
    auto t = self.lock();
    if (!st.ok() && t && (t->state_ == State::kCalling || t->state_ == State::kTrying ||
                          t->state_ == State::kProceeding)) {
      log::get("sip")->info("transport error for {}: {}", t->key_, st.error().message);
      t->fail(Failure::kTransportError);
    }
  });
}

void ClientTransaction::start() {
  send_request();
  if (!reliable()) retransmit_after(ctx_.settings.t1);
  timer_fail_ = ctx_.timers.schedule(ctx_.settings.timer_b(), [this] {
    timer_fail_ = 0;
    fail(Failure::kTimeout);
  });
}

void ClientTransaction::retransmit_after(Duration interval) {
  timer_retx_ = ctx_.timers.schedule(interval, [this, interval] {
    timer_retx_ = 0;
    if (state_ == State::kCalling) {
      send_request();  // Timer A doubles without cap
      retransmit_after(interval * 2);
    } else if (state_ == State::kTrying || state_ == State::kProceeding) {
      send_request();  // Timer E: doubles up to T2; in Proceeding it stays at T2
      retransmit_after(state_ == State::kProceeding ? ctx_.settings.t2
                                                    : std::min(interval * 2, ctx_.settings.t2));
    }
  });
}

void ClientTransaction::send_ack(const Message& response) {
  ack_bytes_ = serialize(make_non2xx_ack(request_, response));
  ctx_.send(to_, ack_bytes_, nullptr);
}

void ClientTransaction::on_response(const Message& resp) {
  int code = resp.status_code();
  auto deliver = [&] {
    if (handlers_.response) handlers_.response(resp);
  };
  auto keep = shared_from_this();  // handlers may end the transaction's owner
  switch (state_) {
    case State::kCalling:
    case State::kTrying:
    case State::kProceeding:
      if (code < 200) {
        if (state_ == State::kCalling) {
          ctx_.timers.cancel(timer_retx_);  // Timer A stops on a provisional
          timer_retx_ = 0;
        }
        set_state(State::kProceeding);
        return deliver();
      }
      ctx_.timers.cancel(timer_retx_);
      ctx_.timers.cancel(timer_fail_);
      timer_retx_ = timer_fail_ = 0;
      if (invite_ && code < 300) {
        // RFC 6026: Accepted absorbs nothing but passes 2xx from other forks up.
        set_state(State::kAccepted);
        timer_end_ = ctx_.timers.schedule(ctx_.settings.timer_b(), [this] { terminate(); });
        return deliver();
      }
      if (invite_) send_ack(resp);
      set_state(State::kCompleted);
      {
        Duration wait = reliable() ? Duration(0)
                        : invite_  ? ctx_.settings.timer_d()
                                   : ctx_.settings.t4;  // Timer D or K
        timer_end_ = ctx_.timers.schedule(wait, [this] { terminate(); });
      }
      return deliver();
    case State::kCompleted:
      // Retransmitted final response: re-ACK (INVITE); never reaches the TU.
      if (invite_ && code >= 300) ctx_.send(to_, ack_bytes_, nullptr);
      return;
    case State::kAccepted:
      if (code >= 200 && code < 300) deliver();
      return;
    case State::kTerminated:
      return;
  }
}

void ClientTransaction::fail(Failure f) {
  if (state_ == State::kTerminated || state_ == State::kCompleted ||
      state_ == State::kAccepted) {
    return;
  }
  auto keep = shared_from_this();
  if (handlers_.failure) handlers_.failure(f);
  terminate();
}

void ClientTransaction::terminate() {
  if (state_ == State::kTerminated) return;
  set_state(State::kTerminated);
  for (TimerId* t : {&timer_retx_, &timer_fail_, &timer_end_}) {
    ctx_.timers.cancel(*t);
    *t = 0;
  }
  auto keep = shared_from_this();
  if (hooks_.terminated) hooks_.terminated(*this);
}

}  // namespace switchboard::sip
