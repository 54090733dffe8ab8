#include "features/conference/service.hpp"

#include <fmt/format.h>

#include <ctime>

#include "common/log.hpp"
#include "features/conference/conference_app.hpp"

namespace switchboard::features::conference {

ConferenceService::ConferenceService(ConferenceOptions options, RoomMediaFactory& media)
    : options_(std::move(options)), media_(media) {}

ConferenceService::~ConferenceService() = default;

core::CallAppFactory ConferenceService::app_factory() {
  return [this](const core::AppCallInfo& info) -> core::CallAppPtr {
    const std::string& number = info.target.empty() ? info.dialed : info.target;
    if (number.empty()) return nullptr;
    return std::make_unique<ConferenceApp>(*this, number);
  };
}

std::string ConferenceService::create_adhoc_room() {
  std::string name;
  do {
    name = fmt::format("adhoc-{}", next_adhoc_++);
  } while (rooms_.count(name) || options_.rooms.count(name));
  return name;
}

core::CallAppPtr ConferenceService::party_app(const std::string& room) {
  return std::make_unique<ConferenceApp>(*this, room, /*direct=*/true);
}

void ConferenceService::update_options(ConferenceOptions options) {
  options_ = std::move(options);
}

RoomDef ConferenceService::room_def(const std::string& number) const {
  auto it = options_.rooms.find(number);
  return it == options_.rooms.end() ? RoomDef{} : it->second;
}

const Room* ConferenceService::room(const std::string& number) const {
  auto it = rooms_.find(number);
  return it == rooms_.end() ? nullptr : it->second.get();
}

Room* ConferenceService::find(const std::string& number) {
  auto it = rooms_.find(number);
  return it == rooms_.end() ? nullptr : it->second.get();
}

std::string ConferenceService::recording_path(const std::string& number) const {
  const auto now = std::chrono::system_clock::to_time_t(options_.now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
  return fmt::format("{}/{}-{}-{}.wav", options_.recording_dir, number, stamp, next_recording_);
}

Result<Room*> ConferenceService::open_room(const std::string& number) {
  if (Room* r = find(number)) return r;
  auto media = media_.create();
  if (!media.ok()) return media.error();
  auto room = std::make_unique<Room>(number, std::move(*media), options_.max_participants);
  Room* out = room.get();
  rooms_.emplace(number, std::move(room));
  auto log = log::get("conference");
  log->info("room {} opened", number);
  if (options_.record) {
    std::string path = recording_path(number);
    ++next_recording_;
    auto st = out->media().start_recording(path, [number](const RecordingDone& d) {
      auto l = log::get("conference");
      if (!d.status.ok()) {
        l->error("room {}: recording {}: {}", number, d.path, d.status.error().message);
      } else {
        l->info("room {}: recording {} ({:.1f} s)", number, d.path, d.seconds);
      }
    });
    if (!st.ok()) {
      log->error("room {}: cannot record to {}: {}", number, path, st.error().message);
    } else {
      log->info("room {}: recording to {}", number, path);
    }
  }
  return out;
}

JoinOutcome ConferenceService::join(const std::string& number, core::AppControl& control,
                                    bool moderator, Member& member) {
  JoinOutcome out;
  auto room = open_room(number);
  if (!room.ok()) {
    log::get("conference")->error("room {}: {}", number, room.error().message);
    return out;
  }
  Party party;
  party.id = next_party_++;
  party.call_id = control.info().call_id;
  party.caller = control.info().caller;
  party.moderator = moderator;
  party.member = &member;
  out.result = (*room)->join(party, control);
  auto log = log::get("conference");
  if (out.result != JoinResult::kJoined) {
    log->info("room {}: call {} from {} refused: {}", number, party.call_id, party.caller,
              to_string(out.result));
    close_if_empty(number);
    return out;
  }
  out.party = party.id;
  out.recording = options_.record;
  log->info("room {}: {} ({}{}) joined, {} in the room", number, party.caller, party.call_id,
            moderator ? ", moderator" : "", (*room)->size());
  publish(ConferenceEvent::Kind::kJoined, **room, party);
  return out;
}

void ConferenceService::leave(const std::string& number, PartyId id) {
  Room* room = find(number);
  if (!room) return;
  const Party* p = room->find(id);
  if (!p) return;
  Party party = *p;
  room->leave(id);
  log::get("conference")
      ->info("room {}: {} ({}) left, {} in the room", number, party.caller, party.call_id,
             room->size());
  publish(ConferenceEvent::Kind::kLeft, *room, party);
  close_if_empty(number);
}

std::optional<bool> ConferenceService::toggle_muted(const std::string& number, PartyId id) {
  Room* room = find(number);
  return room ? room->toggle_muted(id) : std::nullopt;
}

bool ConferenceService::toggle_mute_all(const std::string& number, PartyId by) {
  Room* room = find(number);
  return room ? room->toggle_mute_all(by) : false;
}

bool ConferenceService::toggle_lock(const std::string& number) {
  Room* room = find(number);
  return room ? room->toggle_lock() : false;
}

std::optional<Party> ConferenceService::kick_last(const std::string& number, PartyId by) {
  Room* room = find(number);
  if (!room) return std::nullopt;
  auto kicked = room->kick_last(by);
  if (!kicked) return std::nullopt;
  publish(ConferenceEvent::Kind::kLeft, *room, *kicked);
  if (kicked->member) kicked->member->on_kicked();
  return kicked;
}

void ConferenceService::close_if_empty(const std::string& number) {
  auto it = rooms_.find(number);
  if (it == rooms_.end() || !it->second->empty()) return;
  // The mixer stops; a recording is finished (its completion still comes).
  rooms_.erase(it);
  log::get("conference")->info("room {} closed", number);
}

void ConferenceService::publish(ConferenceEvent::Kind kind, const Room& room, const Party& party) {
  if (!event_handler_) return;
  ConferenceEvent e;
  e.kind = kind;
  e.room = room.number();
  e.call_id = party.call_id;
  e.caller = party.caller;
  e.party = party.id;
  e.moderator = party.moderator;
  e.participants = room.size();
  event_handler_(e);
}

}  // namespace switchboard::features::conference
