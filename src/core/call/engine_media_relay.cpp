#include "core/call/engine_media_relay.hpp"

#include <algorithm>

namespace switchboard::core {

namespace rtp = media::rtp;

namespace {

rtp::Side side_of(MediaSide s) {
  return s == MediaSide::kA ? rtp::Side::kA : rtp::Side::kB;
}

rtp::Direction direction_of(sdp::Direction d) {
  switch (d) {
    case sdp::Direction::kSendRecv:
      return rtp::Direction::kSendRecv;
    case sdp::Direction::kSendOnly:
      return rtp::Direction::kSendOnly;
    case sdp::Direction::kRecvOnly:
      return rtp::Direction::kRecvOnly;
    case sdp::Direction::kInactive:
      return rtp::Direction::kInactive;
  }
  return rtp::Direction::kSendRecv;
}

rtp::PayloadFormat format_of(const sdp::Codec& c) {
  return rtp::PayloadFormat{c.payload_type, c.name, c.clock_rate, c.channels};
}

class EngineMediaRelay final : public MediaRelay {
 public:
  EngineMediaRelay(rtp::RelaySessionPtr session, rtp::LatchMode latch,
                   const media::audio::MohService* moh, media::audio::Post run_serial,
                   std::shared_ptr<DigitListener> digits)
      : session_(std::move(session)),
        digits_(std::move(digits)),
        latch_(latch),
        moh_(moh),
        run_serial_(std::move(run_serial)) {}
  ~EngineMediaRelay() override { close(); }

  std::uint16_t local_port(MediaSide side) const override {
    return session_->local_port(side_of(side));
  }

  Status configure(MediaSide side, const sdp::StreamParams& stream, MediaLatch latch) override {
    const auto mode = latch == MediaLatch::kAnyHost && latch_ != rtp::LatchMode::kOff
                          ? rtp::LatchMode::kAnyHost
                          : latch_;
    session_->configure(side_of(side), side_params(stream, mode));
    return Status::Ok();
  }

  MediaQuality quality() const override {
    const auto st = session_->stats();
    MediaQuality q;
    q.packets_from_a = st.a().rtp_packets_in;
    q.packets_from_b = st.b().rtp_packets_in;
    q.packets_lost = st.a().lost + st.b().lost;
    q.jitter_ms = static_cast<std::uint32_t>(std::max(st.a().jitter_ms, st.b().jitter_ms) + 0.5);
    return q;
  }

  Status start_music(MediaSide toward, const std::string& moh_class) override {
    if (!moh_) return make_error(ErrorCode::kUnavailable, "no music on hold configured");
    auto listener = moh_->listen(moh_class, 8000);
    if (!listener.ok()) return listener.error();
    return session_->inject(side_of(toward), std::move(*listener), 8000);
  }
  void stop_music(MediaSide toward) override { session_->stop_inject(side_of(toward)); }

  Status start_recording(const std::string& path, bool stereo,
                         std::function<void(const RecordingResult&)> done) override {
    rtp::RecordingRequest r;
    r.path = path;
    r.mode = stereo ? rtp::RecordingMode::kStereo : rtp::RecordingMode::kMixed;
    r.run_serial = run_serial_;
    // The callback holds the session: when the call ends, close() and this
    // wrapper's end come before the media thread runs the close, and the
    // session must live until then to end the recording and report it (else
    // the file is completed by the writer's destructor with no report).
    return session_->start_recording(std::move(r),
                                     [done, keep = session_](const rtp::RecordingDone& d) {
                                       if (done) done(RecordingResult{d.path, d.seconds, d.status});
                                     });
  }
  void stop_recording() override { session_->stop_recording(); }

  void set_digit_listener(DigitListener listener, Detection detection) override {
    const auto mode = !listener ? rtp::DigitDetection::kOff
                      : detection == Detection::kEventsAndTones
                          ? rtp::DigitDetection::kEventsAndTones
                          : rtp::DigitDetection::kEvents;
    *digits_ = std::move(listener);
    session_->set_digit_detection(mode);
  }

  void close() override { session_->close(); }

 private:
  rtp::RelaySessionPtr session_;
  std::shared_ptr<DigitListener> digits_;  // shared with the session's on_digit
  rtp::LatchMode latch_;
  const media::audio::MohService* moh_;
  media::audio::Post run_serial_;
};

}  // namespace

rtp::SideParams side_params(const sdp::StreamParams& s, rtp::LatchMode latch) {
  rtp::SideParams p;
  p.remote_address = s.remote_rtp.address;
  p.remote_rtp_port = s.remote_rtp.port;
  p.remote_rtcp_port = s.remote_rtcp.port;
  p.rtcp_mux = s.rtcp_mux;
  for (const auto& c : s.codecs) p.codecs.push_back(format_of(c));
  if (s.telephone_event) p.telephone_event = format_of(*s.telephone_event);
  p.direction = direction_of(s.direction);
  if (s.held && p.direction == rtp::Direction::kSendRecv) p.direction = rtp::Direction::kSendOnly;
  p.latch = latch;
  return p;
}

Result<MediaRelayPtr> EngineMediaRelayFactory::open(DeadPeer dead_peer) {
  rtp::RelayCallbacks cb;
  cb.on_dead_peer = [dead_peer = std::move(dead_peer)](rtp::Side side) {
    if (dead_peer) dead_peer(side == rtp::Side::kA ? MediaSide::kA : MediaSide::kB);
  };
  auto digits = std::make_shared<MediaRelay::DigitListener>();
  cb.on_digit = [digits](rtp::Side side, char digit) {
    if (*digits) (*digits)(side == rtp::Side::kA ? MediaSide::kA : MediaSide::kB, digit);
  };
  auto session = engine_.create_relay(std::move(cb));
  if (!session.ok()) return session.error();
  return MediaRelayPtr(std::make_unique<EngineMediaRelay>(std::move(*session), latch_, moh_,
                                                          run_serial_, std::move(digits)));
}

}  // namespace switchboard::core
