#include "media/rtp/udp_batch.hpp"

#include <netinet/in.h>

#include <cerrno>
#include <cstring>

namespace switchboard::media::rtp {

RecvBatch::RecvBatch(unsigned capacity)
    : bufs_(capacity ? capacity : 1),
      msgs_(bufs_.size()),
      iovs_(bufs_.size()),
      addrs_(bufs_.size()) {}

unsigned RecvBatch::receive(int fd) {
  for (std::size_t i = 0; i < msgs_.size(); ++i) {
    iovs_[i] = {bufs_[i].data(), bufs_[i].size()};
    std::memset(&msgs_[i], 0, sizeof(mmsghdr));
    msgs_[i].msg_hdr.msg_iov = &iovs_[i];
    msgs_[i].msg_hdr.msg_iovlen = 1;
    msgs_[i].msg_hdr.msg_name = &addrs_[i];
    msgs_[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
  }
  int n;
  do {
    n = ::recvmmsg(fd, msgs_.data(), static_cast<unsigned>(msgs_.size()), MSG_DONTWAIT, nullptr);
  } while (n < 0 && errno == EINTR);
  return n > 0 ? static_cast<unsigned>(n) : 0;
}

std::span<std::uint8_t> RecvBatch::data(unsigned i) {
  std::size_t len = msgs_[i].msg_len;
  if (len > kMaxDatagram) len = kMaxDatagram;
  return {bufs_[i].data(), len};
}

Endpoint RecvBatch::source(unsigned i) const {
  Endpoint ep;
  const auto& ss = addrs_[i];
  std::size_t len = ss.ss_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
  std::memcpy(ep.data(), &ss, len);
  return ep;
}

SendBatch::SendBatch(unsigned capacity)
    : msgs_(capacity ? capacity : 1),
      iovs_(msgs_.size()),
      addrs_(msgs_.size()),
      fds_(msgs_.size()) {}

void SendBatch::add(int fd, std::span<const std::uint8_t> data, const Endpoint& to) {
  if (count_ == msgs_.size()) flush();
  unsigned i = count_++;
  iovs_[i] = {const_cast<std::uint8_t*>(data.data()), data.size()};
  std::memset(&msgs_[i], 0, sizeof(mmsghdr));
  std::memcpy(&addrs_[i], to.data(), to.size());
  msgs_[i].msg_hdr.msg_iov = &iovs_[i];
  msgs_[i].msg_hdr.msg_iovlen = 1;
  msgs_[i].msg_hdr.msg_name = &addrs_[i];
  msgs_[i].msg_hdr.msg_namelen = static_cast<socklen_t>(to.size());
  fds_[i] = fd;
}

const std::vector<bool>& SendBatch::flush() {
  sent_.assign(count_, false);
  unsigned i = 0;
  while (i < count_) {
    unsigned run = 1;
    while (i + run < count_ && fds_[i + run] == fds_[i]) ++run;
    unsigned done = 0;
    while (done < run) {
      int n = ::sendmmsg(fds_[i], &msgs_[i + done], run - done, MSG_DONTWAIT);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        ++done;  // this datagram failed (buffer full, unreachable): skip it
        continue;
      }
      for (int k = 0; k < n; ++k) sent_[i + done + static_cast<unsigned>(k)] = true;
      done += static_cast<unsigned>(n);
    }
    i += run;
  }
  count_ = 0;
  return sent_;
}

}  // namespace switchboard::media::rtp
