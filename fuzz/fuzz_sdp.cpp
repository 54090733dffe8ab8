// libFuzzer target: the SDP parser. Invariants: a parsed description
// serializes to text that parses back to an equal value, and answering or
// relaying it never fails in any way other than an Error.
#include <cstdint>
#include <string>

#include "sdp/hold.hpp"
#include "sdp/negotiation.hpp"
#include "sdp/parser.hpp"
#include "sdp/relay.hpp"
#include "sdp/serializer.hpp"

using namespace switchboard::sdp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto sd = parse(text);
  if (!sd.ok()) return 0;
  std::string written = serialize(*sd);
  auto again = parse(written);
  if (!again.ok() || !(*again == *sd)) __builtin_trap();
  if (serialize(*again) != written) __builtin_trap();

  (void)is_hold(*sd);
  MediaConfig config;
  config.address = "203.0.113.1";
  config.rtp_ports = PortRange{10000, 20000};
  std::vector<std::uint16_t> ports(sd->media.size(), 10000);
  LocalSession session("1", config.address);
  auto answer = answer_offer(*sd, config, ports, session);
  if (answer.ok() && !parse(serialize(answer->sdp)).ok()) __builtin_trap();
  auto offer_b = relay_offer(*sd, config, ports, session);
  if (offer_b.ok()) {
    if (!parse(serialize(*offer_b)).ok()) __builtin_trap();
    (void)relay_answer(*sd, *offer_b, *sd, config, ports, session);
  }
  return 0;
}
