// The NOTIFY side of SubscriptionServer: current state, NOTIFY transactions
// one at a time, expiry, and the final NOTIFY.
#include <fmt/format.h>

#include "common/log.hpp"
#include "core/subscriptions/subscription_server.hpp"
#include "sip/builder.hpp"

namespace switchboard::core {
namespace {

/// Responses to a NOTIFY that end the subscription's dialog usage
/// (RFC 6665 §4.2.2, RFC 5057 §5.1): it no longer exists at the subscriber.
bool ends_subscription(int code) {
  switch (code) {
    case 404:
    case 405:
    case 408:
    case 410:
    case 416:
    case 480:
    case 481:
    case 482:
    case 483:
    case 484:
    case 485:
    case 489:
    case 501:
    case 604:
      return true;
    default:
      return false;
  }
}

}  // namespace

void SubscriptionServer::arm_expiry(Subscription& sub, uint32_t seconds) {
  if (sub.expiry_timer) timers_.cancel(sub.expiry_timer);
  sub.expires_at = timers_.now() + std::chrono::seconds(seconds);
  const uint64_t id = sub.id;
  sub.expiry_timer = timers_.schedule(std::chrono::seconds(seconds), [this, id] {
    auto it = subs_.find(id);
    if (it == subs_.end()) return;
    Subscription& s = *it->second;
    s.expiry_timer = 0;
    ++stats_.expired;
    log::get("subscriptions")
        ->info("{} subscription {} to {}: expired", s.package, s.id, s.resource);
    begin_end(s, "timeout", false);
  });
}

void SubscriptionServer::fetch_state(Subscription& sub) {
  EventPackage* pkg = package(sub.package);
  const uint64_t generation = ++sub.fetch_generation;
  sub.fetching = true;
  if (!pkg) {  // cannot happen for a subscription we created; stay safe
    sub.fetching = false;
    sub.queued_body = sub.last_body;
    flush(sub);
    return;
  }
  const uint64_t id = sub.id;
  std::weak_ptr<bool> alive = alive_;
  // `sub` may be gone when this runs (expired, peer error): look it up again.
  pkg->current_state(sub.resource, [this, alive, id, generation](Result<std::string> body) {
    if (alive.expired()) return;
    auto it = subs_.find(id);
    if (it == subs_.end()) return;
    Subscription& s = *it->second;
    if (!s.fetching || s.fetch_generation != generation) return;  // overtaken by a change
    s.fetching = false;
    if (body.ok()) {
      s.queued_body = std::move(*body);
    } else {
      // RFC 6665 §4.2.1.2 still wants a NOTIFY: the last state we sent, or none.
      log::get("subscriptions")
          ->warn("{} state of {} unavailable: {}", s.package, s.resource, body.error().message);
      if (!s.queued_body) s.queued_body = s.last_body;
    }
    flush(s);
  });
}

void SubscriptionServer::notify(std::string_view package, std::string_view resource,
                                std::string body) {
  auto it = by_resource_.find(resource_key(package, resource));
  if (it == by_resource_.end()) return;
  const std::set<uint64_t> ids = it->second;  // flush() may erase
  for (uint64_t id : ids) {
    auto s = subs_.find(id);
    if (s == subs_.end()) continue;
    Subscription& sub = *s->second;
    ++sub.fetch_generation;  // a fetch still running would be older than this
    sub.fetching = false;
    sub.queued_body = body;
    flush(sub);
  }
}

void SubscriptionServer::flush(Subscription& sub) {
  if (sub.notify == NotifyPhase::kSending) return;  // after its response
  if (sub.phase == SubscriptionPhase::kActive) {
    if (!sub.queued_body) return;
    std::string body = std::move(*sub.queued_body);
    sub.queued_body.reset();
    send_notify(sub, body, false);
    return;
  }
  if (sub.fetching) return;  // the final NOTIFY carries the current state
  std::string body = sub.queued_body ? std::move(*sub.queued_body) : sub.last_body;
  const uint64_t id = sub.id;
  send_notify(sub, body, true);
  erase(id);
}

void SubscriptionServer::send_notify(Subscription& sub, const std::string& body, bool final) {
  sip::Message m = sub.dialog.make_request("NOTIFY");
  m.add_header(sip::HeaderId::kEvent, sub.event_header());
  m.add_header(sip::HeaderId::kSubscriptionState,
               final
                   ? fmt::format("terminated;reason={}", sub.end_reason)
                   : fmt::format("active;expires={}", seconds_left(timers_.now(), sub.expires_at)));
  if (!body.empty()) {
    EventPackage* pkg = package(sub.package);
    sip::set_body(m, pkg ? pkg->content_type() : "text/plain", body);
  }
  sub.last_body = body;
  sub.notify = NotifyPhase::kSending;
  ++stats_.notifies;
  const uint64_t id = sub.id;
  std::weak_ptr<bool> alive = alive_;
  sip::ClientTransaction::Handlers h;
  h.response = [this, alive, id](const sip::Message& r) {
    if (!alive.expired()) on_notify_response(id, r);
  };
  h.failure = [this, alive, id](sip::ClientTransaction::Failure f) {
    if (!alive.expired()) on_notify_failure(id, f);
  };
  const sip::Destination to = sub.peer;
  // Nothing of `sub` is used after this: a failure reported at once erases it.
  layer_.send_request(std::move(m), to, std::move(h));
}

void SubscriptionServer::on_notify_response(uint64_t id, const sip::Message& r) {
  const int code = r.status_code();
  if (code < 200) return;
  auto it = subs_.find(id);
  if (it == subs_.end()) return;  // e.g. the answer to a final NOTIFY
  Subscription& s = *it->second;
  s.notify = NotifyPhase::kIdle;
  if (code >= 300) {
    auto logger = log::get("subscriptions");
    if (ends_subscription(code)) {
      ++stats_.terminated_by_peer;
      logger->info("{} subscription {} to {}: NOTIFY answered {}, ended", s.package, s.id,
                   s.resource, code);
      erase(id);
      return;
    }
    logger->warn("{} subscription {} to {}: NOTIFY answered {}", s.package, s.id, s.resource, code);
  }
  flush(s);
}

void SubscriptionServer::on_notify_failure(uint64_t id, sip::ClientTransaction::Failure f) {
  ++stats_.notify_failures;
  auto it = subs_.find(id);
  if (it == subs_.end()) return;
  const Subscription& s = *it->second;
  log::get("subscriptions")
      ->info("{} subscription {} to {}: NOTIFY {}, ended", s.package, s.id, s.resource,
             f == sip::ClientTransaction::Failure::kTimeout ? "timed out" : "transport error");
  erase(id);
}

void SubscriptionServer::begin_end(Subscription& sub, std::string reason, bool fetch_first) {
  sub.phase = SubscriptionPhase::kTerminating;
  sub.end_reason = std::move(reason);
  if (sub.expiry_timer) {
    timers_.cancel(sub.expiry_timer);
    sub.expiry_timer = 0;
  }
  if (fetch_first) {
    fetch_state(sub);
  } else {
    ++sub.fetch_generation;
    sub.fetching = false;
    flush(sub);
  }
}

void SubscriptionServer::terminate_all(std::string_view reason) {
  std::vector<uint64_t> ids;
  for (const auto& [id, s] : subs_) ids.push_back(id);
  for (uint64_t id : ids) {
    auto it = subs_.find(id);
    if (it == subs_.end()) continue;
    Subscription& s = *it->second;
    s.phase = SubscriptionPhase::kTerminating;
    s.end_reason = std::string(reason);
    s.fetching = false;
    std::string body = s.queued_body ? std::move(*s.queued_body) : s.last_body;
    send_notify(s, body, true);  // now: no waiting for a NOTIFY in flight
    erase(id);
  }
}

void SubscriptionServer::erase(uint64_t id) {
  auto it = subs_.find(id);
  if (it == subs_.end()) return;
  Subscription& s = *it->second;
  if (s.expiry_timer) timers_.cancel(s.expiry_timer);
  by_dialog_.erase(s.dialog.id().str());
  if (auto r = by_resource_.find(resource_key(s.package, s.resource)); r != by_resource_.end()) {
    r->second.erase(id);
    if (r->second.empty()) by_resource_.erase(r);
  }
  subs_.erase(it);
}

}  // namespace switchboard::core
