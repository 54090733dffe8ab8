// One media thread: its own epoll loop over the sockets of the sessions
// placed on it (level-triggered; a session drains a socket with recvmmsg),
// a queue of tasks posted from other threads (configure, close), a periodic
// tick (dead-peer checks), and the packet buffers every session on it shares
// (handlers on one thread never overlap).
//
// Sessions register as Clients under an id; epoll events carry (id, socket
// index), so an event for a session that just went away finds nothing and a
// reused file descriptor is never confused with the old one.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/result.hpp"
#include "common/timers.hpp"
#include "media/rtp/udp_batch.hpp"

namespace switchboard::media::rtp {

class MediaThread {
 public:
  /// What a session implements to be driven by the thread.
  class Client {
   public:
    virtual ~Client() = default;
    /// Socket `index` of this client is readable.
    virtual void on_readable(unsigned index) = 0;
    /// About every kTick.
    virtual void on_tick(TimePoint now) = 0;
  };

  static constexpr Duration kTick{20};

  explicit MediaThread(unsigned batch);
  ~MediaThread();
  MediaThread(const MediaThread&) = delete;
  MediaThread& operator=(const MediaThread&) = delete;

  /// Creates the epoll set and starts the thread.
  Status start();
  /// Runs the tasks already posted, then stops and joins.
  void stop_and_join();

  /// Runs `fn` on the media thread soon (any thread may call).
  void post(std::function<void()> fn);

  /// A new client id (never reused).
  std::uint64_t next_id() { return next_id_.fetch_add(1); }
  /// Registers a client for events and ticks (any thread).
  void attach(std::uint64_t id, std::weak_ptr<Client> client);
  void detach(std::uint64_t id);
  /// Watches `fd` for reading on behalf of client `id` as its socket `index`
  /// (0..7). Closing the fd stops the watch.
  bool watch(int fd, std::uint64_t id, unsigned index);

  RecvBatch& recv_batch() { return recv_; }
  SendBatch& send_batch() { return send_; }
  /// Sessions placed here (for choosing the least loaded thread).
  std::atomic<int> sessions{0};

 private:
  void run();
  void run_tasks();
  void wake();

  RecvBatch recv_;
  SendBatch send_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::atomic<bool> stop_{false};
  std::atomic<bool> idle_{true};  // no client: no tick
  std::atomic<std::uint64_t> next_id_{1};
  std::mutex mu_;  // tasks_, clients_
  std::vector<std::function<void()>> tasks_;
  std::unordered_map<std::uint64_t, std::weak_ptr<Client>> clients_;
  std::thread thread_;
};

}  // namespace switchboard::media::rtp
