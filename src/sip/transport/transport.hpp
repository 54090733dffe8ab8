// SIP transports (RFC 3261 §18): UDP, TCP and TLS over IPv4 and IPv6, on the
// core thread's io_context (DESIGN.md §3: no locks). Delivers each received
// message as bytes with where it came from; sends to a destination, reusing an
// open connection (the one a request arrived on, for responses and for phones
// behind NAT) or opening one with a timeout.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>

#include "common/result.hpp"
#include "sip/transport/stream_framer.hpp"

namespace switchboard::sip {

enum class Protocol { kUdp, kTcp, kTls };

/// "UDP", "TCP" or "TLS" (as in a Via header).
const char* to_string(Protocol p);
bool is_stream(Protocol p);

struct Source {
  Protocol protocol = Protocol::kUdp;
  boost::asio::ip::address remote_ip;
  uint16_t remote_port = 0;
  boost::asio::ip::address local_ip;
  uint16_t local_port = 0;
  uint64_t connection = 0;  ///< stream connection id; 0 for UDP
};

struct Destination {
  Protocol protocol = Protocol::kUdp;
  boost::asio::ip::address ip;
  uint16_t port = 5060;
  uint64_t connection = 0;  ///< use this connection when still open
};

struct TransportOptions {
  size_t max_datagram_bytes = 65535;
  StreamFramer::Limits stream_limits;
  std::chrono::milliseconds idle_timeout{std::chrono::minutes(5)};
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
  int dscp = 24;  ///< CS3 for signalling (RFC 4594); -1 leaves the default
  /// Server and client TLS settings; required for Protocol::kTls.
  std::shared_ptr<boost::asio::ssl::context> tls;
};

/// Counters for metrics and tests.
struct TransportStats {
  uint64_t datagrams_in = 0, datagrams_out = 0;
  uint64_t stream_messages_in = 0, stream_messages_out = 0;
  uint64_t connections_opened = 0, connections_closed = 0;
  uint64_t framing_errors = 0, pings_answered = 0;
};

class TransportLayer {
 public:
  using MessageHandler = std::function<void(std::string bytes, const Source& from)>;
  using SendDone = std::function<void(Status)>;

  TransportLayer(boost::asio::io_context& io, TransportOptions options);
  ~TransportLayer();
  TransportLayer(const TransportLayer&) = delete;
  TransportLayer& operator=(const TransportLayer&) = delete;

  void set_handler(MessageHandler handler) { handler_ = std::move(handler); }

  /// Listens on host:port (port 0 picks one); returns the bound port.
  Result<uint16_t> listen(Protocol protocol, const std::string& host, uint16_t port);

  /// Sends one message. `done` (optional) reports the outcome on the io thread.
  void send(const Destination& to, std::string bytes, SendDone done = nullptr);

  /// Closes every socket and connection.
  void close_all();

  size_t connection_count() const { return connections_.size(); }
  bool connection_open(uint64_t id) const { return connections_.count(id) != 0; }
  const TransportStats& stats() const { return stats_; }

  class Connection;      // a TCP or TLS connection (internal)
  class UdpListener;     // internal
  class StreamListener;  // internal

 private:
  friend class Connection;
  friend class UdpListener;
  friend class StreamListener;

  void deliver(std::string bytes, const Source& from);
  void adopt(std::shared_ptr<Connection> c);
  void forget(uint64_t id);
  std::shared_ptr<Connection> find_connection(const Destination& to) const;
  void connect_and_send(const Destination& to, std::string bytes, SendDone done);

  boost::asio::io_context& io_;
  TransportOptions options_;
  MessageHandler handler_;
  std::vector<std::shared_ptr<UdpListener>> udp_;
  std::vector<std::shared_ptr<StreamListener>> stream_listeners_;
  std::unordered_map<uint64_t, std::shared_ptr<Connection>> connections_;
  /// Messages waiting for a connect in progress, by "proto|ip|port": later
  /// sends to the same place join the first connect instead of opening another.
  std::unordered_map<std::string, std::vector<std::pair<std::string, SendDone>>> pending_;
  uint64_t next_connection_id_ = 1;
  TransportStats stats_;
  /// Lifetime token: handlers queued after the layer is gone see it expired.
  std::shared_ptr<bool> alive_;
};

/// Sets the DSCP bits on a socket of either family; false on failure.
bool set_dscp(int native_socket, bool ipv6, int dscp);

}  // namespace switchboard::sip
