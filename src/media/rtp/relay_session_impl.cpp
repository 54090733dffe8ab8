#include "media/rtp/relay_session_impl.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>

#include "media/rtp/rtp_packet.hpp"

namespace switchboard::media::rtp {
namespace {
// Rounds of recvmmsg per readiness before yielding to other sessions.
constexpr int kMaxRoundsPerWakeup = 8;
}  // namespace

RelaySessionImpl::RelaySessionImpl(std::shared_ptr<MediaThread> thread,
                                   boost::asio::any_io_executor core, RelayCallbacks callbacks,
                                   RelayOptions options, SocketPair a, SocketPair b)
    : thread_(std::move(thread)),
      core_(std::move(core)),
      callbacks_(std::move(callbacks)),
      ports_{a.lease.rtp_port(), b.lease.rtp_port()},
      local_address_(a.rtp.local_endpoint().address().to_string()),
      leases_{std::move(a.lease), std::move(b.lease)},
      timer_(thread_->io()),
      core_logic_(options) {
  sockets_.push_back({std::move(a.rtp), Side::kA, false});
  sockets_.push_back({std::move(a.rtcp), Side::kA, true});
  sockets_.push_back({std::move(b.rtp), Side::kB, false});
  sockets_.push_back({std::move(b.rtcp), Side::kB, true});
  ++thread_->sessions;
}

RelaySessionImpl::~RelaySessionImpl() {
  --thread_->sessions;
  // Sockets, timer and leases close/return as members are destroyed.
}

void RelaySessionImpl::start() {
  boost::asio::post(thread_->io(), [weak = weak_from_this()] {
    auto self = weak.lock();
    if (!self || self->sockets_closed_) return;
    for (std::size_t i = 0; i < self->sockets_.size(); ++i) self->drain(i);
    self->schedule_check();
  });
}

void RelaySessionImpl::wait(std::size_t i) {
  sockets_[i].socket.async_wait(boost::asio::ip::udp::socket::wait_read,
                                [weak = weak_from_this(), i](const boost::system::error_code& ec) {
                                  if (ec) return;
                                  auto self = weak.lock();
                                  if (!self || self->sockets_closed_) return;
                                  self->drain(i);
                                });
}

void RelaySessionImpl::drain(std::size_t i) {
  RecvBatch& batch = thread_->recv_batch();
  int fd = sockets_[i].socket.native_handle();
  for (int round = 0; round < kMaxRoundsPerWakeup; ++round) {
    unsigned n = batch.receive(fd);
    if (n > 0) process(i, n);
    // Fewer than asked: the socket is empty (recvmmsg stops at EAGAIN), and
    // the reactor is edge-triggered, so waiting is safe only now.
    if (n < batch.capacity()) {
      wait(i);
      return;
    }
  }
  // Still busy: let other sessions run, then continue reading.
  boost::asio::post(thread_->io(), [weak = weak_from_this(), i] {
    auto self = weak.lock();
    if (self && !self->sockets_closed_) self->drain(i);
  });
}

int RelaySessionImpl::fd_for(const Outbound& out) {
  std::size_t base = index(out.to) * 2;
  return sockets_[base + (out.via_rtp_socket ? 0 : 1)].socket.native_handle();
}

void RelaySessionImpl::process(std::size_t i, unsigned count) {
  RecvBatch& in = thread_->recv_batch();
  SendBatch& out = thread_->send_batch();
  const Socket& from = sockets_[i];
  struct Pending {
    Outbound out;
    std::size_t bytes;
    bool rtcp;
  };
  Pending pending[64];
  unsigned queued = 0;
  auto now = Clock::now();
  std::vector<LatchEvent> latched;
  {
    std::lock_guard lock(mu_);
    for (unsigned k = 0; k < count; ++k) {
      auto data = in.data(k);
      if (in.truncated(k)) {
        core_logic_.on_dropped(from.side);
        continue;
      }
      bool rtcp = from.rtcp || looks_like_rtcp(data);
      std::optional<Outbound> dest =
          rtcp ? core_logic_.on_rtcp(from.side, data, in.source(k), now, !from.rtcp)
               : core_logic_.on_rtp(from.side, data, in.source(k), now);
      if (!dest) continue;
      core_logic_.on_sent(*dest, data.size(), rtcp);
      out.add(fd_for(*dest), data, dest->destination);
      if (queued < std::size(pending)) pending[queued++] = {*dest, data.size(), rtcp};
    }
    latched = core_logic_.take_latch_events();
  }
  if (!out.empty()) {
    const auto& sent = out.flush();
    bool any_failed = std::find(sent.begin(), sent.end(), false) != sent.end();
    if (any_failed) {
      std::lock_guard lock(mu_);
      for (std::size_t k = 0; k < sent.size() && k < queued; ++k) {
        if (!sent[k]) core_logic_.on_unsent(pending[k].out, pending[k].bytes, pending[k].rtcp);
      }
    }
  }
  if (!latched.empty()) report_events(std::move(latched), {});
}

void RelaySessionImpl::schedule_check() {
  auto timeout = core_logic_.options().dead_peer_timeout;
  if (timeout.count() <= 0) return;
  auto interval = std::clamp(timeout / 4, Duration(20), Duration(1000));
  timer_.expires_after(interval);
  timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
    if (ec) return;
    auto self = weak.lock();
    if (!self || self->sockets_closed_) return;
    self->check();
    self->schedule_check();
  });
}

void RelaySessionImpl::check() {
  std::vector<Side> dead;
  {
    std::lock_guard lock(mu_);
    dead = core_logic_.take_dead_sides(Clock::now());
  }
  if (!dead.empty()) report_events({}, std::move(dead));
}

void RelaySessionImpl::report_events(std::vector<LatchEvent> latched, std::vector<Side> dead) {
  boost::asio::post(
      core_, [weak = weak_from_this(), latched = std::move(latched), dead = std::move(dead)] {
        auto self = weak.lock();
        if (!self || self->closed_) return;
        for (const auto& e : latched) {
          if (!e.rtcp && self->callbacks_.on_latched)
            self->callbacks_.on_latched(e.side, e.source.address().to_string(), e.source.port());
        }
        for (Side s : dead) {
          if (self->closed_) return;
          if (self->callbacks_.on_dead_peer) self->callbacks_.on_dead_peer(s);
        }
      });
}

void RelaySessionImpl::configure(Side side, SideParams params) {
  if (closed_) return;
  boost::asio::post(thread_->io(),
                    [weak = weak_from_this(), side, p = std::move(params)]() mutable {
                      auto self = weak.lock();
                      if (!self || self->sockets_closed_) return;
                      std::lock_guard lock(self->mu_);
                      self->core_logic_.configure(side, std::move(p), Clock::now());
                    });
}

RelayStats RelaySessionImpl::stats() const {
  std::lock_guard lock(mu_);
  return core_logic_.stats();
}

void RelaySessionImpl::close() {
  if (closed_.exchange(true)) return;
  boost::asio::post(thread_->io(), [weak = weak_from_this()] {
    if (auto self = weak.lock()) self->close_on_thread();
  });
}

void RelaySessionImpl::close_on_thread() {
  if (sockets_closed_) return;
  sockets_closed_ = true;
  boost::system::error_code ec;
  timer_.cancel();
  for (auto& s : sockets_) s.socket.close(ec);
  for (auto& l : leases_) l.release();
}

}  // namespace switchboard::media::rtp
