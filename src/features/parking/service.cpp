#include "features/parking/service.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "common/log.hpp"
#include "features/parking/park_app.hpp"

namespace switchboard::features::parking {

namespace {

std::optional<int> slot_number(const std::string& s) {
  if (s.empty() || s.size() > 6) return std::nullopt;
  int n = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return std::nullopt;
    n = n * 10 + (ch - '0');
  }
  return n;
}

}  // namespace

ParkingService::ParkingService(Timers& timers, core::EventBus& events, store::NowFn now,
                               ParkingOptions options)
    : timers_(timers), events_(events), now_(std::move(now)), options_(std::move(options)) {}

ParkingService::~ParkingService() {
  for (auto& [n, s] : slots_) {
    if (s.timer) timers_.cancel(s.timer);
  }
}

core::CallAppPtr ParkingService::make_app(const core::AppCallInfo& info) {
  return std::make_unique<ParkApp>(*this, info);
}

bool ParkingService::is_slot(const std::string& number) const {
  auto n = slot_number(number);
  return n && *n >= options_.first_slot && *n <= options_.last_slot;
}

std::optional<std::string> ParkingService::reserve(const std::string& slot, ParkApp* app,
                                                   const core::AppCallInfo& info) {
  int chosen = -1;
  if (!slot.empty()) {
    auto n = slot_number(slot);
    if (!n || !is_slot(slot) || slots_.count(*n)) return std::nullopt;
    chosen = *n;
  } else {
    for (int n = options_.first_slot; n <= options_.last_slot; ++n) {
      if (!slots_.count(n)) {
        chosen = n;
        break;
      }
    }
    if (chosen < 0) return std::nullopt;
  }
  Slot& s = slots_[chosen];
  s.app = app;
  s.info.slot = std::to_string(chosen);
  s.info.call_id = info.call_id;
  s.info.parked = info.caller;
  s.info.parked_by = info.referred_by;
  s.info.since = now_();
  s.info.timeout_at = s.info.since + options_.timeout;
  return s.info.slot;
}

void ParkingService::parked(const std::string& slot) {
  auto it = slots_.find(slot_number(slot).value_or(-1));
  if (it == slots_.end()) return;
  Slot& s = it->second;
  s.info.since = now_();
  s.info.timeout_at = s.info.since + options_.timeout;
  if (s.timer) timers_.cancel(s.timer);
  s.timer = timers_.schedule(options_.timeout, [this, slot] { on_timeout(slot); });
  log::get("parking")->info("call {} ({}) parked on {} by {}", s.info.call_id, s.info.parked, slot,
                            s.info.parked_by.empty() ? "-" : s.info.parked_by);
  publish(core::EventType::kCallParked, s);
}

void ParkingService::caller_changed(const std::string& slot, const std::string& caller) {
  auto it = slots_.find(slot_number(slot).value_or(-1));
  if (it == slots_.end()) return;
  if (it->second.info.parked_by.empty()) it->second.info.parked_by = it->second.info.parked;
  it->second.info.parked = caller;
  publish(core::EventType::kCallParked, it->second);
}

ParkApp* ParkingService::holder(const std::string& slot) const {
  auto n = slot_number(slot);
  auto it = n ? slots_.find(*n) : slots_.end();
  if (it == slots_.end() || !it->second.app) return nullptr;
  return it->second.app->state() == ParkApp::State::kParked ? it->second.app : nullptr;
}

void ParkingService::retrieving(const std::string& slot, const std::string& by) {
  auto it = slots_.find(slot_number(slot).value_or(-1));
  if (it != slots_.end()) it->second.retrieved_by = by;
}

void ParkingService::retrieve_failed(const std::string& slot) {
  auto it = slots_.find(slot_number(slot).value_or(-1));
  if (it != slots_.end()) it->second.retrieved_by.clear();
}

void ParkingService::on_timeout(const std::string& slot) {
  auto it = slots_.find(slot_number(slot).value_or(-1));
  if (it == slots_.end()) return;
  it->second.timer = 0;
  it->second.timed_out = true;
  log::get("parking")->info(
      "slot {}: nobody retrieved call {}; calling back {}", slot, it->second.info.call_id,
      it->second.info.parked_by.empty() ? "the operator" : it->second.info.parked_by);
  if (ParkApp* app = it->second.app) app->on_timeout();
}

void ParkingService::release(const std::string& slot, ParkApp* app) {
  auto it = slots_.find(slot_number(slot).value_or(-1));
  if (it == slots_.end() || it->second.app != app) return;
  Slot s = std::move(it->second);
  slots_.erase(it);
  if (s.timer) timers_.cancel(s.timer);
  nlohmann::json extra;
  if (!s.retrieved_by.empty()) {
    extra["retrieved_by"] = s.retrieved_by;
    extra["reason"] = "retrieved";
  } else {
    extra["reason"] = s.timed_out ? "timeout" : "hangup";
  }
  publish(core::EventType::kCallUnparked, s, std::move(extra));
}

std::vector<ParkedInfo> ParkingService::parked() const {
  std::vector<ParkedInfo> out;
  for (const auto& [n, s] : slots_) {
    if (s.app && s.app->state() == ParkApp::State::kParked) out.push_back(s.info);
  }
  return out;
}

void ParkingService::publish(core::EventType type, const Slot& s, nlohmann::json extra) {
  nlohmann::json data = {{"slot", s.info.slot},
                         {"call_id", s.info.call_id},
                         {"parked", s.info.parked},
                         {"parked_by", s.info.parked_by},
                         {"since", store::to_iso(s.info.since)},
                         {"timeout_at", store::to_iso(s.info.timeout_at)}};
  if (extra.is_object()) data.update(extra);
  std::vector<std::string> exts{s.info.parked};
  if (!s.info.parked_by.empty()) exts.push_back(s.info.parked_by);
  if (!s.retrieved_by.empty()) exts.push_back(s.retrieved_by);
  events_.publish(core::Event{type, std::move(exts), std::move(data)});
}

}  // namespace switchboard::features::parking
