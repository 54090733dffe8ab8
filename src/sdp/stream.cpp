#include "sdp/stream.hpp"

#include "sdp/hold.hpp"

namespace switchboard::sdp {

StreamParams describe_remote(const SessionDescription& remote, std::size_t index,
                             std::vector<Codec> agreed, std::optional<Codec> telephone_event,
                             bool rtcp_mux) {
  const MediaDescription& m = remote.media[index];
  StreamParams s;
  s.index = index;
  s.media = m.media;
  s.active = m.port != 0 && !agreed.empty();
  if (!agreed.empty()) s.codec = agreed.front();
  s.codecs = std::move(agreed);
  s.telephone_event = std::move(telephone_event);
  s.ptime = m.ptime;
  s.direction = declared_direction(remote, m);
  s.held = is_hold(remote, m);
  const Connection* c = remote.connection_of(m);
  s.remote_rtp = RtpAddress{c ? c->address : std::string(), m.port};
  s.rtcp_mux = rtcp_mux;
  if (m.rtcp) {
    const Connection* rc = m.rtcp->connection ? &*m.rtcp->connection : c;
    s.remote_rtcp = RtpAddress{rc ? rc->address : std::string(), m.rtcp->port};
  } else {
    std::uint16_t port = m.port;
    if (!rtcp_mux && port != 0 && port != 65535) ++port;
    s.remote_rtcp = RtpAddress{s.remote_rtp.address, port};
  }
  return s;
}

StreamParams rejected_stream(const MediaDescription& m, std::size_t index) {
  StreamParams s;
  s.index = index;
  s.media = m.media;
  s.active = false;
  return s;
}

}  // namespace switchboard::sdp
