// The RelaySession of the MediaEngine: four sockets (RTP and RTCP of each
// side) watched by one media thread, a RelayCore for the packet logic, and a
// dead-peer check on the thread's tick. The thread holds only weak
// references: the session dies with its last owner, and its sockets and
// ports go with it.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <mutex>

#include "media/rtp/media_thread.hpp"
#include "media/rtp/relay_core.hpp"
#include "media/rtp/relay_session.hpp"
#include "media/rtp/socket_pair.hpp"

namespace switchboard::media::rtp {

class RelaySessionImpl final : public RelaySession,
                               public MediaThread::Client,
                               public std::enable_shared_from_this<RelaySessionImpl> {
 public:
  RelaySessionImpl(std::shared_ptr<MediaThread> thread, boost::asio::any_io_executor core,
                   RelayCallbacks callbacks, RelayOptions options, SocketPair a, SocketPair b);
  ~RelaySessionImpl() override;

  /// Starts reading (call once, after make_shared).
  Status start();

  std::uint16_t local_port(Side side) const override { return ports_[index(side)]; }
  std::string local_address() const override { return local_address_; }
  void configure(Side side, SideParams params) override;
  RelayStats stats() const override;
  void close() override;
  bool closed() const override { return closed_.load(); }

  // MediaThread::Client, on the media thread.
  void on_readable(unsigned index) override;
  void on_tick(TimePoint now) override;

 private:
  struct Socket {
    UdpSocket socket;
    Side side;
    bool rtcp;
  };

  void process(unsigned i, unsigned count);
  void report_events(std::vector<LatchEvent> latched, std::vector<Side> dead);
  void close_on_thread();
  int fd_for(const Outbound& out) const;

  std::shared_ptr<MediaThread> thread_;
  boost::asio::any_io_executor core_;
  RelayCallbacks callbacks_;
  std::uint64_t id_;
  std::uint16_t ports_[2];
  std::string local_address_;
  PortPool::Lease leases_[2];
  Socket sockets_[4];  // A rtp, A rtcp, B rtp, B rtcp
  Duration check_interval_{1000};
  TimePoint next_check_{};
  mutable std::mutex mu_;  // guards core_logic_ (media thread vs stats()/configure)
  RelayCore core_logic_;
  std::atomic<bool> closed_{false};
  bool sockets_closed_ = false;  // media thread only
};

}  // namespace switchboard::media::rtp
