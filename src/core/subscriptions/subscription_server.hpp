// The notifier side of SIP-specific event notification (RFC 6665) for every
// event package: a SUBSCRIBE creates a dialog and is answered 200 with the
// granted Expires (bounded: 423 Interval Too Brief + Min-Expires below the
// minimum, the maximum above it); a refresh in the dialog restarts the
// timer; Expires: 0 ends it (or, on a new SUBSCRIBE, is a one-time fetch).
// Each subscribe or refresh is followed by a NOTIFY with the current state
// (Subscription-State: active;expires=N), every change by another; the end
// by a final NOTIFY with Subscription-State: terminated;reason=…. NOTIFYs
// are client non-INVITE transactions in the dialog, one at a time; a 481,
// 408, timeout or transport error ends the subscription. Unknown packages get
// 489 Bad Event with Allow-Events. Core thread only.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/timers.hpp"
#include "core/subscriptions/event_package.hpp"
#include "core/subscriptions/subscribe_request.hpp"
#include "core/subscriptions/subscription.hpp"
#include "sip/transaction/transaction_layer.hpp"

namespace switchboard::core {

struct SubscriptionOptions {
  ExpiryBounds expires;              ///< min 60, max 3600, default 3600 seconds
  size_t max_subscriptions = 10000;  ///< beyond: 503 with Retry-After
  /// Off: the subscriber is the From user, if it is an extension.
  bool require_authentication = true;
};

struct SubscriptionStats {
  uint64_t subscribes = 0, created = 0, refreshed = 0, fetches = 0, unsubscribed = 0;
  uint64_t expired = 0, refused = 0, notifies = 0, notify_failures = 0, terminated_by_peer = 0;
};

class SubscriptionServer {
 public:
  /// Without authentication: is this From user an extension?
  using UserExists = std::function<bool(std::string_view user)>;

  SubscriptionServer(sip::TransactionLayer& layer, Timers& timers, SubscriptionOptions options,
                     UserExists user_exists = {});
  ~SubscriptionServer();
  SubscriptionServer(const SubscriptionServer&) = delete;
  SubscriptionServer& operator=(const SubscriptionServer&) = delete;

  /// Registers a package under its name(); a second one of the same name replaces it.
  void add_package(EventPackagePtr package);

  /// The request filter authenticated `txn` as `user` (called right before
  /// on_subscribe for the same transaction, as B2bua::note_authenticated).
  void note_authenticated(const sip::ServerTransaction& txn, std::string user);

  /// Handles a SUBSCRIBE, new or in a dialog, and answers it.
  void on_subscribe(const sip::ServerTransactionPtr& txn);

  /// The state of `resource` changed: NOTIFY every subscription to it.
  void notify(std::string_view package, std::string_view resource, std::string body);

  /// Ends every subscription with a final NOTIFY now (shutdown), not waiting
  /// for NOTIFYs in flight.
  void terminate_all(std::string_view reason = "deactivated");

  /// Where the active subscriptions to `resource` are (to tell which phones
  /// already subscribed, e.g. before unsolicited MWI).
  std::vector<sip::Destination> watchers(std::string_view package, std::string_view resource) const;

  size_t count() const { return subs_.size(); }
  /// "message-summary, …" for Allow-Events.
  std::string allow_events() const;
  const SubscriptionStats& stats() const { return stats_; }
  void set_options(SubscriptionOptions o) { options_ = o; }

 private:
  // SUBSCRIBE (subscription_server.cpp)
  void on_new(const sip::ServerTransactionPtr& txn, const SubscribeRequest& req);
  void on_refresh(const sip::ServerTransactionPtr& txn, Subscription& sub,
                  const SubscribeRequest& req);
  std::optional<std::string> subscriber_of(const sip::ServerTransaction& txn) const;
  void refuse(const sip::ServerTransactionPtr& txn, const Refusal& r);
  void accept(const sip::ServerTransactionPtr& txn, const Subscription& sub, uint32_t expires);
  std::string contact_for(sip::Protocol p) const;
  EventPackage* package(std::string_view name) const;
  Subscription* find_dialog(const sip::Message& req);

  // State, NOTIFY and the end (subscription_notify.cpp)
  void arm_expiry(Subscription& sub, uint32_t seconds);
  void fetch_state(Subscription& sub);
  void flush(Subscription& sub);
  void send_notify(Subscription& sub, const std::string& body, bool final);
  void on_notify_response(uint64_t id, const sip::Message& response);
  void on_notify_failure(uint64_t id, sip::ClientTransaction::Failure f);
  void begin_end(Subscription& sub, std::string reason, bool fetch_first);
  void erase(uint64_t id);

  static std::string resource_key(std::string_view package, std::string_view resource);

  sip::TransactionLayer& layer_;
  Timers& timers_;
  SubscriptionOptions options_;
  UserExists user_exists_;
  std::map<std::string, EventPackagePtr, std::less<>> packages_;
  std::map<uint64_t, std::unique_ptr<Subscription>> subs_;
  std::map<std::string, uint64_t, std::less<>> by_dialog_;              // DialogId::str()
  std::map<std::string, std::set<uint64_t>, std::less<>> by_resource_;  // resource_key()
  uint64_t next_id_ = 1;
  const sip::ServerTransaction* authenticated_txn_ = nullptr;
  std::string authenticated_user_;
  SubscriptionStats stats_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace switchboard::core
