#include "api/http_server.hpp"

#include <openssl/ssl.h>

#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/ssl.hpp>

#include "api/http_session.hpp"
#include "common/log.hpp"

namespace switchboard::api {

namespace beast = boost::beast;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

namespace detail {

template <>
void HttpSession<PlainStream>::close() {
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

template <>
void HttpSession<TlsStream>::close() {
  beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
  stream_.async_shutdown([self = shared_from_this()](beast::error_code) {});
}

}  // namespace detail

HttpServer::HttpServer(HttpServerOptions options, Dispatcher dispatcher)
    : options_(std::move(options)),
      dispatcher_(std::move(dispatcher)),
      cors_(options_.enable_cors, options_.cors_origins),
      acceptor_(io_) {}

HttpServer::~HttpServer() {
  stop();
}

void HttpServer::websocket(std::string path, WsUpgrade upgrade) {
  upgrades_.emplace_back(std::move(path), std::move(upgrade));
}

const WsUpgrade* HttpServer::upgrade_for(std::string_view path) const {
  for (const auto& [p, up] : upgrades_) {
    if (p == path) return &up;
  }
  return nullptr;
}

void HttpServer::dispatch(const Request& req, const RequestInfo& info, Reply reply) const {
  dispatcher_(req, info, std::move(reply));
}

Result<uint16_t> HttpServer::start() {
  if (!options_.tls_cert_file.empty()) {
    ssl_ = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    // TLS 1.2 and later only.
    SSL_CTX_set_min_proto_version(ssl_->native_handle(), TLS1_2_VERSION);
    ssl_->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                      asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                      asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
    beast::error_code ec;
    ssl_->use_certificate_chain_file(options_.tls_cert_file, ec);
    if (!ec) ssl_->use_private_key_file(options_.tls_key_file, asio::ssl::context::pem, ec);
    if (ec) {
      ssl_.reset();
      return make_error(ErrorCode::kInvalidArgument, "API TLS certificate/key: " + ec.message());
    }
  }
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
      return accept();
    }
    if (connections_.load() >= options_.max_connections) {
      beast::error_code ignored;
      s.close(ignored);  // over the limit: refuse rather than queue
      return accept();
    }
    RequestInfo info;
    beast::error_code ep_ec;
    auto remote = s.remote_endpoint(ep_ec);
    if (!ep_ec) info.remote_ip = remote.address().to_string();
    if (!ssl_) {
      std::make_shared<detail::HttpSession<PlainStream>>(*this, PlainStream(std::move(s)), info)
          ->start();
    } else {
      info.tls = true;
      auto session = std::make_shared<detail::HttpSession<TlsStream>>(
          *this, TlsStream(PlainStream(std::move(s)), *ssl_), info);
      beast::get_lowest_layer(session->stream())
          .expires_after(std::chrono::seconds(options_.read_timeout_seconds));
      session->stream().async_handshake(asio::ssl::stream_base::server,
                                        [session](beast::error_code hec) {
                                          if (!hec) session->start();
                                        });
    }
    accept();
  });
}

}  // namespace switchboard::api
