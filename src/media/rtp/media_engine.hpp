// The media engine (DESIGN.md §3): N media threads, each owning the sessions
// placed on it and polling their sockets with its own epoll loop (not an
// asio io_context: asio re-arms a socket with epoll_ctl on every async_wait,
// one extra system call per relayed packet), and one pool of RTP ports shared
// by all. Created and stopped by the application; used from the core thread;
// callbacks go to the core thread's asio executor.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/result.hpp"
#include "media/rtp/relay_session.hpp"
#include "media/rtp/socket_pair.hpp"

namespace switchboard::media::rtp {

class MediaThread;

struct EngineConfig {
  /// Address the RTP sockets bind to (server.sip_host, or a media address).
  std::string bind_address = "0.0.0.0";
  /// server.rtp_port_range_start/_end, inclusive. RTP uses the even ports,
  /// RTCP the odd port above each; an odd start is rounded up.
  std::uint16_t port_first = 10000;
  std::uint16_t port_last = 20000;
  /// Media threads; 0 = std::thread::hardware_concurrency().
  unsigned threads = 0;
  /// Packets read (recvmmsg) and sent (sendmmsg) per system call at most;
  /// 1 makes every packet its own recvmmsg/sendmmsg (for measuring).
  unsigned batch = 32;
  /// DSCP of RTP/RTCP packets (EF = 46, RFC 4594 telephony); -1 leaves the default.
  int dscp = 46;
  /// Defaults for create_relay().
  RelayOptions relay_defaults{};
};

/// Owns the media threads and the port pool. Thread-safe.
class MediaEngine final : public RelayFactory {
 public:
  /// `core` is where RelayCallbacks run (the core thread's executor).
  /// Threads start at once. kInvalidArgument for a bad address or range.
  static Result<std::unique_ptr<MediaEngine>> create(EngineConfig config,
                                                     boost::asio::any_io_executor core);
  /// Closes every session still open and joins the threads.
  ~MediaEngine() override;
  MediaEngine(const MediaEngine&) = delete;
  MediaEngine& operator=(const MediaEngine&) = delete;

  /// nullopt options: config().relay_defaults.
  Result<RelaySessionPtr> create_relay(RelayCallbacks callbacks,
                                       std::optional<RelayOptions> options = std::nullopt) override;

  /// Room for a session built above this layer (a terminating leg of the
  /// media API): an RTP/RTCP socket pair bound on a pair from the pool and
  /// the least loaded media thread. The caller registers itself with the
  /// thread (attach, watch, sessions count); the pair's lease returns the
  /// ports when released or destroyed. Such sessions are the caller's to
  /// close: stop() does not see them (it stops their thread).
  struct Placement {
    SocketPair sockets;
    std::shared_ptr<MediaThread> thread;
  };
  /// kUnavailable when stopped or when no port pair is free.
  Result<Placement> place_session();
  /// The least loaded media thread, for work without sockets (a conference
  /// room's mixer); the caller attaches to it as for place_session().
  /// kUnavailable when stopped.
  Result<std::shared_ptr<MediaThread>> place_task();

  /// Closes every session and stops the threads (the destructor does it too).
  void stop();

  const EngineConfig& config() const { return config_; }
  unsigned thread_count() const;
  /// Port pairs free in the pool / in the whole range (for tests, metrics).
  std::size_t free_port_pairs() const;
  std::size_t total_port_pairs() const;
  /// Sessions not yet closed.
  std::size_t open_sessions() const;

 private:
  MediaEngine(EngineConfig config, boost::asio::any_io_executor core);
  struct State;
  EngineConfig config_;
  std::unique_ptr<State> state_;
};

}  // namespace switchboard::media::rtp
