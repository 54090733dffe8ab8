// The call application of a forwarding feature code (`*72…`, `*73` …):
// applies the code for the calling extension, confirms it with a prompt
// ("Calls are forwarded to one zero zero three", "Call forwarding is
// off") or refuses it (a prompt saying why and the congestion tone), then
// hangs up. States: kStarting → kConfirming (prompt playing) → kDone.
#pragma once

#include "core/call/call_app.hpp"

namespace switchboard::features::forwarding {

class ForwardingService;

class FeatureCodeApp final : public core::CallApp {
 public:
  explicit FeatureCodeApp(ForwardingService& service) : service_(service) {}

  void on_start(core::AppControl& control) override;
  void on_media(const media::app::MediaEvent& event) override;
  void on_end() override { control_ = nullptr; }

 private:
  enum class State { kStarting, kConfirming, kDone };
  void finish(const char* cause);

  ForwardingService& service_;
  core::AppControl* control_ = nullptr;
  State state_ = State::kStarting;
  media::app::OpId play_op_ = 0;
};

}  // namespace switchboard::features::forwarding
