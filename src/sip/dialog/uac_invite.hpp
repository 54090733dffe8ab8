// An outgoing INVITE as the UAC core sees it (RFC 3261 §13.2): early dialogs
// from 1xx, the dialog of the first 2xx (ACKed here), 2xx retransmissions
// re-ACKed, and 2xx from other forks ACKed then ended with BYE (§13.2.2.4).
// CANCEL is sent only once a provisional has arrived (§9.1).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "sip/dialog/dialog.hpp"
#include "sip/transaction/transaction_layer.hpp"

namespace switchboard::sip {

class UacInvite : public std::enable_shared_from_this<UacInvite> {
 public:
  struct Handlers {
    std::function<void(const Message& response)> provisional;
    /// The first 2xx: `dialog` is confirmed and already ACKed.
    std::function<void(Dialog& dialog, const Message& response)> answered;
    /// A final non-2xx (including 487 after cancel()).
    std::function<void(const Message& response)> rejected;
    /// No final response: Timer B or a transport error.
    std::function<void(ClientTransaction::Failure)> failed;
  };

  UacInvite(TransactionLayer& layer, Message invite, Destination to, Handlers handlers);

  void start();
  /// Cancels a pending INVITE (deferred until a provisional arrives).
  void cancel();
  /// A 2xx that reached the TU outside the transaction (after Timer M):
  /// re-ACK it if it is ours. Returns true if it was.
  bool on_stray_response(const Message& response);

  const Message& invite() const { return invite_; }
  Dialog* dialog() { return answered_ ? &dialogs_.at(*answered_) : nullptr; }
  bool answered() const { return answered_.has_value(); }
  bool finished() const { return finished_; }

 private:
  void on_response(const Message& r);
  void on_2xx(const Message& r);
  void send_cancel();

  TransactionLayer& layer_;
  Message invite_;  ///< as sent, with our Via
  Destination to_;
  Handlers handlers_;
  ClientTransactionPtr txn_;
  uint32_t cseq_ = 0;
  std::map<std::string, Dialog> dialogs_;  ///< by remote tag (early and confirmed)
  std::map<std::string, Message> acks_;    ///< the ACK sent per remote tag
  std::optional<std::string> answered_;    ///< remote tag of the winning 2xx
  bool provisional_seen_ = false, cancel_wanted_ = false, cancel_sent_ = false;
  bool finished_ = false;
};

}  // namespace switchboard::sip
