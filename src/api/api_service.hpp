// The API: the route table with its handlers, authentication, the
// permission check, request validation, the audit trail of state-changing
// requests, the WebSocket event stream and the HTTP server carrying them.
// Handlers never touch core state: they post into the core's io_context
// (CoreAccess) and reply from its completion; blocking store work runs on
// the worker pool.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <string>

#include "api/auth.hpp"
#include "api/core_access.hpp"
#include "api/http_server.hpp"
#include "api/router.hpp"
#include "common/result.hpp"
#include "store/database.hpp"

namespace switchboard::core {
class EventBus;
}

namespace switchboard::api {

struct ApiOptions {
  HttpServerOptions http;
  LoginPolicy login;
  std::string version;
  std::string realm;  ///< digest realm: HA1s of API-created extensions
};

class ApiService {
 public:
  ApiService(ApiOptions options, store::Database& db, boost::asio::any_io_executor core,
             boost::asio::any_io_executor workers, CoreAccess& core_access, core::EventBus& events);
  ~ApiService();

  Result<uint16_t> start();
  void stop();
  bool tls() const { return server_->tls(); }
  uint16_t port() const { return server_->port(); }
  const Router& router() const { return router_; }
  Authenticator& auth() { return auth_; }

  // For the handlers (api/handlers_*.cpp).
  /// Runs `fn` on the core thread and replies with its response.
  void on_core(std::function<Response()> fn, Reply reply);
  /// Runs blocking `fn` (the store) on the worker pool and replies.
  void on_worker(std::function<Response()> fn, Reply reply);
  store::Database& db() { return db_; }
  CoreAccess& core_access() { return core_access_; }
  const ApiOptions& options() const { return options_; }
  void audit(const Principal& who, const std::string& source_ip, std::string action,
             std::string target, nlohmann::json details);

 private:
  void dispatch(const Request& req, const RequestInfo& info, Reply reply);
  void add_routes();
  void add_auth_routes();
  void add_core_routes();
  void add_extension_routes();
  void add_report_routes();
  void add_events_endpoint();

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
};

}  // namespace switchboard::api
