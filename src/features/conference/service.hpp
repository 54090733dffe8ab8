// ConferenceService (issue 7 §6): the rooms by number, created when their
// first caller joins and destroyed when the last one leaves, and the call
// application every caller of a room runs (ConferenceApp: PIN, then the
// room with its DTMF commands). Publishes joined/left for the event stream.
// Core thread only; the service must outlive its applications.
//
// Three-way calling (the B2BUA's merge_three_way, by feature code) uses
// the same rooms through core::ConferenceBridge: create_adhoc_room() names
// an unlisted, open room and party_app(room) is the application that puts a
// call into it at once (no PIN, no prompt); each of the three phones gets
// a call of its own with that application.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "core/call/call_app.hpp"
#include "core/call/conference_bridge.hpp"
#include "features/conference/options.hpp"
#include "features/conference/room.hpp"

namespace switchboard::features::conference {

struct ConferenceEvent {
  enum class Kind { kJoined, kLeft };
  Kind kind = Kind::kJoined;
  std::string room;
  std::string call_id;
  std::string caller;
  PartyId party = 0;
  bool moderator = false;
  std::size_t participants = 0;  ///< in the room after the change
};

struct JoinOutcome {
  JoinResult result = JoinResult::kError;
  PartyId party = 0;
  bool recording = false;  ///< the room is being recorded
};

class ConferenceService final : public core::ConferenceBridge {
 public:
  using EventHandler = std::function<void(const ConferenceEvent&)>;

  ConferenceService(ConferenceOptions options, RoomMediaFactory& media);
  ~ConferenceService() override;
  ConferenceService(const ConferenceService&) = delete;
  ConferenceService& operator=(const ConferenceService&) = delete;

  /// For the B2BUA's conference target kind: info.target (else info.dialed)
  /// is the room number.
  core::CallAppFactory app_factory();
  /// An unlisted room for an ad-hoc conference (three-way calling): open,
  /// no PIN; it exists from its first party to its last.
  std::string create_adhoc_room();
  /// The application that puts a call into `room` without PIN or prompt.
  core::CallAppPtr party_app(const std::string& room) override;
  std::string create_room() override { return create_adhoc_room(); }

  void on_event(EventHandler handler) { event_handler_ = std::move(handler); }
  /// New options (SIGHUP); rooms in use keep running.
  void update_options(ConferenceOptions options);
  const ConferenceOptions& options() const { return options_; }

  /// The room's definition; an unlisted number is open (empty PINs).
  RoomDef room_def(const std::string& number) const;
  /// nullptr when nobody is in it.
  const Room* room(const std::string& number) const;
  std::size_t room_count() const { return rooms_.size(); }

  // --- for the applications -------------------------------------------------
  JoinOutcome join(const std::string& number, core::AppControl& control, bool moderator,
                   Member& member);
  /// The party leaves (nothing if it is not in the room); the room goes
  /// when empty.
  void leave(const std::string& number, PartyId party);
  std::optional<bool> toggle_muted(const std::string& number, PartyId party);
  bool toggle_mute_all(const std::string& number, PartyId by);
  bool toggle_lock(const std::string& number);
  /// The kicked party's member is told (on_kicked) before this returns.
  std::optional<Party> kick_last(const std::string& number, PartyId by);

 private:
  Room* find(const std::string& number);
  Result<Room*> open_room(const std::string& number);
  void close_if_empty(const std::string& number);
  void publish(ConferenceEvent::Kind kind, const Room& room, const Party& party);
  std::string recording_path(const std::string& number) const;

  ConferenceOptions options_;
  RoomMediaFactory& media_;
  std::map<std::string, std::unique_ptr<Room>, std::less<>> rooms_;
  EventHandler event_handler_;
  PartyId next_party_ = 1;
  std::uint64_t next_adhoc_ = 1;
  std::uint64_t next_recording_ = 1;
};

}  // namespace switchboard::features::conference
