// What the PBX offers and accepts for media, taken from the configuration
// (server.external_ip, server.rtp_port_range_*) by the B2BUA.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sdp/codec.hpp"

namespace switchboard::sdp {

/// server.rtp_port_range_start .. _end (inclusive).
struct PortRange {
  std::uint16_t first = 10000;
  std::uint16_t last = 20000;

  bool contains(std::uint16_t port) const { return port >= first && port <= last; }
};

/// The PBX's own side of every description it writes.
struct MediaConfig {
  std::string address;  ///< server.external_ip when set, else the bound media address
  PortRange rtp_ports;  ///< every port written must lie in here
  std::vector<CodecSpec> codecs = default_codecs();  ///< supported; order used for own offers
  bool telephone_event = true;                       ///< negotiate RFC 4733 on every leg
  int telephone_event_payload_type = 101;            ///< for own offers and when one is added
  std::string telephone_event_fmtp = "0-16";
  std::uint32_t ptime = 20;  ///< own offers; answers keep the offer's
  std::string origin_username = "switchboard";
  std::string session_name = "switchboard";
};

}  // namespace switchboard::sdp
