// The pool of RTP port pairs (RTP even, RTCP = RTP + 1) over the configured
// range. A Lease gives a pair back when it is destroyed, so ports return to
// the pool on every path: close, destruction, a failed bind half-way through
// creating a session. Thread-safe: sessions are created on the core thread
// and die on media threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace switchboard::media::rtp {

class PortPool : public std::enable_shared_from_this<PortPool> {
 public:
  /// Even ports p with first <= p and p + 1 <= last. Empty pool if none fit.
  static std::shared_ptr<PortPool> create(std::uint16_t first, std::uint16_t last);

  /// Holds one pair; movable, returns it to the pool when destroyed.
  class Lease {
   public:
    Lease() = default;
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&& other) noexcept;
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    std::uint16_t rtp_port() const { return port_; }
    std::uint16_t rtcp_port() const { return static_cast<std::uint16_t>(port_ + 1); }
    bool valid() const { return pool_ != nullptr; }
    /// Gives the pair back now.
    void release();

   private:
    friend class PortPool;
    Lease(std::shared_ptr<PortPool> pool, std::uint16_t port)
        : pool_(std::move(pool)), port_(port) {}
    std::shared_ptr<PortPool> pool_;
    std::uint16_t port_ = 0;
  };

  /// The pair free the longest (FIFO: a just-released port is reused last,
  /// so late packets of an old call do not reach a new one). nullopt if none.
  std::optional<Lease> acquire();

  std::size_t free_count() const;
  std::size_t total() const { return total_; }

 private:
  PortPool(std::uint16_t first, std::uint16_t last);
  void give_back(std::uint16_t port);

  mutable std::mutex mu_;
  std::deque<std::uint16_t> free_;
  std::vector<bool> leased_;  // by (port - first_) / 2, catches double release
  std::uint16_t first_ = 0;
  std::size_t total_ = 0;
};

}  // namespace switchboard::media::rtp
