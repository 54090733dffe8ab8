// Client transactions (RFC 3261 §17.1, with the Accepted state of RFC 6026).
// INVITE:     Calling (Timer A/B) → Proceeding → Completed (3xx–6xx: ACK, Timer D)
//             → Terminated;  any → Accepted (2xx, Timer M) → Terminated
// non-INVITE: Trying (Timer E/F) → Proceeding → Completed (Timer K) → Terminated
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "sip/message.hpp"
#include "sip/transaction/transaction_context.hpp"

namespace switchboard::sip {

class ClientTransaction : public std::enable_shared_from_this<ClientTransaction> {
 public:
  enum class State { kCalling, kTrying, kProceeding, kCompleted, kAccepted, kTerminated };
  enum class Failure { kTimeout, kTransportError };

  struct Handlers {
    /// Every response the TU must see: 1xx, the final one, and (INVITE, RFC
    /// 6026) 2xx retransmissions from other forks while Accepted.
    std::function<void(const Message& response)> response;
    /// Timer B/F fired, or the transport failed, before a final response.
    std::function<void(Failure)> failure;
  };

  struct Hooks {
    std::function<void(ClientTransaction&)> terminated;
  };

  ClientTransaction(TransactionContext& ctx, std::string key, Message request, Destination to,
                    Handlers handlers, Hooks hooks);
  ~ClientTransaction();

  /// Sends the request and starts the timers.
  void start();

  const std::string& key() const { return key_; }
  const Message& request() const { return request_; }
  const Destination& destination() const { return to_; }
  bool is_invite() const { return invite_; }
  State state() const { return state_; }

  /// A response matched this transaction.
  void on_response(const Message& response);

 private:
  void send_request();
  void send_ack(const Message& response);
  void set_state(State s);
  void retransmit_after(Duration interval);
  void fail(Failure f);
  void terminate();
  bool reliable() const { return is_stream(to_.protocol); }

  TransactionContext& ctx_;
  std::string key_;
  Message request_;
  std::string request_bytes_;
  Destination to_;
  Handlers handlers_;
  Hooks hooks_;
  bool invite_;
  State state_;
  std::string ack_bytes_;
  TimerId timer_retx_ = 0;  ///< A or E
  TimerId timer_fail_ = 0;  ///< B or F
  TimerId timer_end_ = 0;   ///< D, K or M
};

const char* to_string(ClientTransaction::State s);

/// The ACK for a non-2xx final response (§17.1.1.3): same Request-URI, top
/// Via, From, Call-ID, CSeq number and Route set as the INVITE; To from the
/// response.
Message make_non2xx_ack(const Message& invite, const Message& response);

/// A CANCEL for a pending request (§9.1).
Message make_cancel(const Message& request);

}  // namespace switchboard::sip
