// A small asynchronous HTTP/1.1 server on Boost.Beast, running on its own
// thread (DESIGN.md §3). Handlers get the request and a `reply` callback; they
// may call it later from any thread (e.g. after posting work to the core thread),
// the server moves the write back onto its own thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>

#include "common/result.hpp"

namespace switchboard::api {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;
using Reply = std::function<void(Response)>;
using Handler = std::function<void(const Request&, Reply)>;

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  ///< 0: pick a free port (tests)
  size_t max_body_bytes = 1 << 20;
  int read_timeout_seconds = 30;
};

/// A JSON response with the right headers.
Response json_response(unsigned status, std::string body, unsigned version = 11,
                       bool keep_alive = true);
/// `{"error": code, "message": message}` with the status.
Response json_error(unsigned status, std::string_view code, std::string_view message);

class HttpServer {
 public:
  explicit HttpServer(HttpServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Registers `handler` for an exact method and path. Call before start().
  void route(boost::beast::http::verb method, std::string path, Handler handler);

  /// Binds and starts the server thread; returns the bound port.
  Result<uint16_t> start();
  /// Stops accepting, closes connections, joins the thread. Idempotent.
  void stop();

  uint16_t port() const { return port_; }

 private:
  class Session;
  void accept();
  void dispatch(const Request& req, Reply reply);

  HttpServerOptions options_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::map<std::pair<boost::beast::http::verb, std::string>, Handler> routes_;
  std::thread thread_;
  uint16_t port_ = 0;
  bool running_ = false;
};

}  // namespace switchboard::api
