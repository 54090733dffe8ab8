// Batched UDP I/O (recvmmsg/sendmmsg) with buffers owned by a media thread
// and reused by every session on it: the relay transforms packets in place
// in the receive buffers and sends them from there, no copy.
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "media/rtp/latch.hpp"

namespace switchboard::media::rtp {

inline constexpr std::size_t kMaxDatagram = 2048;

class RecvBatch {
 public:
  explicit RecvBatch(unsigned capacity);
  /// Reads up to capacity() datagrams without blocking; returns how many
  /// (0 when none is waiting). Truncated datagrams are reported too; see truncated().
  unsigned receive(int fd);
  unsigned capacity() const { return static_cast<unsigned>(msgs_.size()); }
  std::span<std::uint8_t> data(unsigned i);
  bool truncated(unsigned i) const { return (msgs_[i].msg_hdr.msg_flags & MSG_TRUNC) != 0; }
  Endpoint source(unsigned i) const;

 private:
  std::vector<std::array<std::uint8_t, kMaxDatagram>> bufs_;
  std::vector<mmsghdr> msgs_;
  std::vector<iovec> iovs_;
  std::vector<sockaddr_storage> addrs_;
};

class SendBatch {
 public:
  explicit SendBatch(unsigned capacity);
  /// Queues a datagram; `data` must stay valid until flush(). Flushes first
  /// when full.
  void add(int fd, std::span<const std::uint8_t> data, const Endpoint& to);
  bool empty() const { return count_ == 0; }
  /// Sends everything queued (one sendmmsg per run of the same socket);
  /// returns, for each queued datagram in order, whether it was sent.
  const std::vector<bool>& flush();
  unsigned capacity() const { return static_cast<unsigned>(msgs_.size()); }

 private:
  std::vector<mmsghdr> msgs_;
  std::vector<iovec> iovs_;
  std::vector<sockaddr_storage> addrs_;
  std::vector<int> fds_;
  std::vector<bool> sent_;
  unsigned count_ = 0;
};

}  // namespace switchboard::media::rtp
