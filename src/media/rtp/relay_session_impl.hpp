// The RelaySession of the MediaEngine: four sockets (RTP and RTCP of each
// side) on one media thread, a RelayCore for the packet logic, and a
// periodic check for dead peers. Async handlers hold only weak references:
// the session dies with its last owner and its sockets and ports go with it.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <mutex>

#include "media/rtp/media_thread.hpp"
#include "media/rtp/relay_core.hpp"
#include "media/rtp/relay_session.hpp"
#include "media/rtp/socket_pair.hpp"

namespace switchboard::media::rtp {

class RelaySessionImpl final : public RelaySession,
                               public std::enable_shared_from_this<RelaySessionImpl> {
 public:
  RelaySessionImpl(std::shared_ptr<MediaThread> thread, boost::asio::any_io_executor core,
                   RelayCallbacks callbacks, RelayOptions options, SocketPair a, SocketPair b);
  ~RelaySessionImpl() override;

  /// Starts reading and the dead-peer check (call once, after make_shared).
  void start();

  std::uint16_t local_port(Side side) const override { return ports_[index(side)]; }
  std::string local_address() const override { return local_address_; }
  void configure(Side side, SideParams params) override;
  RelayStats stats() const override;
  void close() override;
  bool closed() const override { return closed_.load(); }

 private:
  struct Socket {
    boost::asio::ip::udp::socket socket;
    Side side;
    bool rtcp;
  };

  void wait(std::size_t i);
  void drain(std::size_t i);
  void process(std::size_t i, unsigned count);
  void schedule_check();
  void check();
  void report_events(std::vector<LatchEvent> latched, std::vector<Side> dead);
  void close_on_thread();
  int fd_for(const Outbound& out);

  std::shared_ptr<MediaThread> thread_;
  boost::asio::any_io_executor core_;
  RelayCallbacks callbacks_;
  std::uint16_t ports_[2];
  std::string local_address_;
  PortPool::Lease leases_[2];
  std::vector<Socket> sockets_;  // A rtp, A rtcp, B rtp, B rtcp
  boost::asio::steady_timer timer_;
  mutable std::mutex mu_;  // guards core_ (media thread vs stats()/configure)
  RelayCore core_logic_;
  std::atomic<bool> closed_{false};
  bool sockets_closed_ = false;  // media thread only
};

}  // namespace switchboard::media::rtp
