// One call at the parking application (service.hpp): parks it, or
// retrieves a parked call for it, as an explicit state machine:
//
//   kStart ─park→ kAnnouncing ─PlayDone→ kParked ─timeout→ (redirected)
//      │                                    └─retrieved / hang-up→ (ended)
//      ├─retrieve→ kJoining ─joined→ (detached) / ─failed→ kFailing → hang up
//      └─no slot / empty slot→ kFailing ─PlayDone→ hang up
#pragma once

#include <string>

#include "core/call/call_app.hpp"

namespace switchboard::features::parking {

class ParkingService;

class ParkApp final : public core::CallApp {
 public:
  enum class State { kStart, kAnnouncing, kParked, kJoining, kFailing, kEnded };

  ParkApp(ParkingService& service, core::AppCallInfo info);

  void on_start(core::AppControl& control) override;
  void on_media(const media::app::MediaEvent& event) override;
  void on_end() override;
  void on_caller_changed(const std::string& caller) override;

  /// The park timeout: ring the parker back (then the operator).
  void on_timeout();
  State state() const { return state_; }
  const core::AppCallInfo& info() const { return info_; }

 private:
  void park(const std::string& slot);
  void retrieve(const std::string& slot);
  void fail(const char* prompt);

  ParkingService& service_;
  core::AppCallInfo info_;
  core::AppControl* control_ = nullptr;
  State state_ = State::kStart;
  std::string slot_;
  media::app::OpId playing_ = 0;
  bool back_to_parker_ = false;  ///< no free slot for a transferred call
};

}  // namespace switchboard::features::parking
