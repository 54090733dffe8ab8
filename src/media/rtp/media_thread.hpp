// One media thread: an io_context run by its own std::thread, and the packet
// buffers every session placed on it shares (handlers on one thread never
// overlap).
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <optional>
#include <thread>

#include "media/rtp/udp_batch.hpp"

namespace switchboard::media::rtp {

class MediaThread {
 public:
  explicit MediaThread(unsigned batch) : recv_(batch), send_(batch), guard_(io_.get_executor()) {}
  ~MediaThread() { stop_and_join(); }
  MediaThread(const MediaThread&) = delete;
  MediaThread& operator=(const MediaThread&) = delete;

  void start() {
    thread_ = std::thread([this] { io_.run(); });
  }
  /// Lets run() return once no handler is pending, then joins.
  void stop_and_join() {
    guard_.reset();
    if (thread_.joinable()) thread_.join();
  }

  boost::asio::io_context& io() { return io_; }
  RecvBatch& recv_batch() { return recv_; }
  SendBatch& send_batch() { return send_; }
  /// Sessions placed here (for choosing the least loaded thread).
  std::atomic<int> sessions{0};

 private:
  boost::asio::io_context io_;
  RecvBatch recv_;
  SendBatch send_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::thread thread_;
};

}  // namespace switchboard::media::rtp
