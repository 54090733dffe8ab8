// An owned, non-blocking UDP socket (a file descriptor). Media threads poll
// these with their own epoll set (see media_thread.hpp), not through asio:
// asio re-arms a descriptor with epoll_ctl on every async_wait, one system
// call per packet on a relay (measured: a third of the relay's syscalls).
#pragma once

#include <boost/asio/ip/address.hpp>
#include <cstdint>

#include "common/result.hpp"
#include "media/rtp/latch.hpp"

namespace switchboard::media::rtp {

class UdpSocket {
 public:
  UdpSocket() = default;
  explicit UdpSocket(int fd) : fd_(fd) {}
  ~UdpSocket() { close(); }
  UdpSocket(UdpSocket&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  UdpSocket& operator=(UdpSocket&& o) noexcept;
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;

  /// A socket bound to address:port, non-blocking, with a larger receive
  /// buffer and `dscp` marking (unless -1). kUnavailable if the port is taken.
  static Result<UdpSocket> bind(const boost::asio::ip::address& address, std::uint16_t port,
                                int dscp);

  int fd() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  Endpoint local_endpoint() const;
  void close();

 private:
  int fd_ = -1;
};

}  // namespace switchboard::media::rtp
