// The API's HTTP/1.1 server on Boost.Beast, running on its own thread
// (DESIGN.md §3): plain or TLS (1.2+) when a certificate is configured,
// keep-alive, header/body limits, read and idle timeouts, CORS, and
// WebSocket upgrades. It knows nothing of routes: every request goes to one
// dispatcher whose reply may come later from any thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "api/cors.hpp"
#include "api/http_types.hpp"
#include "api/websocket.hpp"
#include "common/result.hpp"

namespace boost::asio::ssl {
class context;
}

namespace switchboard::api {

using Dispatcher = std::function<void(const Request&, const RequestInfo&, Reply)>;

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  ///< 0: pick a free port (tests)
  size_t max_body_bytes = 1 << 20;
  size_t max_header_bytes = 16 * 1024;
  int read_timeout_seconds = 30;  ///< a request must arrive whole within this
  int idle_timeout_seconds = 60;  ///< keep-alive connections idle longer are closed
  size_t max_connections = 256;
  size_t ws_queue_limit = 256;  ///< queued WebSocket messages before a client is dropped
  std::string tls_cert_file;    ///< PEM; empty: plain HTTP
  std::string tls_key_file;
  bool enable_cors = false;
  std::vector<std::string> cors_origins;
};

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, Dispatcher dispatcher);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Upgrades of `path` go to `upgrade`. Call before start().
  void websocket(std::string path, WsUpgrade upgrade);

  /// Loads the certificate, binds and starts the server thread; returns the
  /// bound port.
  Result<uint16_t> start();
  /// Stops accepting, closes connections, joins the thread. Idempotent.
  void stop();

  uint16_t port() const { return port_; }
  bool tls() const { return ssl_ != nullptr; }
  boost::asio::io_context& io() { return io_; }

  // Used by the sessions.
  const HttpServerOptions& options() const { return options_; }
  const CorsPolicy& cors() const { return cors_; }
  void dispatch(const Request& req, const RequestInfo& info, Reply reply) const;
  const WsUpgrade* upgrade_for(std::string_view path) const;
  std::atomic<size_t>& connections() { return connections_; }

 private:
  void accept();

  HttpServerOptions options_;
  Dispatcher dispatcher_;
  CorsPolicy cors_;
  std::vector<std::pair<std::string, WsUpgrade>> upgrades_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::unique_ptr<boost::asio::ssl::context> ssl_;
  std::thread thread_;
  std::atomic<size_t> connections_{0};
  uint16_t port_ = 0;
  bool running_ = false;
};

}  // namespace switchboard::api
