// Call parking (issue 7 §4): the service behind the dialplan's parking
// kind, its options from parking.* (range_start is the park extension, the
// numbers above it up to range_end are the slots), the operator fallback of
// the callback, and the API's view of the occupied slots.
#include "api/parked_calls.hpp"
#include "app/application.hpp"
#include "common/log.hpp"
#include "core/call/b2bua.hpp"
#include "features/parking/service.hpp"

namespace switchboard::app {

namespace {

features::parking::ParkingOptions parking_options(const config::Config& cfg) {
  features::parking::ParkingOptions o;
  o.park_extension = std::to_string(cfg.parking.range_start);
  o.first_slot = cfg.parking.range_start + 1;
  o.last_slot = cfg.parking.range_end;
  o.timeout = std::chrono::seconds(cfg.parking.timeout);
  o.callback_no_answer = std::chrono::seconds(cfg.voicemail.no_answer_timeout);
  const auto& ops = cfg.features.operator_console.operator_extensions;
  if (!ops.empty()) o.operator_extension = ops.front();
  o.moh_class = cfg.music_on_hold.default_class;
  return o;
}

}  // namespace

class ParkedView final : public api::ParkedCallsView {
 public:
  explicit ParkedView(const features::parking::ParkingService& s) : service_(s) {}
  std::vector<api::ParkedCall> parked_calls() const override {
    std::vector<api::ParkedCall> out;
    for (const auto& p : service_.parked()) {
      out.push_back(
          api::ParkedCall{p.slot, p.call_id, p.parked, p.parked_by, p.since, p.timeout_at});
    }
    return out;
  }

 private:
  const features::parking::ParkingService& service_;
};

bool Application::start_parking() {
  const auto& cfg = *config_;
  if (!cfg.features.call_parking) return true;
  parking_ = std::make_unique<features::parking::ParkingService>(
      timers_, *events_, store::system_now, parking_options(cfg));
  parked_view_ = std::make_unique<ParkedView>(*parking_);
  b2bua_->set_app(core::TargetKind::kParking,
                  [this](const core::AppCallInfo& info) { return parking_->make_app(info); });
  const auto& o = parking_->options();
  log::get("parking")->info("parking: {} parks, slots {}-{}, callback after {} s", o.park_extension,
                            o.first_slot, o.last_slot, o.timeout.count());
  return true;
}

// POST /api/v1/calls/{id}/park: a blind transfer of `party` to the park
// extension, as if the other party had transferred it there with REFER; the
// slot is chosen when the park application answers (call.parked).
Result<std::string> Application::park(const std::string& call_id, const std::string& party,
                                      const std::optional<std::string>& extension) {
  if (!parking_) return make_error(ErrorCode::kUnavailable, "call parking is off");
  const std::string park_extension = parking_->options().park_extension;
  if (auto st = transfer(call_id, party, park_extension, extension); !st.ok()) return st.error();
  return park_extension;
}

}  // namespace switchboard::app
