#include "media/rtp/socket_pair.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <boost/asio/socket_base.hpp>

namespace switchboard::media::rtp {
namespace {

using boost::asio::ip::udp;

void set_dscp(udp::socket& s, bool ipv6, int dscp) {
  if (dscp < 0) return;
  int tos = dscp << 2;
  // Best effort: a refused mark does not stop media.
  if (ipv6) {
    (void)::setsockopt(s.native_handle(), IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof tos);
  } else {
    (void)::setsockopt(s.native_handle(), IPPROTO_IP, IP_TOS, &tos, sizeof tos);
  }
}

bool open_and_bind(udp::socket& s, const boost::asio::ip::address& address, std::uint16_t port,
                   int dscp) {
  boost::system::error_code ec;
  udp::endpoint ep(address, port);
  s.open(ep.protocol(), ec);
  if (ec) return false;
  s.bind(ep, ec);
  if (ec) return false;
  s.non_blocking(true, ec);
  if (ec) return false;
  // Room for bursts while a media thread is busy with other sessions.
  s.set_option(boost::asio::socket_base::receive_buffer_size(256 * 1024), ec);
  set_dscp(s, address.is_v6(), dscp);
  return true;
}

}  // namespace

Result<SocketPair> bind_socket_pair(PortPool& pool, boost::asio::io_context& io,
                                    const boost::asio::ip::address& address, int dscp) {
  // Each failed pair goes to the back of the queue, so `attempts` pairs are
  // all distinct.
  std::size_t attempts = pool.free_count();
  for (std::size_t i = 0; i < attempts; ++i) {
    auto lease = pool.acquire();
    if (!lease) break;
    udp::socket rtp(io);
    udp::socket rtcp(io);
    if (open_and_bind(rtp, address, lease->rtp_port(), dscp) &&
        open_and_bind(rtcp, address, lease->rtcp_port(), dscp)) {
      return SocketPair{std::move(*lease), std::move(rtp), std::move(rtcp)};
    }
    // Sockets close and the lease returns the pair as they go out of scope.
  }
  return make_error(ErrorCode::kUnavailable, "no free RTP port pair in the configured range");
}

}  // namespace switchboard::media::rtp
