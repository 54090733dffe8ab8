// The transaction layer (RFC 3261 §17) between the transports and the
// transaction user (registrar, B2BUA …). It parses what the transports
// deliver, answers broken requests itself (400 …), applies RFC 3581
// received/rport, matches retransmissions and responses to transactions, and
// hands everything new to the TU. Runs on the core thread; time comes from a
// Timers so every timer path is tested in virtual time.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "sip/message.hpp"
#include "sip/parser.hpp"
#include "sip/transaction/client_transaction.hpp"
#include "sip/transaction/server_transaction.hpp"
#include "sip/transaction/transaction_context.hpp"
#include "sip/validator.hpp"

namespace switchboard::sip {

using ServerTransactionPtr = std::shared_ptr<ServerTransaction>;
using ClientTransactionPtr = std::shared_ptr<ClientTransaction>;

/// The transaction user's side. Every callback runs on the core thread.
struct TransactionUser {
  /// A new request (not ACK, not CANCEL); answer through txn->respond().
  std::function<void(const ServerTransactionPtr& txn)> request;
  /// A CANCEL matched this INVITE transaction; the layer already answered
  /// the CANCEL with 200. The TU stops ringing and sends 487 if it has not
  /// sent a final response.
  std::function<void(const ServerTransactionPtr& invite)> cancelled;
  /// An ACK that belongs to no transaction: the ACK of a 2xx (§13.2.2.4, 17.2.3).
  std::function<void(const Message& ack, const Source& from)> ack;
  /// A response no client transaction matched (e.g. a 2xx retransmission
  /// after Timer M; the dialog layer re-ACKs it).
  std::function<void(const Message& response, const Source& from)> stray_response;
  /// Timer H: the ACK for our non-2xx final response never came.
  std::function<void(const ServerTransaction& txn)> ack_timeout;
};

struct TransactionLayerOptions {
  TimerSettings timers;
  ParseLimits limits;
  ValidationPolicy policy;
  /// host[:port] we put in Via sent-by, per transport.
  std::function<std::string(Protocol)> sent_by;
  std::string server_header = "Switchboard";
};

struct TransactionStats {
  uint64_t requests_in = 0, responses_in = 0;
  uint64_t retransmissions_absorbed = 0;
  uint64_t parse_errors = 0, rejected = 0, stray_responses = 0;
};

class TransactionLayer {
 public:
  using Sender = std::function<void(const Destination&, std::string, TransportLayer::SendDone)>;

  TransactionLayer(Timers& timers, Sender send, TransactionLayerOptions options);
  ~TransactionLayer();

  void set_user(TransactionUser user) { tu_ = std::move(user); }

  /// Feed from the transport.
  void receive(std::string bytes, const Source& from);

  /// Sends a request in a new client transaction. A top Via with a fresh
  /// branch and rport is added here. ACK for a 2xx is not a transaction: use
  /// send_stateless().
  ClientTransactionPtr send_request(Message request, const Destination& to,
                                    ClientTransaction::Handlers handlers);

  /// Prepends our Via (sent-by for `protocol`, a fresh branch, rport) and
  /// returns the branch. send_request does this itself; the ACK of a 2xx,
  /// which is sent outside transactions, needs it too.
  std::string add_via(Message& m, Protocol protocol) const;

  /// Sends a message outside any transaction (ACK for 2xx, 2xx retransmission
  /// by the TU of an INVITE whose server transaction ended).
  void send_stateless(const Message& m, const Destination& to);

  /// Where responses to `request` received from `from` go (§18.2.2, RFC 3581).
  static Destination response_destination(const Message& request, const Source& from);

  size_t server_count() const { return servers_.size(); }
  size_t client_count() const { return clients_.size(); }
  ServerTransactionPtr find_server(const std::string& key) const;
  const TransactionStats& stats() const { return stats_; }
  const TransactionLayerOptions& options() const { return options_; }

 private:
  void on_request(Message req, const Source& from);
  void on_response(Message resp, const Source& from);
  void on_cancel(Message cancel, const std::string& key, const Source& from);
  void reject_unparsable(std::string bytes, const std::string& why, const Source& from);
  ServerTransactionPtr new_server(std::string key, Message req, const Source& from);

  TransactionContext ctx_;
  TransactionLayerOptions options_;
  TransactionUser tu_;
  std::unordered_map<std::string, ServerTransactionPtr> servers_;
  std::unordered_map<std::string, ClientTransactionPtr> clients_;
  TransactionStats stats_;
};

/// Adds RFC 3581 received/rport (and received when the sent-by host is not
/// the source address, §18.2.1) to the top Via of a request.
void stamp_received(Message& request, const Source& from);

}  // namespace switchboard::sip
