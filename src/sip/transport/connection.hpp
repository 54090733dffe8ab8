// One TCP or TLS connection of the TransportLayer (internal header).
#pragma once

#include <deque>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>

#include "sip/transport/transport.hpp"

namespace switchboard::sip {

class TransportLayer::Connection : public std::enable_shared_from_this<Connection> {
 public:
  using tcp = boost::asio::ip::tcp;

  Connection(TransportLayer& layer, std::weak_ptr<bool> alive, uint64_t id, Protocol protocol,
             tcp::socket socket);

  uint64_t id() const { return id_; }
  Protocol protocol() const { return protocol_; }
  const tcp::endpoint& remote() const { return remote_; }
  tcp::socket& socket();

  /// Server side: TLS handshake (if TLS), then reading.
  void start_accepted();
  /// Client side: TLS handshake (if TLS); `ready` gets the outcome, then reading.
  void start_connected(std::function<void(Status)> ready);
  void send(std::string bytes, SendDone done);
  void close();

 private:
  void read();
  void on_read(size_t n);
  void write_next();
  void touch();
  Source source() const;
  bool layer_alive() const { return !alive_.expired(); }

  TransportLayer& layer_;
  std::weak_ptr<bool> alive_;
  uint64_t id_;
  Protocol protocol_;
  tcp::socket tcp_;
  std::unique_ptr<boost::asio::ssl::stream<tcp::socket>> tls_;
  tcp::endpoint remote_, local_;
  StreamFramer framer_;
  std::array<char, 8192> rbuf_{};
  std::deque<std::pair<std::string, SendDone>> queue_;
  bool writing_ = false;
  bool closed_ = false;
  boost::asio::steady_timer idle_;
};

}  // namespace switchboard::sip
