#include "features/callcodes/call_codes.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>

#include "common/log.hpp"
#include "core/call/b2bua.hpp"

namespace switchboard::features::callcodes {

using core::MediaSide;

Status B2buaCallActions::transfer(const std::string& call_id, MediaSide stays,
                                  const std::string& target) {
  return b2bua_.transfer(call_id, stays, target, /*by: the transferrer*/ "");
}
Status B2buaCallActions::consult(const std::string& call_id, MediaSide transferrer,
                                 const std::string& target, bool three_way) {
  return b2bua_.consult(call_id, transferrer, target, three_way);
}
Status B2buaCallActions::merge_three_way(const std::string& call_id) {
  return b2bua_.merge_three_way(call_id);
}
Status B2buaCallActions::cancel_consultation(const std::string& call_id) {
  return b2bua_.cancel_consultation(call_id);
}
bool B2buaCallActions::is_consultation(const std::string& call_id) {
  return b2bua_.is_consultation(call_id);
}
Result<std::string> B2buaCallActions::start_recording(const std::string& call_id) {
  return b2bua_.start_recording(call_id);
}
Status B2buaCallActions::stop_recording(const std::string& call_id) {
  return b2bua_.stop_recording(call_id);
}

CallCodes::CallCodes(Timers& timers, CallCodeActions& actions, CallCodeOptions options)
    : timers_(timers), actions_(actions), options_(std::move(options)) {}

CallCodes::~CallCodes() {
  for (auto& [key, s] : sides_) timers_.cancel(s.timer);
}

void CallCodes::set_options(CallCodeOptions options) {
  for (auto& [key, s] : sides_) timers_.cancel(s.timer);
  sides_.clear();
  options_ = std::move(options);
}

CallCodes::Code CallCodes::match(const std::string& digits, bool& prefix) const {
  prefix = false;
  const std::array<std::pair<Code, const std::string*>, 6> codes{{
      {Code::kBlindTransfer, &options_.blind_transfer},
      {Code::kPark, &options_.park},
      {Code::kRecordToggle, &options_.record_toggle},
      {Code::kAttendedTransfer, &options_.attended_transfer},
      {Code::kThreeWay, &options_.three_way},
      {Code::kCancelConsultation, &options_.cancel_consultation},
  }};
  for (const auto& [code, text] : codes) {
    if (text->empty()) continue;
    if (*text == digits) return code;
    if (text->starts_with(digits)) prefix = true;
  }
  return Code::kNone;
}

void CallCodes::on_call_digit(const std::string& call_id, MediaSide side, char digit) {
  if (!options_.enabled) return;
  const Key key{call_id, side};
  auto it = sides_.find(key);
  if (it == sides_.end()) return start(key, digit);
  SideState& s = it->second;
  if (s.state == State::kNumber) {
    if (digit == '#') {
      const std::string number = std::move(s.digits);
      const Code code = s.code;
      forget(key);
      if (!number.empty()) act(key, code, number);
      return;
    }
    if (digit < '0' || digit > '9') {  // '*' and A-D: not a number, give up
      forget(key);
      return;
    }
    s.digits.push_back(digit);
    arm(key, s);
    return;
  }
  bool prefix = false;
  const Code code = match(s.digits + digit, prefix);
  if (code != Code::kNone) {
    forget(key);
    return act(key, code, "");
  }
  if (prefix) {
    s.digits.push_back(digit);
    arm(key, s);
    return;
  }
  // Not a code after all (the digits were meant for the other party): this
  // digit may start one itself.
  forget(key);
  start(key, digit);
}

void CallCodes::start(const Key& key, char digit) {
  bool prefix = false;
  const Code code = match(std::string(1, digit), prefix);
  if (code != Code::kNone) return act(key, code, "");
  if (!prefix) return;
  SideState& s = sides_[key];
  s.state = State::kPrefix;
  s.digits.assign(1, digit);
  arm(key, s);
}

void CallCodes::act(const Key& key, Code code, const std::string& number) {
  const auto& [call_id, side] = key;
  auto logger = log::get("callcodes");
  switch (code) {
    case Code::kNone:
      return;
    case Code::kBlindTransfer:
      if (number.empty()) return expect_number(key, code);
      if (auto st = actions_.transfer(call_id, core::other(side), number); !st.ok()) {
        logger->info("call {}: side {} transfer to {} refused: {}", call_id, core::to_string(side),
                     number, st.error().message);
      } else {
        logger->info("call {}: side {} transfers the other party to {}", call_id,
                     core::to_string(side), number);
      }
      return;
    case Code::kPark:
      if (auto st = actions_.transfer(call_id, core::other(side), options_.park_extension);
          !st.ok()) {
        logger->info("call {}: side {} park refused: {}", call_id, core::to_string(side),
                     st.error().message);
      } else {
        logger->info("call {}: side {} parks the other party", call_id, core::to_string(side));
      }
      return;
    case Code::kRecordToggle: {
      auto started = actions_.start_recording(call_id);
      if (started.ok()) {
        logger->info("call {}: side {} starts recording {}", call_id, core::to_string(side),
                     *started);
        return;
      }
      if (started.error().code != ErrorCode::kFailedPrecondition) {
        logger->info("call {}: cannot record: {}", call_id, started.error().message);
        return;
      }
      // Already recording (or not a two-phone call: then stopping fails too).
      if (auto st = actions_.stop_recording(call_id); st.ok()) {
        logger->info("call {}: side {} stops recording", call_id, core::to_string(side));
      } else {
        logger->info("call {}: record toggle refused: {}", call_id, st.error().message);
      }
      return;
    }
    case Code::kThreeWay:
      if (actions_.is_consultation(call_id)) {
        if (auto st = actions_.merge_three_way(call_id); !st.ok()) {
          logger->info("call {}: three-way refused: {}", call_id, st.error().message);
        } else {
          logger->info("call {}: side {} makes it a three-way call", call_id,
                       core::to_string(side));
        }
        return;
      }
      [[fallthrough]];
    case Code::kAttendedTransfer: {
      if (number.empty()) return expect_number(key, code);
      const bool three_way = code == Code::kThreeWay;
      if (auto st = actions_.consult(call_id, side, number, three_way); !st.ok()) {
        logger->info("call {}: side {} consultation of {} refused: {}", call_id,
                     core::to_string(side), number, st.error().message);
      } else {
        logger->info("call {}: side {} consults {}{}", call_id, core::to_string(side), number,
                     three_way ? " for a three-way call" : "");
      }
      return;
    }
    case Code::kCancelConsultation:
      if (auto st = actions_.cancel_consultation(call_id); !st.ok()) {
        logger->info("call {}: cancel refused: {}", call_id, st.error().message);
      } else {
        logger->info("call {}: side {} goes back to the held party", call_id,
                     core::to_string(side));
      }
      return;
  }
}

void CallCodes::expect_number(const Key& key, Code code) {
  // The code is complete; the number follows.
  SideState& s = sides_[key];
  s.state = State::kNumber;
  s.code = code;
  s.digits.clear();
  arm(key, s);
}

void CallCodes::arm(const Key& key, SideState& s) {
  if (s.timer) timers_.cancel(s.timer);
  s.timer = timers_.schedule(options_.inter_digit_timeout, [this, key] { on_timeout(key); });
}

void CallCodes::on_timeout(const Key& key) {
  auto it = sides_.find(key);
  if (it == sides_.end()) return;
  it->second.timer = 0;
  const bool dial = it->second.state == State::kNumber && !it->second.digits.empty();
  const std::string number = std::move(it->second.digits);
  const Code code = it->second.code;
  sides_.erase(it);
  if (dial) act(key, code, number);
}

void CallCodes::forget(const Key& key) {
  auto it = sides_.find(key);
  if (it == sides_.end()) return;
  if (it->second.timer) timers_.cancel(it->second.timer);
  sides_.erase(it);
}

}  // namespace switchboard::features::callcodes
