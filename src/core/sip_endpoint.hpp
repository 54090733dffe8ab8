// The PBX's SIP endpoint: transports and the transaction layer on the core
// thread, listening on the configured addresses, with requests routed by
// method to the handlers that features register (registrar: REGISTER, calls:
// INVITE …). It answers OPTIONS itself (RFC 3261 §11) and 405 for a method
// nothing handles, naming what is allowed.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "common/result.hpp"
#include "common/timers.hpp"
#include "sip/message.hpp"
#include "sip/transaction/transaction_layer.hpp"
#include "sip/transport/transport.hpp"

namespace switchboard::core {

struct SipEndpointOptions {
  std::string host = "0.0.0.0";
  uint16_t port = 5060;  ///< UDP and TCP; 0 picks a free port (tests)
  bool tls = false;
  uint16_t tls_port = 5061;
  std::string tls_cert_file, tls_key_file;
  std::string advertised_host;  ///< for Via/Contact; empty: host (or 127.0.0.1 for 0.0.0.0)
  int dscp = 24;
  sip::TimerSettings timers;
  std::string user_agent = "Switchboard";
};

class SipEndpoint {
 public:
  using RequestHandler = std::function<void(const sip::ServerTransactionPtr&)>;
  /// Sees every packet's source before it is parsed; false drops the packet
  /// without a reply (bans, rate limits).
  using SourceFilter = std::function<bool(const sip::Source&)>;
  /// Sees every new request before it is routed; true means the filter
  /// answered it (e.g. a 401 challenge) and it goes no further.
  using RequestFilter = std::function<bool(const sip::ServerTransactionPtr&)>;

  SipEndpoint(boost::asio::io_context& io, Timers& timers, SipEndpointOptions options);
  ~SipEndpoint();

  /// Binds every listener; an error names the address that failed.
  Status start();
  /// Closes every socket (pending transactions are dropped).
  void stop();

  /// Routes requests of `method` (out of dialog or in) to `handler`.
  void handle(const std::string& method, RequestHandler handler);
  /// Receives what the transaction layer passes up besides new requests
  /// (2xx ACKs, CANCELs, stray responses) — for the call layer.
  void set_dialog_user(sip::TransactionUser user);
  void set_source_filter(SourceFilter filter) { source_filter_ = std::move(filter); }
  void set_request_filter(RequestFilter filter) { request_filter_ = std::move(filter); }

  sip::TransactionLayer& transactions() { return *layer_; }
  sip::TransportLayer& transport() { return *transport_; }
  /// "udp 0.0.0.0:5060", … — one line per listener, for the start-up log.
  const std::vector<std::string>& listening() const { return listening_; }
  uint16_t port(sip::Protocol p) const;
  /// The methods answered (for Allow).
  std::string allow() const;

 private:
  void on_request(const sip::ServerTransactionPtr& txn);
  void answer_options(const sip::ServerTransactionPtr& txn);

  boost::asio::io_context& io_;
  Timers& timers_;
  SipEndpointOptions options_;
  std::unique_ptr<sip::TransportLayer> transport_;
  std::unique_ptr<sip::TransactionLayer> layer_;
  std::map<std::string, RequestHandler> handlers_;
  sip::TransactionUser dialog_user_;
  SourceFilter source_filter_;
  RequestFilter request_filter_;
  std::vector<std::string> listening_;
  uint16_t ports_[3] = {0, 0, 0};
};

}  // namespace switchboard::core
