// The API: the route table with its handlers, authentication, the
// permission check, request validation, the audit trail of state-changing
// requests, the WebSocket event stream and the HTTP server carrying them.
// Handlers never touch core state: they post into the core's io_context
// (CoreAccess) and reply from its completion; blocking store work runs on
// the worker pool.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "api/auth.hpp"
#include "api/call_meter.hpp"
#include "api/core_access.hpp"
#include "api/http_server.hpp"
#include "api/parked_calls.hpp"
#include "api/presence.hpp"
#include "api/router.hpp"
#include "common/result.hpp"
#include "store/database.hpp"

namespace switchboard::core {
class EventBus;
struct Event;
}  // namespace switchboard::core

namespace switchboard::api {

struct ApiOptions {
  HttpServerOptions http;
  LoginPolicy login;
  std::string version;
  std::string realm;  ///< digest realm: HA1s of API-created extensions
  /// voicemail.storage_path: the API serves and deletes message files only
  /// inside it; empty: it serves none.
  std::string voicemail_dir;
};

class ApiService {
 public:
  ApiService(ApiOptions options, store::Database& db, boost::asio::any_io_executor core,
             boost::asio::any_io_executor workers, CoreAccess& core_access, core::EventBus& events);
  ~ApiService();

  /// Loads the stored presence settings, follows registration and call
  /// events for presence, starts the server.
  Result<uint16_t> start();
  void stop();
  bool tls() const { return server_->tls(); }
  uint16_t port() const { return server_->port(); }
  const Router& router() const { return router_; }
  Authenticator& auth() { return auth_; }
  /// Fed by the application from call events (core thread); read by /metrics.
  const std::shared_ptr<CallMeter>& call_meter() const { return call_meter_; }
  /// The parking feature's view of its slots (core thread); nullptr: no
  /// source, GET /api/v1/parked lists nothing.
  void set_parked_calls(const ParkedCallsView* view) { parked_ = view; }

  // For the handlers (api/handlers_*.cpp).
  /// Runs `fn` on the core thread and replies with its response.
  void on_core(std::function<Response()> fn, Reply reply);
  /// Runs blocking `fn` (the store) on the worker pool and replies.
  void on_worker(std::function<Response()> fn, Reply reply);
  /// Runs blocking `load` on the worker pool, then `use` with its value on
  /// the core thread; an error of `load` is answered as a store error.
  template <class T>
  void on_worker_then_core(std::function<Result<T>()> load, std::function<Response(T)> use,
                           Reply reply);
  store::Database& db() { return db_; }
  CoreAccess& core_access() { return core_access_; }
  const ApiOptions& options() const { return options_; }
  void audit(const Principal& who, const std::string& source_ip, std::string action,
             std::string target, nlohmann::json details);
  /// Publishes on the event bus from the core thread (any thread may call).
  void publish(core::Event event);

 private:
  void dispatch(const Request& req, const RequestInfo& info, Reply reply);
  void add_routes();
  void add_auth_routes();
  void add_core_routes();
  void add_call_control_routes();
  void add_recording_routes();
  void add_transfer_routes();
  void add_consult_routes();  // handlers_consult.cpp
  /// The required `target` of transfer and consult: a number as a phone dials it.
  static FieldSpec dialed_target(std::string description);
  void add_lockout_routes();
  void add_extension_routes();
  void add_report_routes();
  void add_events_endpoint();
  void add_voicemail_routes();
  void add_presence_routes();
  void add_queue_routes();
  void follow_presence();
  // Core thread: presence from the registrar and the active calls.
  LiveState live_state(const std::string& extension);
  /// Publishes the presence of the extensions noted due that changed.
  void refresh_presence();

  ApiOptions options_;
  store::Database& db_;
  boost::asio::any_io_executor core_;
  boost::asio::any_io_executor workers_;
  CoreAccess& core_access_;
  core::EventBus& events_;
  Authenticator auth_;
  Router router_;
  std::string openapi_;  ///< rendered once, after the routes are added
  std::unique_ptr<HttpServer> server_;
  std::mutex presence_mutex_;
  std::set<std::string> presence_due_;       ///< guarded by presence_mutex_
  PresenceBook presence_;                    ///< core thread
  std::uint64_t presence_subscription_ = 0;  ///< on events_, 0: none
  std::shared_ptr<CallMeter> call_meter_;    ///< core thread
  const ParkedCallsView* parked_ = nullptr;  ///< core thread
  /// WebSocket clients with a subscription (the bus has internal subscribers too).
  std::shared_ptr<std::atomic<std::size_t>> ws_subscribed_ =
      std::make_shared<std::atomic<std::size_t>>(0);
};

/// Maps a store error to its response (404 for kNotFound, 400 for
/// kInvalidArgument, 500 otherwise, the message kept out of the 500).
Response store_error_response(const Error& e);
/// Logs an exception a handler threw; the 500 to send.
Response handler_failed(const std::exception& e);

template <class T>
void ApiService::on_worker_then_core(std::function<Result<T>()> load,
                                     std::function<Response(T)> use, Reply reply) {
  boost::asio::post(workers_, [this, load = std::move(load), use = std::move(use),
                               reply = std::move(reply)]() mutable {
    std::optional<Result<T>> value;
    try {
      value.emplace(load());
    } catch (const std::exception& e) {
      return reply(handler_failed(e));
    }
    if (!*value) return reply(store_error_response(value->error()));
    boost::asio::post(core_, [use = std::move(use), v = std::move(**value),
                              reply = std::move(reply)]() mutable { reply(use(std::move(v))); });
  });
}

}  // namespace switchboard::api
