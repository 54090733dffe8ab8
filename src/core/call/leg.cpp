#include "core/call/leg.hpp"

namespace switchboard::core {

const char* to_string(LegState s) {
  switch (s) {
    case LegState::kCalling:
      return "calling";
    case LegState::kProceeding:
      return "proceeding";
    case LegState::kAnswered:
      return "answered";
    case LegState::kHeld:
      return "held";
    case LegState::kEnded:
      return "ended";
  }
  return "?";
}

const char* to_string(LegEvent e) {
  switch (e) {
    case LegEvent::kProvisional:
      return "provisional";
    case LegEvent::kAnswer:
      return "answer";
    case LegEvent::kHold:
      return "hold";
    case LegEvent::kResume:
      return "resume";
    case LegEvent::kEnd:
      return "end";
  }
  return "?";
}

std::optional<LegState> next_state(LegState s, LegEvent e) {
  if (s == LegState::kEnded) return std::nullopt;
  if (e == LegEvent::kEnd) return LegState::kEnded;
  switch (s) {
    case LegState::kCalling:
    case LegState::kProceeding:
      if (e == LegEvent::kProvisional) return LegState::kProceeding;
      if (e == LegEvent::kAnswer) return LegState::kAnswered;
      return std::nullopt;
    case LegState::kAnswered:
      if (e == LegEvent::kHold) return LegState::kHeld;
      if (e == LegEvent::kResume) return LegState::kAnswered;  // a re-offer without hold
      return std::nullopt;
    case LegState::kHeld:
      if (e == LegEvent::kResume) return LegState::kAnswered;
      if (e == LegEvent::kHold) return LegState::kHeld;
      return std::nullopt;
    case LegState::kEnded:
      break;
  }
  return std::nullopt;
}

Leg::Leg(MediaSide side, std::string local_tag, std::string sdp_session_id,
         std::string media_address)
    : side_(side),
      local_tag_(std::move(local_tag)),
      sdp_session_(std::move(sdp_session_id), std::move(media_address)) {}

bool Leg::on(LegEvent event) {
  auto next = next_state(state_, event);
  if (!next) return false;
  state_ = *next;
  return true;
}

}  // namespace switchboard::core
