#include "core/call/engine_app_media.hpp"

namespace switchboard::core {

namespace {

class EngineAppMedia final : public AppMedia {
 public:
  explicit EngineAppMedia(std::unique_ptr<media::app::TerminatingLeg> leg) : leg_(std::move(leg)) {}
  ~EngineAppMedia() override { close(); }

  std::string local_address() const override { return leg_->local_address(); }
  std::uint16_t local_port() const override { return leg_->local_port(); }
  media::app::OpId play(media::app::PlayRequest r) override {
    return leg_->channel().play(std::move(r));
  }
  media::app::OpId record(media::app::RecordRequest r) override {
    return leg_->channel().record(std::move(r));
  }
  media::app::OpId collect_digits(media::app::CollectRequest r) override {
    return leg_->channel().collect_digits(std::move(r));
  }
  void stop() override { leg_->channel().stop(); }
  void close() override {
    if (!leg_->closed()) leg_->close();
  }
  media::app::TerminatingLeg* terminating_leg() override {
    return leg_->closed() ? nullptr : leg_.get();
  }

 private:
  std::unique_ptr<media::app::TerminatingLeg> leg_;
};

}  // namespace

Result<AppMediaPtr> EngineAppMediaFactory::open(const AppMediaParams& p, EventHandler on_event) {
  media::app::LegParams lp;
  lp.remote_address = p.remote_address;
  lp.remote_rtp_port = p.remote_port;
  lp.codec = p.codec;
  lp.clock_rate = p.clock_rate;
  lp.payload_type = p.payload_type;
  lp.telephone_event_pt = p.telephone_event_pt;
  lp.ptime_ms = p.ptime_ms;
  lp.latch = media::rtp::LatchMode::kOff;  // the relay is at a known loopback address
  auto leg = media::app::TerminatingLeg::create(engine_, lp, options_, core_, std::move(on_event));
  if (!leg.ok()) return leg.error();
  return AppMediaPtr(std::make_unique<EngineAppMedia>(std::move(*leg)));
}

}  // namespace switchboard::core
