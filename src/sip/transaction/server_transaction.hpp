// Server transactions (RFC 3261 §17.2, with the Accepted state of RFC 6026).
// INVITE:      Proceeding → Completed (3xx–6xx) → Confirmed (ACK) → Terminated
//              Proceeding → Accepted (2xx, Timer L) → Terminated
// non-INVITE:  Trying → Proceeding (1xx) → Completed (final, Timer J) → Terminated
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "sip/message.hpp"
#include "sip/transaction/transaction_context.hpp"

namespace switchboard::sip {

class ServerTransaction : public std::enable_shared_from_this<ServerTransaction> {
 public:
  enum class State { kTrying, kProceeding, kCompleted, kConfirmed, kAccepted, kTerminated };

  struct Hooks {
    std::function<void(ServerTransaction&)> terminated;  ///< remove from the layer's table
    std::function<void(ServerTransaction&)> ack_timeout;  ///< Timer H: no ACK for a non-2xx
    std::function<void(ServerTransaction&, const Status&)> transport_error;
  };

  ServerTransaction(TransactionContext& ctx, std::string key, Message request, Source source,
                    Destination reply_to, Hooks hooks);
  ~ServerTransaction();

  const std::string& key() const { return key_; }
  const Message& request() const { return request_; }
  const Source& source() const { return source_; }
  bool is_invite() const { return invite_; }
  State state() const { return state_; }
  /// The last response sent, if any.
  const std::optional<Message>& last_response() const { return last_; }

  /// Sends a response from the transaction user. Ignored (and false) when the
  /// state does not allow it, e.g. a second final response.
  bool respond(Message response);

  // Events from the layer.
  void on_retransmission();  ///< the same request again
  void on_ack();             ///< ACK matched this INVITE transaction

 private:
  void send_last();
  void set_state(State s);
  void start_timer_g(Duration interval);
  void terminate();
  bool reliable() const { return is_stream(reply_to_.protocol); }

  TransactionContext& ctx_;
  std::string key_;
  Message request_;
  Source source_;
  Destination reply_to_;
  Hooks hooks_;
  bool invite_;
  State state_;
  std::optional<Message> last_;
  std::string last_bytes_;
  TimerId timer_g_ = 0, timer_h_ = 0, timer_end_ = 0;  // end = I, J or L
};

const char* to_string(ServerTransaction::State s);

}  // namespace switchboard::sip
