// One caller of a conference room (issue 7 §6), an explicit state machine:
//
//   Idle ─► Pin ──(participant or moderator PIN)──► InRoom ─► (caller hangs up)
//    │       │ wrong PIN: again, pin_attempts in all      │ *6 mute/unmute self
//    │       └─► Leaving ("goodbye", hang up)             │ moderator: *1 mute all,
//    │                                                    │ *2 lock, *3 kick last
//    └─ open room ─► InRoom     full / locked ─► Leaving  └─ kicked ─► Leaving
//
// The digit map is in docs/CONFERENCE.md. Entering the room the caller is
// mixed in at once (everybody hears the entry tone), then hears what
// concerns it alone ("you are the moderator", "this conference is being
// recorded", "you are the first participant") over the room.
#pragma once

#include <string>
#include <vector>

#include "core/call/call_app.hpp"
#include "features/conference/service.hpp"

namespace switchboard::features::conference {

class ConferenceApp final : public core::CallApp, public Member {
 public:
  enum class State { kIdle, kPin, kInRoom, kLeaving, kEnded };

  /// `direct`: straight into the room, no PIN and no prompts (ad-hoc rooms).
  ConferenceApp(ConferenceService& service, std::string room, bool direct = false);
  ~ConferenceApp() override;

  void on_start(core::AppControl& control) override;
  void on_media(const media::app::MediaEvent& event) override;
  void on_end() override;
  void on_kicked() override;

  State state() const { return state_; }
  bool moderator() const { return moderator_; }
  PartyId party() const { return party_; }
  const std::string& room() const { return room_; }

 private:
  void ask_pin(bool again);
  void check_pin(const media::app::DigitsDone& d);
  void enter(bool moderator);
  void listen();
  void on_digit(char digit);
  void command(char key);
  void say(std::vector<const char*> prompts);
  void leave_with(std::vector<const char*> prompts, std::string cause);

  ConferenceService& service_;
  std::string room_;
  bool direct_;
  RoomDef def_;
  State state_ = State::kIdle;
  core::AppControl* control_ = nullptr;
  bool moderator_ = false;
  PartyId party_ = 0;
  int failures_ = 0;
  bool star_ = false;  ///< `*` pressed in the room, the command key expected
  std::string leave_cause_;
  media::app::OpId play_op_ = 0, collect_op_ = 0;
};

const char* to_string(ConferenceApp::State s);

}  // namespace switchboard::features::conference
