#include "media/rtp/udp_socket.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace switchboard::media::rtp {

UdpSocket& UdpSocket::operator=(UdpSocket&& o) noexcept {
  if (this != &o) {
    close();
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

void UdpSocket::close() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

Result<UdpSocket> UdpSocket::bind(const boost::asio::ip::address& address, std::uint16_t port,
                                  int dscp) {
  Endpoint ep(address, port);
  bool v6 = address.is_v6();
  UdpSocket s(::socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!s.valid()) return make_error(ErrorCode::kIoError, std::strerror(errno));
  if (::bind(s.fd(), ep.data(), static_cast<socklen_t>(ep.size())) != 0) {
    return make_error(ErrorCode::kUnavailable, std::strerror(errno));
  }
  // Room for bursts while a media thread is busy with other sessions.
  int rcvbuf = 256 * 1024;
  (void)::setsockopt(s.fd(), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  if (dscp >= 0) {  // best effort: a refused mark does not stop media
    int tos = dscp << 2;
    if (v6) {
      (void)::setsockopt(s.fd(), IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof tos);
    } else {
      (void)::setsockopt(s.fd(), IPPROTO_IP, IP_TOS, &tos, sizeof tos);
    }
  }
  return s;
}

Endpoint UdpSocket::local_endpoint() const {
  Endpoint ep;
  socklen_t len = static_cast<socklen_t>(ep.capacity());
  if (fd_ >= 0 && ::getsockname(fd_, ep.data(), &len) == 0) ep.resize(len);
  return ep;
}

}  // namespace switchboard::media::rtp
