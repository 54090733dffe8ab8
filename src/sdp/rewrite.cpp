#include "sdp/rewrite.hpp"

namespace switchboard::sdp {

Status rewrite_to_local(SessionDescription& sd, const MediaConfig& config,
                        const std::vector<std::uint16_t>& ports) {
  if (ports.size() != sd.media.size()) {
    return make_error(ErrorCode::kInvalidArgument, "one port per m= line is needed");
  }
  if (config.address.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "no media address configured");
  }
  Connection ours{address_type_of(config.address), config.address};
  sd.connection = ours;
  for (std::size_t i = 0; i < sd.media.size(); ++i) {
    MediaDescription& m = sd.media[i];
    m.connection.reset();
    m.port_count.reset();
    if (m.port == 0) {
      m.rtcp.reset();
      continue;
    }
    std::uint16_t port = ports[i];
    if (port == 0 || !config.rtp_ports.contains(port)) {
      return make_error(ErrorCode::kInvalidArgument,
                        "port " + std::to_string(port) + " is outside the RTP port range");
    }
    if (m.rtcp && !m.rtcp_mux && port == 65535) {
      return make_error(ErrorCode::kInvalidArgument, "no room for the RTCP port above 65535");
    }
    m.port = port;
    if (m.rtcp) {
      std::uint16_t rtcp = m.rtcp_mux ? port : static_cast<std::uint16_t>(port + 1);
      m.rtcp = RtcpAttribute{rtcp, ours};
    }
  }
  return Status::Ok();
}

}  // namespace switchboard::sdp
