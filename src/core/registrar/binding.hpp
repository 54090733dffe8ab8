// One registered contact of an extension (RFC 3261 §10): where and how the
// PBX reaches a phone. Several bindings per extension ring together (a desk
// phone and a softphone).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/ip/address.hpp>

#include "common/timers.hpp"
#include "sip/transport/transport.hpp"
#include "store/time.hpp"

namespace switchboard::core {

struct Binding {
  enum class State { kActive, kUnreachable };

  std::string aor;       ///< the extension number
  std::string key;       ///< "+sip.instance;reg-id" (RFC 5626) or the contact URI
  std::string contact;   ///< the Contact URI as registered
  std::string instance;  ///< +sip.instance value, "" without one
  uint32_t reg_id = 0;
  std::string call_id;
  uint32_t cseq = 0;
  int q = 1000;                   ///< q-value in thousandths
  std::vector<std::string> path;  ///< Path header values (RFC 3327), kept for routing
  std::string user_agent;
  /// Where the REGISTER came from: the PBX reaches the phone there (NAT),
  /// over the same connection for TCP/TLS while it is open.
  sip::Protocol protocol = sip::Protocol::kUdp;
  boost::asio::ip::address source_ip;
  uint16_t source_port = 0;
  uint64_t connection = 0;
  store::Timestamp expires_at{};  ///< wall clock, as the store keeps it

  State state = State::kActive;
  int missed_pings = 0;
  TimerId expiry_timer = 0;

  /// Where requests for this contact go.
  sip::Destination destination() const {
    sip::Destination d;
    d.protocol = protocol;
    d.ip = source_ip;
    d.port = source_port;
    d.connection = connection;
    return d;
  }
};

const char* to_string(Binding::State s);

/// Persistence of bindings (the store is the truth across restarts; the
/// registrar in memory is the fast path). Calls come from the core thread
/// and must not block; implementations queue the writes.
class BindingStore {
 public:
  virtual ~BindingStore() = default;
  virtual void save(const Binding& binding) = 0;
  virtual void remove(const std::string& aor, const std::string& key) = 0;
};

}  // namespace switchboard::core
