// SUBSCRIBE handling: validation, creation, refresh and unsubscribe.
#include "core/subscriptions/subscription_server.hpp"

#include <fmt/format.h>

#include "common/log.hpp"
#include "sip/builder.hpp"
#include "sip/message_headers.hpp"

namespace switchboard::core {

SubscriptionServer::SubscriptionServer(sip::TransactionLayer& layer, Timers& timers,
                                       SubscriptionOptions options, UserExists user_exists)
    : layer_(layer),
      timers_(timers),
      options_(std::move(options)),
      user_exists_(std::move(user_exists)) {}

SubscriptionServer::~SubscriptionServer() {
  for (auto& [id, sub] : subs_) {
    if (sub->expiry_timer) timers_.cancel(sub->expiry_timer);
  }
}

void SubscriptionServer::add_package(EventPackagePtr package) {
  std::string name(package->name());
  packages_[name] = std::move(package);
}

void SubscriptionServer::note_authenticated(const sip::ServerTransaction& txn, std::string user) {
  authenticated_txn_ = &txn;
  authenticated_user_ = std::move(user);
}

EventPackage* SubscriptionServer::package(std::string_view name) const {
  auto it = packages_.find(name);
  return it == packages_.end() ? nullptr : it->second.get();
}

std::string SubscriptionServer::allow_events() const {
  std::string out;
  for (const auto& [name, p] : packages_) out += (out.empty() ? "" : ", ") + name;
  return out;
}

std::string SubscriptionServer::resource_key(std::string_view package, std::string_view resource) {
  return fmt::format("{}\n{}", package, resource);
}

void SubscriptionServer::on_subscribe(const sip::ServerTransactionPtr& txn) {
  ++stats_.subscribes;
  const sip::Message& req = txn->request();
  auto parsed = parse_subscribe(req);
  if (auto* refusal = std::get_if<Refusal>(&parsed)) {
    refuse(txn, *refusal);
  } else {
    const auto& r = std::get<SubscribeRequest>(parsed);
    auto to = sip::get_to(req);
    if (to.ok() && to->tag()) {
      Subscription* sub = find_dialog(req);
      if (!sub || sub->phase != SubscriptionPhase::kActive || sub->package != r.package ||
          sub->event_id != r.event_id) {
        refuse(txn, Refusal{481, "Subscription Does Not Exist", {}});
      } else {
        on_refresh(txn, *sub, r);
      }
    } else {
      on_new(txn, r);
    }
  }
  authenticated_txn_ = nullptr;
  authenticated_user_.clear();
}

std::optional<std::string> SubscriptionServer::subscriber_of(
    const sip::ServerTransaction& txn) const {
  if (authenticated_txn_ == &txn) return authenticated_user_;
  if (options_.require_authentication) return std::nullopt;
  auto from = sip::get_from(txn.request());
  if (!from.ok()) return std::nullopt;
  std::string user(from->uri.user);
  if (!user_exists_ || !user_exists_(user)) return std::nullopt;
  return user;
}

void SubscriptionServer::on_new(const sip::ServerTransactionPtr& txn, const SubscribeRequest& r) {
  auto logger = log::get("subscriptions");
  EventPackage* pkg = package(r.package);
  if (!pkg) {
    return refuse(txn, Refusal{489, "Bad Event", {{"Allow-Events", allow_events()}}});
  }
  auto subscriber = subscriber_of(*txn);
  if (!subscriber) return refuse(txn, Refusal{403, "Forbidden", {}});
  if (auto a = pkg->authorize(*subscriber, r.resource); !a.allowed()) {
    logger->info("{} SUBSCRIBE by {} to {}: refused {}", r.package, *subscriber, r.resource,
                 a.status);
    return refuse(txn, Refusal{a.status, a.reason, {}});
  }
  if (auto refusal = check_accept(txn->request(), pkg->content_type())) {
    return refuse(txn, *refusal);
  }
  auto granted = grant_expires(r.expires, options_.expires);
  if (auto* refusal = std::get_if<Refusal>(&granted)) return refuse(txn, *refusal);
  const uint32_t expires = std::get<uint32_t>(granted);
  if (subs_.size() >= options_.max_subscriptions) {
    return refuse(txn, Refusal{503, "Service Unavailable", {{"Retry-After", "60"}}});
  }
  const auto& src = txn->source();
  auto dialog =
      sip::Dialog::from_request(txn->request(), sip::random_hex(8), contact_for(src.protocol));
  if (!dialog.ok()) return refuse(txn, Refusal{400, "Missing Contact or From tag", {}});
  dialog->confirm();

  auto sub = std::make_unique<Subscription>();
  sub->id = next_id_++;
  sub->package = r.package;
  sub->event_id = r.event_id;
  sub->resource = r.resource;
  sub->subscriber = *subscriber;
  sub->dialog = std::move(*dialog);
  sub->peer = sip::Destination{src.protocol, src.remote_ip, src.remote_port, src.connection};
  sub->expires_at = timers_.now() + std::chrono::seconds(expires);
  Subscription& s = *sub;
  by_dialog_[s.dialog.id().str()] = s.id;
  by_resource_[resource_key(s.package, s.resource)].insert(s.id);
  subs_.emplace(s.id, std::move(sub));

  accept(txn, s, expires);
  if (expires == 0) {  // a one-time fetch (RFC 6665 §4.4.3): state, then the end
    ++stats_.fetches;
    begin_end(s, "timeout", true);
    return;
  }
  ++stats_.created;
  logger->info("{} subscription {} by {} to {} for {} s", s.package, s.id, s.subscriber, s.resource,
               expires);
  arm_expiry(s, expires);
  fetch_state(s);
}

void SubscriptionServer::on_refresh(const sip::ServerTransactionPtr& txn, Subscription& sub,
                                    const SubscribeRequest& r) {
  if (auto st = sub.dialog.on_request(txn->request()); !st.ok()) {
    return refuse(txn, Refusal{500, "CSeq Out of Order", {{"Retry-After", "1"}}});
  }
  auto granted = grant_expires(r.expires, options_.expires);
  if (auto* refusal = std::get_if<Refusal>(&granted)) return refuse(txn, *refusal);
  const uint32_t expires = std::get<uint32_t>(granted);
  const auto& src = txn->source();
  sub.peer = sip::Destination{src.protocol, src.remote_ip, src.remote_port, src.connection};
  accept(txn, sub, expires);
  if (expires == 0) {
    ++stats_.unsubscribed;
    log::get("subscriptions")
        ->info("{} subscription {} to {}: unsubscribed", sub.package, sub.id, sub.resource);
    begin_end(sub, "timeout", true);
    return;
  }
  ++stats_.refreshed;
  arm_expiry(sub, expires);
  fetch_state(sub);
}

Subscription* SubscriptionServer::find_dialog(const sip::Message& req) {
  auto call_id = sip::get_call_id(req);
  auto from = sip::get_from(req);
  auto to = sip::get_to(req);
  if (!call_id.ok() || !from.ok() || !to.ok() || !from->tag() || !to->tag()) return nullptr;
  sip::DialogId id{std::string(*call_id), std::string(*to->tag()), std::string(*from->tag())};
  auto it = by_dialog_.find(id.str());
  if (it == by_dialog_.end()) return nullptr;
  auto s = subs_.find(it->second);
  return s == subs_.end() ? nullptr : s->second.get();
}

void SubscriptionServer::refuse(const sip::ServerTransactionPtr& txn, const Refusal& r) {
  ++stats_.refused;
  auto resp = sip::make_response(txn->request(), r.status, r.reason, sip::random_hex(6));
  for (const auto& [name, value] : r.headers) resp.add_header(name, value);
  txn->respond(std::move(resp));
}

void SubscriptionServer::accept(const sip::ServerTransactionPtr& txn, const Subscription& sub,
                                uint32_t expires) {
  auto resp = sip::make_response(txn->request(), 200, "OK", sub.dialog.id().local_tag);
  resp.add_header(sip::HeaderId::kExpires, std::to_string(expires));
  resp.add_header(sip::HeaderId::kContact, sub.dialog.local_contact());
  txn->respond(std::move(resp));
}

std::string SubscriptionServer::contact_for(sip::Protocol p) const {
  std::string sent_by = layer_.options().sent_by ? layer_.options().sent_by(p) : "127.0.0.1";
  std::string t = p == sip::Protocol::kUdp
                      ? ""
                      : std::string(";transport=") + (p == sip::Protocol::kTcp ? "tcp" : "tls");
  return fmt::format("<sip:switchboard@{}{}>", sent_by, t);
}

std::vector<sip::Destination> SubscriptionServer::watchers(std::string_view package,
                                                           std::string_view resource) const {
  std::vector<sip::Destination> out;
  auto it = by_resource_.find(resource_key(package, resource));
  if (it == by_resource_.end()) return out;
  for (uint64_t id : it->second) {
    auto s = subs_.find(id);
    if (s != subs_.end() && s->second->phase == SubscriptionPhase::kActive) {
      out.push_back(s->second->peer);
    }
  }
  return out;
}

}  // namespace switchboard::core
