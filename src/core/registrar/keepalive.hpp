// NAT keep-alive of registered contacts (issue 4 §3): every `interval` each
// binding is pinged — an OPTIONS to UDP contacts, a CRLF ping on the
// connection of TCP/TLS ones (RFC 5626 §3.5.1). A contact that does not
// answer is marked unreachable and removed after `max_misses` misses in a
// row. How a ping is sent is the Pinger's business, so the rounds run in
// virtual time in tests.
#pragma once

#include <functional>

#include "common/timers.hpp"
#include "core/registrar/registrar.hpp"

namespace switchboard::core {

struct KeepAliveOptions {
  Duration interval = std::chrono::seconds(30);  ///< 0: off
  int max_misses = 3;
};

class KeepAlive {
 public:
  /// Sends one ping to `b` and calls `done(answered)` exactly once, later or now.
  using Pinger = std::function<void(const Binding& b, std::function<void(bool answered)> done)>;

  KeepAlive(Timers& timers, Registrar& registrar, KeepAliveOptions options, Pinger pinger);
  ~KeepAlive();
  KeepAlive(const KeepAlive&) = delete;
  KeepAlive& operator=(const KeepAlive&) = delete;

  void set_options(KeepAliveOptions o);
  uint64_t pings_sent() const { return sent_; }

 private:
  void round();
  void schedule();

  Timers& timers_;
  Registrar& registrar_;
  KeepAliveOptions options_;
  Pinger pinger_;
  TimerId timer_ = 0;
  uint64_t sent_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

/// The Pinger of a running PBX: OPTIONS in a client transaction for UDP
/// (any response counts as an answer; a timeout or transport error as a
/// miss), "\r\n\r\n" on the open connection for TCP/TLS (a closed
/// connection is a miss).
KeepAlive::Pinger make_sip_pinger(sip::TransactionLayer& transactions,
                                  sip::TransportLayer& transport, std::string from_uri);

}  // namespace switchboard::core
