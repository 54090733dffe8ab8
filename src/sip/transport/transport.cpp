#include "sip/transport/transport.hpp"

#include <netinet/in.h>
#include <netinet/ip.h>
#include <sys/socket.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fmt/format.h>

#include "common/log.hpp"
#include "sip/transport/connection.hpp"

namespace switchboard::sip {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using udp = asio::ip::udp;

const char* to_string(Protocol p) {
  switch (p) {
    case Protocol::kUdp: return "UDP";
    case Protocol::kTcp: return "TCP";
    case Protocol::kTls: return "TLS";
  }
  return "?";
}

bool is_stream(Protocol p) { return p != Protocol::kUdp; }

bool set_dscp(int fd, bool ipv6, int dscp) {
  if (dscp < 0) return true;
  int tos = dscp << 2;
  if (ipv6) return ::setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof tos) == 0;
  return ::setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof tos) == 0;
}

// --- UDP -------------------------------------------------------------------

class TransportLayer::UdpListener : public std::enable_shared_from_this<UdpListener> {
 public:
  UdpListener(TransportLayer& layer, std::weak_ptr<bool> alive, udp::socket socket)
      : layer_(layer), alive_(std::move(alive)), socket_(std::move(socket)),
        buf_(layer.options_.max_datagram_bytes) {
    local_ = socket_.local_endpoint();
  }

  void start() { receive(); }
  udp::socket& socket() { return socket_; }
  const udp::endpoint& local() const { return local_; }

  void send(const udp::endpoint& to, std::string bytes, SendDone done) {
    auto data = std::make_shared<std::string>(std::move(bytes));
    socket_.async_send_to(asio::buffer(*data), to,
                          [self = shared_from_this(), data, done = std::move(done)](
                              const boost::system::error_code& ec, size_t) {
                            if (!ec && !self->alive_.expired()) ++self->layer_.stats_.datagrams_out;
                            if (done) {
                              done(ec ? Status(make_error(ErrorCode::kIoError, ec.message()))
                                      : Status::Ok());
                            }
                          });
  }

  void close() {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

 private:
  void receive() {
    socket_.async_receive_from(
        asio::buffer(buf_), from_,
        [self = shared_from_this()](const boost::system::error_code& ec, size_t n) {
          if (self->alive_.expired() || ec == asio::error::operation_aborted ||
              !self->socket_.is_open()) {
            return;
          }
          if (!ec && n > 0) {
            ++self->layer_.stats_.datagrams_in;
            Source src{Protocol::kUdp, self->from_.address(), self->from_.port(),
                       self->local_.address(), self->local_.port(), 0};
            self->layer_.deliver(std::string(self->buf_.data(), n), src);
            if (self->alive_.expired()) return;
          }
          // ICMP errors (ec set) from an earlier send must not stop the listener.
          self->receive();
        });
  }

  TransportLayer& layer_;
  std::weak_ptr<bool> alive_;
  udp::socket socket_;
  udp::endpoint local_, from_;
  std::vector<char> buf_;
};

// --- TCP / TLS listener ------------------------------------------------------

class TransportLayer::StreamListener : public std::enable_shared_from_this<StreamListener> {
 public:
  StreamListener(TransportLayer& layer, std::weak_ptr<bool> alive, Protocol protocol,
                 tcp::acceptor acceptor)
      : layer_(layer), alive_(std::move(alive)), protocol_(protocol),
        acceptor_(std::move(acceptor)) {}

  void start() { accept(); }
  void close() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  }

 private:
  void accept() {
    acceptor_.async_accept([self = shared_from_this()](const boost::system::error_code& ec,
                                                       tcp::socket socket) {
      if (self->alive_.expired() || !self->acceptor_.is_open()) return;
      if (!ec) {
        auto& layer = self->layer_;
        set_dscp(socket.native_handle(), socket.local_endpoint().address().is_v6(),
                 layer.options_.dscp);
        auto c = std::make_shared<Connection>(layer, self->alive_, layer.next_connection_id_++,
                                              self->protocol_, std::move(socket));
        layer.adopt(c);
        c->start_accepted();
      }
      self->accept();
    });
  }

  TransportLayer& layer_;
  std::weak_ptr<bool> alive_;
  Protocol protocol_;
  tcp::acceptor acceptor_;
};

// --- TransportLayer ------------------------------------------------------------

TransportLayer::TransportLayer(asio::io_context& io, TransportOptions options)
    : io_(io), options_(std::move(options)), alive_(std::make_shared<bool>(true)) {}

TransportLayer::~TransportLayer() {
  close_all();
  alive_.reset();  // handlers still queued on the io_context now do nothing
}

Result<uint16_t> TransportLayer::listen(Protocol protocol, const std::string& host,
                                        uint16_t port) {
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(host, ec);
  if (ec) return make_error(ErrorCode::kInvalidArgument, "bad listen address: " + host);
  if (protocol == Protocol::kTls && !options_.tls) {
    return make_error(ErrorCode::kFailedPrecondition, "TLS listener without a TLS context");
  }
  auto fail = [&](const char* what) {
    return make_error(ErrorCode::kUnavailable,
                      fmt::format("cannot {} {} {}:{}: {}", what, to_string(protocol), host, port,
                                  ec.message()));
  };
  if (protocol == Protocol::kUdp) {
    udp::socket s(io_);
    udp::endpoint ep(ip, port);
    s.open(ep.protocol(), ec);
    if (!ec && ip.is_v6()) s.set_option(asio::ip::v6_only(true), ec);
    if (!ec) s.bind(ep, ec);
    if (ec) return fail("listen on");
    set_dscp(s.native_handle(), ip.is_v6(), options_.dscp);
    auto l = std::make_shared<UdpListener>(*this, alive_, std::move(s));
    uint16_t bound = l->local().port();
    udp_.push_back(l);
    l->start();
    return bound;
  }
  tcp::acceptor a(io_);
  tcp::endpoint ep(ip, port);
  a.open(ep.protocol(), ec);
  if (!ec && ip.is_v6()) a.set_option(asio::ip::v6_only(true), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen on");
  uint16_t bound = a.local_endpoint().port();
  auto l = std::make_shared<StreamListener>(*this, alive_, protocol, std::move(a));
  stream_listeners_.push_back(l);
  l->start();
  return bound;
}

void TransportLayer::deliver(std::string bytes, const Source& from) {
  if (handler_) handler_(std::move(bytes), from);
}

void TransportLayer::adopt(std::shared_ptr<Connection> c) {
  ++stats_.connections_opened;
  connections_.emplace(c->id(), std::move(c));
}

void TransportLayer::forget(uint64_t id) {
  if (connections_.erase(id)) ++stats_.connections_closed;
}

std::shared_ptr<TransportLayer::Connection> TransportLayer::find_connection(
    const Destination& to) const {
  if (to.connection != 0) {
    auto it = connections_.find(to.connection);
    if (it != connections_.end()) return it->second;
  }
  for (const auto& [id, c] : connections_) {
    if (c->protocol() == to.protocol && c->remote().address() == to.ip &&
        c->remote().port() == to.port) {
      return c;
    }
  }
  return nullptr;
}

void TransportLayer::send(const Destination& to, std::string bytes, SendDone done) {
  if (to.protocol == Protocol::kUdp) {
    for (auto& l : udp_) {
      if (l->local().address().is_v6() == to.ip.is_v6()) {
        return l->send(udp::endpoint(to.ip, to.port), std::move(bytes), std::move(done));
      }
    }
    if (done) {
      done(make_error(ErrorCode::kUnavailable, fmt::format("no UDP listener for IPv{}",
                                                           to.ip.is_v6() ? 6 : 4)));
    }
    return;
  }
  if (auto c = find_connection(to)) return c->send(std::move(bytes), std::move(done));
  connect_and_send(to, std::move(bytes), std::move(done));
}

void TransportLayer::connect_and_send(const Destination& to, std::string bytes, SendDone done) {
  if (to.protocol == Protocol::kTls && !options_.tls) {
    if (done) done(make_error(ErrorCode::kFailedPrecondition, "no TLS context"));
    return;
  }
  std::string key = fmt::format("{}|{}|{}", to_string(to.protocol), to.ip.to_string(), to.port);
  auto [it, first] = pending_.try_emplace(key);
  it->second.emplace_back(std::move(bytes), std::move(done));
  if (!first) return;  // a connect to the same place is under way

  auto socket = std::make_shared<tcp::socket>(io_);
  auto timer = std::make_shared<asio::steady_timer>(io_, options_.connect_timeout);
  auto alive = std::weak_ptr<bool>(alive_);
  timer->async_wait([socket](const boost::system::error_code& ec) {
    if (!ec) {
      boost::system::error_code ignored;
      socket->close(ignored);  // aborts the connect: reported as a timeout below
    }
  });
  auto fail_all = [this, key](const Status& st) {
    auto node = pending_.extract(key);
    if (node.empty()) return;
    for (auto& [b, d] : node.mapped()) {
      if (d) d(st);
    }
  };
  socket->async_connect(
      tcp::endpoint(to.ip, to.port),
      [this, alive, socket, timer, to, key, fail_all](const boost::system::error_code& ec) {
        bool timed_out = timer->expiry() <= asio::steady_timer::clock_type::now();
        timer->cancel();
        if (alive.expired()) return;
        if (ec) {
          std::string why = timed_out ? "connect timed out" : ec.message();
          log::get("sip")->info("{} connect to {}:{} failed: {}", to_string(to.protocol),
                                to.ip.to_string(), to.port, why);
          return fail_all(make_error(ErrorCode::kUnavailable, why));
        }
        set_dscp(socket->native_handle(), to.ip.is_v6(), options_.dscp);
        auto c = std::make_shared<Connection>(*this, alive, next_connection_id_++, to.protocol,
                                              std::move(*socket));
        adopt(c);
        c->start_connected([this, alive, c, key, fail_all](Status st) {
          if (alive.expired()) return;
          if (!st.ok()) return fail_all(st);
          auto node = pending_.extract(key);
          if (node.empty()) return;
          for (auto& [b, d] : node.mapped()) c->send(std::move(b), std::move(d));
        });
      });
}

void TransportLayer::close_all() {
  for (auto& l : udp_) l->close();
  for (auto& l : stream_listeners_) l->close();
  auto conns = connections_;
  for (auto& [id, c] : conns) c->close();
  connections_.clear();
  auto pending = std::move(pending_);
  pending_.clear();
  for (auto& [key, msgs] : pending) {
    for (auto& [b, d] : msgs) {
      if (d) d(make_error(ErrorCode::kUnavailable, "transport closed"));
    }
  }
  udp_.clear();
  stream_listeners_.clear();
}

}  // namespace switchboard::sip
