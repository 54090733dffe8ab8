#include "media/rtp/port_pool.hpp"

#include <cassert>

namespace switchboard::media::rtp {

std::shared_ptr<PortPool> PortPool::create(std::uint16_t first, std::uint16_t last) {
  return std::shared_ptr<PortPool>(new PortPool(first, last));
}

PortPool::PortPool(std::uint16_t first, std::uint16_t last) {
  std::uint32_t start = first + (first % 2);
  if (start == 0) start = 2;  // port 0 means "any" to bind()
  first_ = static_cast<std::uint16_t>(start);
  for (std::uint32_t p = start; p + 1 <= last; p += 2)
    free_.push_back(static_cast<std::uint16_t>(p));
  total_ = free_.size();
  leased_.assign(total_, false);
}

std::optional<PortPool::Lease> PortPool::acquire() {
  std::lock_guard lock(mu_);
  if (free_.empty()) return std::nullopt;
  std::uint16_t port = free_.front();
  free_.pop_front();
  leased_[(port - first_) / 2] = true;
  return Lease(shared_from_this(), port);
}

std::size_t PortPool::free_count() const {
  std::lock_guard lock(mu_);
  return free_.size();
}

void PortPool::give_back(std::uint16_t port) {
  std::lock_guard lock(mu_);
  auto slot = static_cast<std::size_t>((port - first_) / 2);
  assert(slot < leased_.size() && leased_[slot]);
  if (slot >= leased_.size() || !leased_[slot]) return;
  leased_[slot] = false;
  free_.push_back(port);
}

PortPool::Lease::Lease(Lease&& other) noexcept : pool_(std::move(other.pool_)), port_(other.port_) {
  other.pool_.reset();
}

PortPool::Lease& PortPool::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    release();
    pool_ = std::move(other.pool_);
    port_ = other.port_;
    other.pool_.reset();
  }
  return *this;
}

PortPool::Lease::~Lease() {
  release();
}

void PortPool::Lease::release() {
  if (pool_) {
    auto pool = std::move(pool_);
    pool_.reset();
    pool->give_back(port_);
  }
}

}  // namespace switchboard::media::rtp
