// WebSocket /api/v1/events: the core event bus as JSON. A client subscribes
// with {"action":"subscribe","types":[...],"extensions":[...]} (empty or
// missing: everything; a user always gets only their own extension's
// events), answers are {"type":"subscribed"}; {"action":"ping"} gets
// {"type":"pong"}. Each event carries the subscriber's own sequence number.
// A client whose queue fills up is disconnected: the core never waits.
#include <atomic>
#include <mutex>

#include "api/api_service.hpp"
#include "core/events/event_bus.hpp"

namespace switchboard::api {

namespace http = boost::beast::http;

namespace {

/// One subscription in the count of subscribed clients: counted from
/// subscribe until it is replaced, the client goes, or the bus drops it as
/// a slow consumer — whichever comes first, once.
class Counted {
 public:
  explicit Counted(std::shared_ptr<std::atomic<std::size_t>> counter)
      : counter_(std::move(counter)) {
    ++*counter_;
  }
  void end() {
    if (live_.exchange(false)) --*counter_;
  }

 private:
  std::shared_ptr<std::atomic<std::size_t>> counter_;
  std::atomic<bool> live_{true};
};

class EventsListener : public WsListener, public std::enable_shared_from_this<EventsListener> {
 public:
  EventsListener(core::EventBus& bus, Principal who,
                 std::shared_ptr<std::atomic<std::size_t>> subscribed)
      : bus_(bus), who_(std::move(who)), subscribed_(std::move(subscribed)) {}

  void on_open(std::shared_ptr<WsChannel> channel) override {
    std::lock_guard lock(mutex_);
    channel_ = channel;
  }

  void on_text(const std::string& text) override {
    auto msg = nlohmann::json::parse(text, nullptr, false);
    std::string action = msg.is_object() && msg.contains("action") && msg["action"].is_string()
                             ? msg["action"].get<std::string>()
                             : "";
    if (action == "ping") return send({{"type", "pong"}});
    if (action != "subscribe") {
      return send({{"type", "error"},
                   {"error", "bad_request"},
                   {"message", "expected {\"action\": \"subscribe\" | \"ping\"}"}});
    }
    core::EventFilter filter;
    for (const auto& key : msg.items()) {
      if (key.key() != "action" && key.key() != "types" && key.key() != "extensions") {
        return send({{"type", "error"},
                     {"error", "validation_failed"},
                     {"message", key.key() + ": unknown field"}});
      }
    }
    if (msg.contains("types")) {
      if (!msg["types"].is_array()) return send(error("types", "expected array of strings"));
      for (const auto& t : msg["types"]) {
        auto type = t.is_string() ? core::event_type_from(t.get<std::string>()) : std::nullopt;
        if (!type) return send(error("types", "unknown event type " + t.dump()));
        filter.types.insert(*type);
      }
    }
    if (msg.contains("extensions")) {
      if (!msg["extensions"].is_array())
        return send(error("extensions", "expected array of strings"));
      for (const auto& x : msg["extensions"]) {
        if (!x.is_string()) return send(error("extensions", "expected array of strings"));
        filter.extensions.insert(x.get<std::string>());
      }
    }
    if (auto scope = who_.scope()) filter.extensions = {*scope};
    nlohmann::json ack = {{"type", "subscribed"},
                          {"types", nlohmann::json::array()},
                          {"extensions", filter.extensions}};
    for (auto t : filter.types) ack["types"].push_back(core::to_string(t));
    std::weak_ptr<WsChannel> weak;
    {
      std::lock_guard lock(mutex_);
      if (id_) bus_.unsubscribe(id_);
      if (counted_) counted_->end();
      id_ = 0;
      weak = channel_;
    }
    send(ack);  // before any event of the new subscription
    auto counted = std::make_shared<Counted>(subscribed_);
    auto id = bus_.subscribe(std::move(filter),
                             [weak, counted](const std::shared_ptr<const std::string>& t) {
                               auto ch = weak.lock();
                               if (ch && ch->send(*t)) return true;
                               counted->end();  // the bus drops this subscriber
                               return false;
                             });
    std::lock_guard lock(mutex_);
    if (closed_) {
      bus_.unsubscribe(id);
      counted->end();
    } else {
      id_ = id;
      counted_ = std::move(counted);
    }
  }

  void on_close() override {
    std::lock_guard lock(mutex_);
    closed_ = true;
    if (id_) bus_.unsubscribe(id_);
    if (counted_) counted_->end();
    id_ = 0;
    channel_.reset();
  }

 private:
  static nlohmann::json error(const std::string& field, const std::string& reason) {
    return {{"type", "error"}, {"error", "validation_failed"}, {"message", field + ": " + reason}};
  }

  void send(const nlohmann::json& j) {
    std::shared_ptr<WsChannel> ch;
    {
      std::lock_guard lock(mutex_);
      ch = channel_;
    }
    if (ch) ch->send(j.dump());
  }

  core::EventBus& bus_;
  Principal who_;
  std::mutex mutex_;
  std::shared_ptr<WsChannel> channel_;                    // guarded by mutex_
  std::shared_ptr<std::atomic<std::size_t>> subscribed_;  ///< clients with a subscription
  core::EventBus::SubscriptionId id_ = 0;                 // guarded by mutex_
  bool closed_ = false;                                   // guarded by mutex_
  std::shared_ptr<Counted> counted_;                      // guarded by mutex_
};

}  // namespace

void ApiService::add_events_endpoint() {
  // In the route table (and so in the OpenAPI document) as the GET that
  // upgrades; a plain GET without the upgrade headers is refused.
  router_.add({
      .method = http::verb::get,
      .path = "/api/v1/events",
      .permission = Permission::kEventsRead,
      .summary = "WebSocket event stream (upgrade); see the description of the messages in "
                 "src/api/events_endpoint.cpp",
      .tag = "events",
      .success_status = 101,
      .response_schema = nullptr,
      .handler =
          [](ApiRequest, Reply reply) {
            reply(json_error(426, "upgrade_required", "connect with a WebSocket client"));
          },
  });
  server_->websocket(
      "/api/v1/events",
      [this](const Request& req,
             const RequestInfo&) -> std::variant<Response, std::shared_ptr<WsListener>> {
        auto who = auth_.identify(req);
        if (!who) return json_error(401, "unauthorized", "missing or invalid credentials");
        if (!allowed(who->role, Permission::kEventsRead)) {
          return json_error(403, "forbidden", "may not read events");
        }
        return std::make_shared<EventsListener>(events_, std::move(*who), ws_subscribed_);
      });
}

}  // namespace switchboard::api
