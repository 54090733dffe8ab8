#include "media/rtp/relay_session_impl.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <filesystem>

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
  std::mt19937 rng(std::random_device{}());
  for (auto& inj : injections_) {
    inj.stream.ssrc = static_cast<std::uint32_t>(rng());
    inj.stream.sequence = static_cast<std::uint16_t>(rng());
    inj.stream.timestamp = static_cast<std::uint32_t>(rng());
  }
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
  std::vector<DigitEvent> digits;
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
    if (digits_on_) digits = core_logic_.take_digits(now);
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
  if (!latched.empty() || !digits.empty()) report_events(std::move(latched), {}, std::move(digits));
}

void RelaySessionImpl::on_tick(TimePoint now) {
  if (sockets_closed_) return;
  for (Side side : {Side::kA, Side::kB}) {
    if (injections_[index(side)].injector) run_injection(side, now);
  }
  if (recording_) run_recording(now);
  if (digits_on_) {
    std::vector<DigitEvent> digits;
    {
      std::lock_guard lock(mu_);
      digits = core_logic_.take_digits(now);  // RFC 4733 events whose end was lost
    }
    if (!digits.empty()) report_events({}, {}, std::move(digits));
  }
  if (now < next_check_) return;
  next_check_ = now + check_interval_;
  std::vector<Side> dead;
  {
    std::lock_guard lock(mu_);
    dead = core_logic_.take_dead_sides(now);
  }
  if (!dead.empty()) report_events({}, std::move(dead));
}

void RelaySessionImpl::run_injection(Side side, TimePoint now) {
  Injection& inj = injections_[index(side)];
  SendBatch& out = thread_->send_batch();
  int fd = sockets_[index(side) * 2].socket.fd();
  for (int n = inj.clock.due(now); n > 0; --n) {
    auto packet = inj.injector->next(inj.stream);
    if (!packet) continue;
    std::optional<Endpoint> dest;
    {
      std::lock_guard lock(mu_);
      dest = core_logic_.injection_destination(side);
    }
    if (!dest) continue;  // the side holds us or has no address: time goes on
    out.add(fd, *packet, *dest);
    bool sent = out.flush().front();  // the injector reuses its packet buffer
    if (sent) {
      std::lock_guard lock(mu_);
      core_logic_.on_injected(side, packet->size());
    }
  }
}

void RelaySessionImpl::run_recording(TimePoint now) {
  std::lock_guard lock(mu_);
  for (int n = recording_->clock.due(now); n > 0; --n) {
    recording_->writer->write(recording_->recorder->tick());
  }
}

Status RelaySessionImpl::inject(Side toward, std::shared_ptr<audio::FrameSource> producer,
                                int producer_rate) {
  if (closed_) return make_error(ErrorCode::kUnavailable, "relay closed");
  SideParams params;
  {
    std::lock_guard lock(api_mu_);
    if (!api_params_[index(toward)])
      return make_error(ErrorCode::kFailedPrecondition,
                        std::string("inject: side ") + to_string(toward) + " is not configured");
    params = *api_params_[index(toward)];
  }
  auto injector = Injector::create(params, std::move(producer), producer_rate);
  if (!injector) return injector.error();
  thread_->post([weak = weak_from_this(), toward,
                 inj = std::shared_ptr<Injector>(std::move(injector).value())]() mutable {
    auto self = weak.lock();
    if (!self || self->sockets_closed_) return;
    Injection& slot = self->injections_[index(toward)];
    slot.injector = std::move(inj);
    slot.clock.start(Clock::now() - MediaThread::kTick);  // the first frame is due now
    std::lock_guard lock(self->mu_);
    self->core_logic_.set_injecting(toward, true);
  });
  return Status::Ok();
}

void RelaySessionImpl::stop_inject(Side toward) {
  if (closed_) return;
  thread_->post([weak = weak_from_this(), toward] {
    auto self = weak.lock();
    if (!self || self->sockets_closed_) return;
    self->injections_[index(toward)].injector.reset();
    std::lock_guard lock(self->mu_);
    self->core_logic_.set_injecting(toward, false);
  });
}

Status RelaySessionImpl::start_recording(RecordingRequest request,
                                         std::function<void(const RecordingDone&)> on_done) {
  if (closed_) return make_error(ErrorCode::kUnavailable, "relay closed");
  if (request.path.empty()) return make_error(ErrorCode::kInvalidArgument, "recording: no path");
  if (request.rate != 8000 && request.rate != 16000 && request.rate != 48000)
    return make_error(ErrorCode::kInvalidArgument, "recording: rate must be 8/16/48 kHz");
  std::filesystem::path dir = std::filesystem::path(request.path).parent_path();
  std::error_code ec;
  if (!dir.empty() && !std::filesystem::is_directory(dir, ec))
    return make_error(ErrorCode::kNotFound, "recording: no directory " + dir.string());
  {
    std::lock_guard lock(api_mu_);
    if (api_recording_) return make_error(ErrorCode::kFailedPrecondition, "already recording");
    api_recording_ = true;
  }
  thread_->post([weak = weak_from_this(), request = std::move(request),
                 on_done = std::move(on_done)]() mutable {
    auto self = weak.lock();
    if (!self) return;
    if (self->sockets_closed_ || self->recording_) {
      {
        std::lock_guard lock(self->api_mu_);
        self->api_recording_ = self->recording_.has_value();
      }
      // Closed before the recording began: no file, but an answer.
      if (on_done) {
        boost::asio::post(self->core_, [on_done = std::move(on_done), path = request.path] {
          on_done(RecordingDone{path, 0, make_error(ErrorCode::kUnavailable, "relay closed")});
        });
      }
      return;
    }
    audio::RecorderOptions options;
    options.rate = request.rate;
    options.channels = request.mode == RecordingMode::kStereo ? 2 : 1;
    Recording rec;
    rec.recorder = std::make_unique<CallRecorder>(request.mode, request.rate);
    rec.writer = std::make_unique<audio::AsyncWavWriter>(request.path, options,
                                                         std::move(request.run_serial));
    rec.on_done = std::move(on_done);
    rec.clock.start(Clock::now());
    std::lock_guard lock(self->mu_);
    self->recording_ = std::move(rec);
    self->core_logic_.set_recorder(self->recording_->recorder.get());
  });
  return Status::Ok();
}

void RelaySessionImpl::stop_recording() {
  thread_->post([weak = weak_from_this()] {
    if (auto self = weak.lock()) self->end_recording_on_thread();
  });
}

void RelaySessionImpl::end_recording_on_thread() {
  std::optional<Recording> rec;
  {
    std::lock_guard lock(mu_);
    if (!recording_) return;
    core_logic_.set_recorder(nullptr);
    rec = std::move(recording_);
    recording_.reset();
  }
  {
    std::lock_guard lock(api_mu_);
    api_recording_ = false;
  }
  // Completion goes to the core executor even after close(): the call's
  // record needs the file's path and length.
  rec->writer->finish(
      [core = core_, on_done = std::move(rec->on_done)](audio::AsyncWavWriter::Done done) mutable {
        if (!on_done) return;
        boost::asio::post(core, [on_done = std::move(on_done), done = std::move(done)] {
          on_done(RecordingDone{done.path, done.seconds, done.status});
        });
      });
}

void RelaySessionImpl::report_events(std::vector<LatchEvent> latched, std::vector<Side> dead,
                                     std::vector<DigitEvent> digits) {
  boost::asio::post(core_, [weak = weak_from_this(), latched = std::move(latched),
                            dead = std::move(dead), digits = std::move(digits)] {
    auto self = weak.lock();
    if (!self || self->closed_) return;
    for (const auto& e : latched) {
      if (!e.rtcp && self->callbacks_.on_latched)
        self->callbacks_.on_latched(e.side, e.source.address().to_string(), e.source.port());
    }
    for (const auto& d : digits) {
      if (self->closed_) return;
      if (self->callbacks_.on_digit) self->callbacks_.on_digit(d.side, d.digit);
    }
    for (Side s : dead) {
      if (self->closed_) return;
      if (self->callbacks_.on_dead_peer) self->callbacks_.on_dead_peer(s);
    }
  });
}

void RelaySessionImpl::configure(Side side, SideParams params) {
  if (closed_) return;
  {
    std::lock_guard lock(api_mu_);
    api_params_[index(side)] = params;
  }
  thread_->post([weak = weak_from_this(), side, p = std::move(params)]() mutable {
    auto self = weak.lock();
    if (!self || self->sockets_closed_) return;
    std::lock_guard lock(self->mu_);
    self->core_logic_.configure(side, std::move(p), Clock::now());
  });
}

void RelaySessionImpl::set_digit_detection(DigitDetection mode) {
  if (closed_) return;
  thread_->post([weak = weak_from_this(), mode] {
    auto self = weak.lock();
    if (!self || self->sockets_closed_) return;
    self->digits_on_ = mode != DigitDetection::kOff;
    std::lock_guard lock(self->mu_);
    self->core_logic_.set_digit_detection(mode);
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
  end_recording_on_thread();
  for (auto& inj : injections_) inj.injector.reset();
  sockets_closed_ = true;
  thread_->detach(id_);
  for (auto& s : sockets_) s.socket.close();
  for (auto& l : leases_) l.release();
}

}  // namespace switchboard::media::rtp
