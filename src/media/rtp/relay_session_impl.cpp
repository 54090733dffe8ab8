#include "media/rtp/relay_session_impl.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>

#include "media/rtp/rtp_packet.hpp"

namespace switchboard::media::rtp {
namespace {
// Rounds of recvmmsg per readiness before giving other sessions a turn (the
// epoll set is level-triggered, so what is left comes back).
constexpr int kMaxRoundsPerWakeup = 4;
}  // namespace

RelaySessionImpl::RelaySessionImpl(std::shared_ptr<MediaThread> thread,
                                   boost::asio::any_io_executor core, RelayCallbacks callbacks,
                                   RelayOptions options, SocketPair a, SocketPair b)
    : thread_(std::move(thread)),
      core_(std::move(core)),
      callbacks_(std::move(callbacks)),
      id_(thread_->next_id()),
      ports_{a.lease.rtp_port(), b.lease.rtp_port()},
      local_address_(a.rtp.local_endpoint().address().to_string()),
      leases_{std::move(a.lease), std::move(b.lease)},
      sockets_{{std::move(a.rtp), Side::kA, false},
               {std::move(a.rtcp), Side::kA, true},
               {std::move(b.rtp), Side::kB, false},
               {std::move(b.rtcp), Side::kB, true}},
      core_logic_(options) {
  auto timeout = options.dead_peer_timeout;
  if (timeout.count() > 0) check_interval_ = std::clamp(timeout / 4, Duration(20), Duration(1000));
  ++thread_->sessions;
}

RelaySessionImpl::~RelaySessionImpl() {
  thread_->detach(id_);
  --thread_->sessions;
  // Sockets close (leaving the epoll set) and leases return as members go.
}

Status RelaySessionImpl::start() {
  next_check_ = Clock::now() + check_interval_;
  thread_->attach(id_, weak_from_this());
  for (unsigned i = 0; i < 4; ++i) {
    if (!thread_->watch(sockets_[i].socket.fd(), id_, i))
      return make_error(ErrorCode::kIoError, "cannot watch an RTP socket");
  }
  return Status::Ok();
}

void RelaySessionImpl::on_readable(unsigned i) {
  if (sockets_closed_ || i >= 4) return;
  RecvBatch& batch = thread_->recv_batch();
  int fd = sockets_[i].socket.fd();
  for (int round = 0; round < kMaxRoundsPerWakeup; ++round) {
    unsigned n = batch.receive(fd);
    if (n > 0) process(i, n);
    if (n < batch.capacity()) return;  // drained (recvmmsg stops at EAGAIN)
  }
}

int RelaySessionImpl::fd_for(const Outbound& out) const {
  std::size_t base = index(out.to) * 2;
  return sockets_[base + (out.via_rtp_socket ? 0 : 1)].socket.fd();
}

void RelaySessionImpl::process(unsigned i, unsigned count) {
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
    if (std::find(sent.begin(), sent.end(), false) != sent.end()) {
      std::lock_guard lock(mu_);
      for (std::size_t k = 0; k < sent.size() && k < queued; ++k) {
        if (!sent[k]) core_logic_.on_unsent(pending[k].out, pending[k].bytes, pending[k].rtcp);
      }
    }
  }
  if (!latched.empty()) report_events(std::move(latched), {});
}

void RelaySessionImpl::on_tick(TimePoint now) {
  if (sockets_closed_ || now < next_check_) return;
  next_check_ = now + check_interval_;
  std::vector<Side> dead;
  {
    std::lock_guard lock(mu_);
    dead = core_logic_.take_dead_sides(now);
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
  thread_->post([weak = weak_from_this(), side, p = std::move(params)]() mutable {
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
  thread_->post([weak = weak_from_this()] {
    if (auto self = weak.lock()) self->close_on_thread();
  });
}

void RelaySessionImpl::close_on_thread() {
  if (sockets_closed_) return;
  sockets_closed_ = true;
  thread_->detach(id_);
  for (auto& s : sockets_) s.socket.close();
  for (auto& l : leases_) l.release();
}

}  // namespace switchboard::media::rtp
