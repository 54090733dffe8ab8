#include "media/rtp/socket_pair.hpp"

namespace switchboard::media::rtp {

Result<SocketPair> bind_socket_pair(PortPool& pool, const boost::asio::ip::address& address,
                                    int dscp) {
  // Each failed pair goes to the back of the queue, so `attempts` pairs are
  // all distinct.
  std::size_t attempts = pool.free_count();
  for (std::size_t i = 0; i < attempts; ++i) {
    auto lease = pool.acquire();
    if (!lease) break;
    auto rtp = UdpSocket::bind(address, lease->rtp_port(), dscp);
    if (!rtp) continue;  // the lease returns the pair as it goes out of scope
    auto rtcp = UdpSocket::bind(address, lease->rtcp_port(), dscp);
    if (!rtcp) continue;  // and the RTP socket closes
    return SocketPair{std::move(*lease), std::move(*rtp), std::move(*rtcp)};
  }
  return make_error(ErrorCode::kUnavailable, "no free RTP port pair in the configured range");
}

}  // namespace switchboard::media::rtp
