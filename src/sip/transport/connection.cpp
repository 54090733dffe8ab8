#include "sip/transport/connection.hpp"

#include <boost/asio/write.hpp>

#include "common/log.hpp"

namespace switchboard::sip {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using Connection = TransportLayer::Connection;

Connection::Connection(TransportLayer& layer, std::weak_ptr<bool> alive, uint64_t id,
                       Protocol protocol, tcp::socket socket)
    : layer_(layer),
      alive_(std::move(alive)),
      id_(id),
      protocol_(protocol),
      tcp_(std::move(socket)),
      framer_(layer.options_.stream_limits),
      idle_(tcp_.get_executor()) {
  boost::system::error_code ec;
  remote_ = tcp_.remote_endpoint(ec);
  local_ = tcp_.local_endpoint(ec);
  if (protocol_ == Protocol::kTls) {
    tls_ = std::make_unique<ssl::stream<tcp::socket>>(std::move(tcp_), *layer.options_.tls);
  }
}

Connection::tcp::socket& Connection::socket() { return tls_ ? tls_->next_layer() : tcp_; }

Source Connection::source() const {
  return Source{protocol_, remote_.address(), remote_.port(), local_.address(), local_.port(),
                id_};
}

void Connection::touch() {
  idle_.expires_after(layer_.options_.idle_timeout);
  idle_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec) {
      log::get("sip")->debug("closing idle {} connection {}", to_string(self->protocol_),
                             self->id_);
      self->close();
    }
  });
}

void Connection::start_accepted() {
  touch();
  if (!tls_) return read();
  tls_->async_handshake(ssl::stream_base::server,
                        [self = shared_from_this()](const boost::system::error_code& ec) {
                          if (ec) {
                            log::get("sip")->info("TLS handshake from {} failed: {}",
                                                  self->remote_.address().to_string(),
                                                  ec.message());
                            return self->close();
                          }
                          self->read();
                        });
}

void Connection::start_connected(std::function<void(Status)> ready) {
  touch();
  if (!tls_) {
    read();
    return ready(Status::Ok());
  }
  tls_->async_handshake(
      ssl::stream_base::client,
      [self = shared_from_this(), ready = std::move(ready)](const boost::system::error_code& ec) {
        if (ec) {
          self->close();
          return ready(make_error(ErrorCode::kUnavailable, "TLS handshake: " + ec.message()));
        }
        self->read();
        ready(Status::Ok());
      });
}

void Connection::read() {
  auto handler = [self = shared_from_this()](const boost::system::error_code& ec, size_t n) {
    if (ec || !self->layer_alive()) return self->close();
    self->on_read(n);
  };
  if (tls_) {
    tls_->async_read_some(asio::buffer(rbuf_), std::move(handler));
  } else {
    tcp_.async_read_some(asio::buffer(rbuf_), std::move(handler));
  }
}

void Connection::on_read(size_t n) {
  touch();
  auto out = framer_.feed(std::string_view(rbuf_.data(), n));
  for (auto& m : out.messages) {
    ++layer_.stats_.stream_messages_in;
    layer_.deliver(std::move(m), source());
    if (closed_ || !layer_alive()) return;
  }
  for (size_t i = 0; i < out.pings; ++i) {
    ++layer_.stats_.pings_answered;
    send("\r\n", nullptr);  // RFC 5626 §4.4.1 pong
  }
  if (out.error != StreamFramer::Error::kNone) {
    ++layer_.stats_.framing_errors;
    log::get("sip")->info("closing {} connection from {}:{}: malformed stream",
                          to_string(protocol_), remote_.address().to_string(), remote_.port());
    return close();
  }
  read();
}

void Connection::send(std::string bytes, SendDone done) {
  if (closed_) {
    if (done) done(make_error(ErrorCode::kUnavailable, "connection closed"));
    return;
  }
  queue_.emplace_back(std::move(bytes), std::move(done));
  if (!writing_) write_next();
}

void Connection::write_next() {
  if (queue_.empty() || closed_) {
    writing_ = false;
    return;
  }
  writing_ = true;
  touch();
  auto handler = [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
    auto done = std::move(self->queue_.front().second);
    self->queue_.pop_front();
    if (ec) {
      if (done) done(make_error(ErrorCode::kIoError, ec.message()));
      return self->close();
    }
    if (self->layer_alive()) ++self->layer_.stats_.stream_messages_out;
    if (done) done(Status::Ok());
    self->write_next();
  };
  auto buf = asio::buffer(queue_.front().first);
  if (tls_) {
    asio::async_write(*tls_, buf, std::move(handler));
  } else {
    asio::async_write(tcp_, buf, std::move(handler));
  }
}

void Connection::close() {
  if (closed_) return;
  closed_ = true;
  idle_.cancel();
  boost::system::error_code ignored;
  socket().shutdown(tcp::socket::shutdown_both, ignored);
  socket().close(ignored);
  for (auto& [bytes, done] : queue_) {
    if (done) done(make_error(ErrorCode::kUnavailable, "connection closed"));
  }
  queue_.clear();
  if (layer_alive()) layer_.forget(id_);
}

}  // namespace switchboard::sip
