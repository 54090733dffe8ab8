// Message-waiting indication (issue 8 §6): the message-summary package on
// the SubscriptionServer, plus the entry point the voicemail feature calls on
// every change of a mailbox's counts. Subscribed phones get an in-dialog
// NOTIFY; with `unsolicited` on, registered contacts that hold no
// subscription get an out-of-dialog NOTIFY too (phones configured for it).
// Core thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/registrar/registrar.hpp"
#include "core/subscriptions/message_summary.hpp"
#include "core/subscriptions/subscription_server.hpp"
#include "sip/transaction/transaction_layer.hpp"

namespace switchboard::core {

struct MwiOptions {
  std::string domain;        ///< Message-Account: sip:<mailbox>@<domain>
  bool unsolicited = false;  ///< voicemail.mwi.unsolicited_notify
};

struct MwiStats {
  uint64_t published = 0, unsolicited_sent = 0, unsolicited_failed = 0;
};

class MwiNotifier {
 public:
  /// Registers the message-summary package with `server`. `exists` tells
  /// which mailboxes exist (the extensions); `counts` reads a mailbox's
  /// counts off the core thread (make_store_counts_lookup).
  MwiNotifier(SubscriptionServer& server, sip::TransactionLayer& layer, const Registrar& registrar,
              MessageSummaryPackage::MailboxExists exists,
              MessageSummaryPackage::CountsLookup counts, MwiOptions options);

  /// The counts of `mailbox` changed (message left, heard, saved, deleted):
  /// NOTIFY its subscribers, and its unsubscribed contacts when unsolicited.
  void publish(const std::string& mailbox, int64_t new_count, int64_t old_count);

  /// A phone of `mailbox` registered: with unsolicited on, tell it the
  /// current counts (read from the store first).
  void on_registered(const std::string& mailbox);

  void set_unsolicited(bool on) { options_.unsolicited = on; }
  const MwiStats& stats() const { return stats_; }

 private:
  void send_unsolicited(const std::string& mailbox, const std::string& body);

  SubscriptionServer& server_;
  sip::TransactionLayer& layer_;
  const Registrar& registrar_;
  std::shared_ptr<MessageSummaryPackage> package_;
  MessageSummaryPackage::CountsLookup counts_;
  MwiOptions options_;
  MwiStats stats_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace switchboard::core
