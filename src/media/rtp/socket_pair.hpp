// Binding one side's RTP/RTCP socket pair on a port pair from the pool. A
// port taken by another process is skipped (and goes back to the pool's end),
// so a failed bind never leaks a pair.
#pragma once

#include <boost/asio/ip/address.hpp>

#include "common/result.hpp"
#include "media/rtp/port_pool.hpp"
#include "media/rtp/udp_socket.hpp"

namespace switchboard::media::rtp {

struct SocketPair {
  PortPool::Lease lease;
  UdpSocket rtp;
  UdpSocket rtcp;
};

/// Tries pool pairs until both ports bind on `address` (non-blocking
/// sockets marked with `dscp` unless -1). kUnavailable when every free pair
/// failed or none is free.
Result<SocketPair> bind_socket_pair(PortPool& pool, const boost::asio::ip::address& address,
                                    int dscp = -1);

}  // namespace switchboard::media::rtp
