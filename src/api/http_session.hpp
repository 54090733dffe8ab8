// One HTTP connection over Stream (tcp_stream or ssl_stream): read a
// request under the size limits and the read timeout, answer CORS
// preflights, dispatch, write, repeat while keep-alive; hand WebSocket
// upgrades to WsSession. Internal to the server.
#pragma once

#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <memory>
#include <optional>

#include "api/http_server.hpp"
#include "api/ws_session.hpp"

namespace switchboard::api::detail {

template <class Stream>
class HttpSession : public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  HttpSession(HttpServer& server, Stream&& stream, RequestInfo info)
      : server_(server), stream_(std::move(stream)), info_(std::move(info)) {
    ++server_.connections();
  }
  ~HttpSession() { --server_.connections(); }

  void start() { read(); }
  Stream& stream() { return stream_; }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(server_.options().max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(server_.options().max_header_bytes));
    // The first request of a connection and every later one get the same
    // budget: an idle keep-alive connection is closed after it.
    const int secs = requests_ == 0 ? server_.options().read_timeout_seconds
                                    : server_.options().idle_timeout_seconds;
    boost::beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(secs));
    boost::beast::http::async_read(stream_, buffer_, *parser_,
                                   [self = this->shared_from_this()](
                                       boost::beast::error_code ec, size_t) { self->on_read(ec); });
  }

  void on_read(boost::beast::error_code ec) {
    namespace http = boost::beast::http;
    if (ec == http::error::end_of_stream || ec == boost::beast::error::timeout ||
        ec == boost::asio::error::operation_aborted || ec == boost::asio::error::connection_reset ||
        ec == boost::asio::error::eof) {
      return close();
    }
    if (ec) {
      // Oversized or malformed: answer once, then close this connection only.
      const bool too_big = ec == http::error::body_limit || ec == http::error::header_limit;
      auto res = json_error(too_big ? 413 : 400, too_big ? "payload_too_large" : "bad_request",
                            ec.message());
      res.keep_alive(false);
      return write(std::move(res));
    }
    ++requests_;
    Request req = parser_->release();
    if (boost::beast::websocket::is_upgrade(req)) return upgrade(std::move(req));
    if (auto pre = server_.cors().preflight(req)) {
      pre->version(req.version());
      pre->keep_alive(req.keep_alive());
      return write(std::move(*pre));
    }
    const bool keep_alive = req.keep_alive();
    const unsigned version = req.version();
    auto self = this->shared_from_this();
    std::string origin(req[http::field::origin]);
    server_.dispatch(req, info_, [self, keep_alive, version, origin](Response res) {
      res.version(version);
      res.keep_alive(keep_alive && res.keep_alive());
      self->server_.cors().decorate(origin, res);
      boost::asio::post(self->stream_.get_executor(),
                        [self, res = std::move(res)]() mutable { self->write(std::move(res)); });
    });
  }

  void upgrade(Request req) {
    std::string path(req.target());
    if (auto q = path.find('?'); q != std::string::npos) path.resize(q);
    const WsUpgrade* up = server_.upgrade_for(path);
    if (!up) {
      auto res = json_error(404, "not_found", "no WebSocket endpoint at " + path);
      res.keep_alive(false);
      return write(std::move(res));
    }
    auto decision = (*up)(req, info_);
    if (auto* refused = std::get_if<Response>(&decision)) {
      refused->keep_alive(false);
      return write(std::move(*refused));
    }
    auto ws = std::make_shared<WsSession<Stream>>(
        std::move(stream_), std::get<std::shared_ptr<WsListener>>(std::move(decision)),
        server_.options().ws_queue_limit);
    ws->run(std::move(req));
  }

  void write(Response res) {
    auto sp = std::make_shared<Response>(std::move(res));
    boost::beast::get_lowest_layer(stream_).expires_after(
        std::chrono::seconds(server_.options().read_timeout_seconds));
    boost::beast::http::async_write(
        stream_, *sp, [self = this->shared_from_this(), sp](boost::beast::error_code ec, size_t) {
          if (ec || !sp->keep_alive()) return self->close();
          self->read();
        });
  }

  void close();

  HttpServer& server_;
  Stream stream_;
  RequestInfo info_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  size_t requests_ = 0;
};

}  // namespace switchboard::api::detail
