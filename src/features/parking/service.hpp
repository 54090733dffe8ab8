// Call parking (issue 7 §4) as a call application: the slots, who waits in
// each, the park timeout with its callback, and the events. A call reaches
// the application (dialplan kind kParking) by dialing or transferring:
//
//   park extension (70) ──────────→ park in the first free slot
//   a free slot, by transfer ─────→ park in that slot
//   an occupied slot, dialed ─────→ retrieve: the parked party joins this call
//   a free slot, dialed ──────────→ "no call parked on this slot", hang up
//
// A parked call hears the slot announced, then music on hold. When nobody
// retrieves it within the timeout it rings its parker back, and the
// operator when the parker does not answer. An attended transfer to the
// park extension works too: the parker hears the slot in the consultation
// call, then the transfer puts the transferee there (on_caller_changed).
// Core thread only.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/timers.hpp"
#include "core/call/call_app.hpp"
#include "core/events/event_bus.hpp"
#include "features/parking/options.hpp"
#include "store/time.hpp"

namespace switchboard::features::parking {

/// One occupied slot, as the API lists it.
struct ParkedInfo {
  std::string slot;
  std::string call_id;
  std::string parked;     ///< who waits there
  std::string parked_by;  ///< who parked it ("" when unknown)
  store::Timestamp since{};
  store::Timestamp timeout_at{};
};

class ParkApp;

class ParkingService {
 public:
  ParkingService(Timers& timers, core::EventBus& events, store::NowFn now, ParkingOptions options);
  ~ParkingService();
  ParkingService(const ParkingService&) = delete;
  ParkingService& operator=(const ParkingService&) = delete;

  /// The CallAppFactory for TargetKind::kParking.
  core::CallAppPtr make_app(const core::AppCallInfo& info);

  /// Occupied slots in slot order.
  std::vector<ParkedInfo> parked() const;
  const ParkingOptions& options() const { return options_; }

  // For ParkApp.
  /// Reserves `slot` (or the first free one when empty); nullopt when taken
  /// or none is free.
  std::optional<std::string> reserve(const std::string& slot, ParkApp* app,
                                     const core::AppCallInfo& info);
  /// The slot's call is parked now (announcement done): timer and event.
  void parked(const std::string& slot);
  void caller_changed(const std::string& slot, const std::string& caller);
  /// The parked app that holds `slot`, when occupied.
  ParkApp* holder(const std::string& slot) const;
  /// `by` is retrieving the slot's call (its end is then a retrieval).
  void retrieving(const std::string& slot, const std::string& by);
  void retrieve_failed(const std::string& slot);
  /// The app's call left the slot (retrieved, hung up, called back).
  void release(const std::string& slot, ParkApp* app);
  bool is_slot(const std::string& number) const;

 private:
  struct Slot {
    ParkApp* app = nullptr;
    ParkedInfo info;
    TimerId timer = 0;
    std::string retrieved_by;
    bool timed_out = false;
  };
  void on_timeout(const std::string& slot);
  void publish(core::EventType type, const Slot& s, nlohmann::json extra = {});

  Timers& timers_;
  core::EventBus& events_;
  store::NowFn now_;
  ParkingOptions options_;
  std::map<int, Slot> slots_;  ///< occupied (or being announced) slots by number
};

}  // namespace switchboard::features::parking
