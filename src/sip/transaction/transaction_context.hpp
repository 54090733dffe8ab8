// What every transaction needs from its layer: time, the network, the timer
// values. Shared by client and server transactions (internal header).
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "common/timers.hpp"
#include "sip/transport/transport.hpp"

namespace switchboard::sip {

/// RFC 3261 §17.1.1.1 timer values (configurable, e.g. for a slow trunk).
struct TimerSettings {
  Duration t1{500};   ///< RTT estimate
  Duration t2{4000};  ///< maximum retransmit interval for non-INVITE and responses
  Duration t4{5000};  ///< maximum time a message stays in the network
  Duration timer_b() const { return t1 * 64; }
  /// Timer D: at least 32 s for unreliable transports (§17.1.1.2).
  Duration timer_d() const { return std::max<Duration>(Duration(32000), t1 * 64); }
};

struct TransactionContext {
  Timers& timers;
  TimerSettings settings;
  /// Sends bytes; the transport reports failures through `done`.
  std::function<void(const Destination&, std::string, TransportLayer::SendDone)> send;
};

}  // namespace switchboard::sip
