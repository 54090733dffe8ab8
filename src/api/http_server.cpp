#include "api/http_server.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <nlohmann/json.hpp>

#include "common/log.hpp"

namespace switchboard::api {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

Response json_response(unsigned status, std::string body, unsigned version, bool keep_alive) {
  Response res{static_cast<http::status>(status), version};
  res.set(http::field::server, "Switchboard");
  res.set(http::field::content_type, "application/json");
  res.keep_alive(keep_alive);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

Response json_error(unsigned status, std::string_view code, std::string_view message) {
  nlohmann::json j = {{"error", code}, {"message", message}, {"details", nlohmann::json::object()}};
  return json_response(status, j.dump());
}

/// One connection: read a request, dispatch, write the reply, repeat.
class HttpServer::Session : public std::enable_shared_from_this<HttpServer::Session> {
 public:
  Session(HttpServer& server, tcp::socket socket)
      : server_(server), stream_(std::move(socket)) {}

  void start() { read(); }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(server_.options_.max_body_bytes);
    parser_->header_limit(16 * 1024);
    stream_.expires_after(std::chrono::seconds(server_.options_.read_timeout_seconds));
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       self->on_read(ec);
                     });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset) {
      return close();
    }
    if (ec) {
      // Oversized or malformed: answer once, then close this connection only.
      unsigned status = ec == http::error::body_limit ? 413 : 400;
      auto res = json_error(status, status == 413 ? "payload_too_large" : "bad_request",
                            ec.message());
      res.keep_alive(false);
      return write(std::move(res));
    }
    Request req = parser_->release();
    bool keep_alive = req.keep_alive();
    unsigned version = req.version();
    auto self = shared_from_this();
    server_.dispatch(req, [self, keep_alive, version](Response res) {
      res.version(version);
      res.keep_alive(keep_alive && res.keep_alive());
      asio::post(self->stream_.get_executor(),
                 [self, res = std::move(res)]() mutable { self->write(std::move(res)); });
    });
  }

  void write(Response res) {
    auto sp = std::make_shared<Response>(std::move(res));
    stream_.expires_after(std::chrono::seconds(server_.options_.read_timeout_seconds));
    http::async_write(stream_, *sp,
                      [self = shared_from_this(), sp](beast::error_code ec, size_t) {
                        if (ec || !sp->keep_alive()) return self->close();
                        self->read();
                      });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  HttpServer& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
};

HttpServer::HttpServer(HttpServerOptions options)
    : options_(std::move(options)), acceptor_(io_) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::route(http::verb method, std::string path, Handler handler) {
  routes_[{method, std::move(path)}] = std::move(handler);
}

Result<uint16_t> HttpServer::start() {
  beast::error_code ec;
  auto address = asio::ip::make_address(options_.host, ec);
  if (ec) return make_error(ErrorCode::kInvalidArgument, "bad API host: " + options_.host);
  tcp::endpoint ep(address, options_.port);
  acceptor_.open(ep.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(ep, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return make_error(ErrorCode::kUnavailable, "cannot listen on " + options_.host + ":" +
                                                   std::to_string(options_.port) + ": " +
                                                   ec.message());
  }
  port_ = acceptor_.local_endpoint().port();
  running_ = true;
  accept();
  thread_ = std::thread([this] { io_.run(); });
  return port_;
}

void HttpServer::stop() {
  if (!running_) return;
  running_ = false;
  asio::post(io_, [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
    io_.stop();
  });
  if (thread_.joinable()) thread_.join();
}

void HttpServer::accept() {
  acceptor_.async_accept(asio::make_strand(io_), [this](beast::error_code ec, tcp::socket s) {
    if (ec) {
      if (ec != asio::error::operation_aborted) {
        log::get("api")->warn("accept failed: {}", ec.message());
      }
      if (!acceptor_.is_open()) return;
    } else {
      std::make_shared<Session>(*this, std::move(s))->start();
    }
    accept();
  });
}

void HttpServer::dispatch(const Request& req, Reply reply) {
  std::string path(req.target());
  if (auto q = path.find('?'); q != std::string::npos) path.resize(q);
  auto it = routes_.find({req.method(), path});
  if (it != routes_.end()) return it->second(req, std::move(reply));
  for (const auto& [key, handler] : routes_) {
    if (key.second == path) return reply(json_error(405, "method_not_allowed", "method not allowed"));
  }
  reply(json_error(404, "not_found", "no such resource: " + path));
}

}  // namespace switchboard::api
