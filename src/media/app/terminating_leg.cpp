#include "media/app/terminating_leg.hpp"

#include <mutex>
#include <random>

#include "media/rtp/media_thread.hpp"
#include "media/rtp/rtp_packet.hpp"

namespace switchboard::media::app {

// The media thread's side: the sockets and the RtpLegCore. The thread holds
// it weakly; it dies with its last owner and its sockets and ports with it.
class TerminatingLeg::Stream final : public rtp::MediaThread::Client,
                                     public std::enable_shared_from_this<Stream> {
 public:
  Stream(std::shared_ptr<rtp::MediaThread> thread, rtp::SocketPair sockets,
         std::unique_ptr<RtpLegCore> core)
      : thread_(std::move(thread)),
        id_(thread_->next_id()),
        sockets_(std::move(sockets)),
        core_(std::move(core)) {
    ++thread_->sessions;
  }
  ~Stream() override {
    thread_->detach(id_);
    --thread_->sessions;
  }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  Status start() {
    core_->start(Clock::now());
    thread_->attach(id_, weak_from_this());
    if (!thread_->watch(sockets_.rtp.fd(), id_, 0) || !thread_->watch(sockets_.rtcp.fd(), id_, 1))
      return make_error(ErrorCode::kIoError, "cannot watch an RTP socket");
    return Status::Ok();
  }

  void close() {
    thread_->post([weak = weak_from_this()] {
      if (auto self = weak.lock()) self->close_on_thread();
    });
  }

  void update(const LegParams& params) {
    thread_->post([weak = weak_from_this(), params] {
      if (auto self = weak.lock(); self && self->core_) (void)self->core_->update(params);
    });
  }

  LegStats stats() const {
    std::lock_guard lock(mu_);
    return stats_;
  }

  void on_readable(unsigned index) override {
    if (core_ == nullptr) return;
    rtp::RecvBatch& batch = thread_->recv_batch();
    int fd = index == 0 ? sockets_.rtp.fd() : sockets_.rtcp.fd();
    auto now = Clock::now();
    for (int round = 0; round < kMaxRounds; ++round) {
      unsigned n = batch.receive(fd);
      // RTCP from the remote is read and dropped (no reports are kept).
      for (unsigned k = 0; index == 0 && k < n; ++k) {
        if (!batch.truncated(k)) core_->on_packet(batch.data(k), batch.source(k), now);
      }
      if (n < batch.capacity()) break;
    }
    publish();
  }

  void on_tick(TimePoint now) override {
    if (core_ == nullptr) return;
    rtp::SendBatch& out = thread_->send_batch();
    int fd = sockets_.rtp.fd();
    core_->on_tick(now, [&](std::span<const std::uint8_t> packet, const rtp::Endpoint& to) {
      out.add(fd, packet, to);
      (void)out.flush();  // the core reuses its packet buffer
    });
    publish();
  }

 private:
  static constexpr int kMaxRounds = 4;

  void publish() {
    std::lock_guard lock(mu_);
    stats_ = core_->stats();
  }

  void close_on_thread() {
    if (core_ == nullptr) return;
    publish();
    thread_->detach(id_);
    sockets_.rtp.close();
    sockets_.rtcp.close();
    sockets_.lease.release();
    core_.reset();  // drops the MediaSession (a recording in progress is kept)
  }

  std::shared_ptr<rtp::MediaThread> thread_;
  std::uint64_t id_;
  rtp::SocketPair sockets_;
  std::unique_ptr<RtpLegCore> core_;  // null once closed
  mutable std::mutex mu_;             // stats_
  LegStats stats_;
};

Result<std::unique_ptr<TerminatingLeg>> TerminatingLeg::create(
    rtp::MediaEngine& engine, const LegParams& params, Options options,
    boost::asio::any_io_executor core, MediaChannel::EventHandler on_event) {
  auto info = RtpLegCore::check(params);
  if (!info) return info.error();
  options.channel.session.rate = static_cast<int>(info.value()->sample_rate);
  options.channel.session.inband_dtmf = params.telephone_event_pt < 0;
  auto placed = engine.place_session();
  if (!placed) return placed.error();
  auto thread = placed->thread;

  std::unique_ptr<TerminatingLeg> leg(new TerminatingLeg);
  leg->params_ = params;
  leg->local_address_ = placed->sockets.rtp.local_endpoint().address().to_string();
  leg->local_port_ = placed->sockets.lease.rtp_port();
  leg->rate_ = static_cast<int>(info.value()->sample_rate);
  leg->channel_ = std::make_unique<MediaChannel>(
      std::move(options.channel),
      [thread](std::function<void()> fn) { thread->post(std::move(fn)); }, std::move(core),
      std::move(on_event));
  auto logic = RtpLegCore::create(params, options.behaviour, leg->channel_->session(),
                                  std::random_device{}());
  if (!logic) return logic.error();
  leg->stream_ =
      std::make_shared<Stream>(thread, std::move(placed->sockets), std::move(logic).value());
  if (auto st = leg->stream_->start(); !st) return st.error();
  return leg;
}

TerminatingLeg::~TerminatingLeg() {
  close();
}

void TerminatingLeg::close() {
  if (state_ == State::kClosed) return;
  state_ = State::kClosed;
  if (channel_) channel_->stop();  // runs on the media thread before the close
  if (stream_) stream_->close();
}

Status TerminatingLeg::update(const LegParams& params) {
  if (state_ == State::kClosed) return make_error(ErrorCode::kUnavailable, "leg closed");
  if (auto st = RtpLegCore::check_update(params_, params); !st) return st;
  params_ = params;
  stream_->update(params);
  return Status::Ok();
}

LegStats TerminatingLeg::stats() const {
  return stream_ ? stream_->stats() : LegStats{};
}

}  // namespace switchboard::media::app
