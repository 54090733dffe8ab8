#include "api/presence.hpp"

namespace switchboard::api {

const char* to_string(PresenceState s) {
  switch (s) {
    case PresenceState::kAvailable:
      return "available";
    case PresenceState::kAway:
      return "away";
    case PresenceState::kDnd:
      return "dnd";
    case PresenceState::kBusy:
      return "busy";
    case PresenceState::kOffline:
      return "offline";
  }
  return "offline";
}

PresenceState derive_presence(const std::optional<store::PresenceRecord>& set, LiveState live) {
  if (!live.registered) return PresenceState::kOffline;
  const auto status = set ? set->status : store::PresenceStatus::kAvailable;
  if (status == store::PresenceStatus::kDnd) return PresenceState::kDnd;
  if (live.on_call) return PresenceState::kBusy;
  return status == store::PresenceStatus::kAway ? PresenceState::kAway : PresenceState::kAvailable;
}

nlohmann::json PresenceView::to_json() const {
  nlohmann::json j = {{"extension", extension},
                      {"state", api::to_string(state)},
                      {"status", set ? store::to_string(set->status) : "available"},
                      {"note", set ? set->note : ""},
                      {"registered", live.registered},
                      {"on_call", live.on_call}};
  j["updated_at"] = set ? nlohmann::json(store::to_iso(set->updated_at)) : nlohmann::json(nullptr);
  return j;
}

void PresenceBook::load(std::vector<store::PresenceRecord> records) {
  set_.clear();
  for (auto& r : records) set_[r.extension] = std::move(r);
}

void PresenceBook::put(store::PresenceRecord record) {
  set_[record.extension] = std::move(record);
}

std::optional<store::PresenceRecord> PresenceBook::get(const std::string& extension) const {
  auto it = set_.find(extension);
  if (it == set_.end()) return std::nullopt;
  return it->second;
}

void PresenceBook::forget(const std::string& extension) {
  set_.erase(extension);
  published_.erase(extension);
}

PresenceView PresenceBook::view(const std::string& extension, LiveState live) const {
  PresenceView v;
  v.extension = extension;
  v.set = get(extension);
  v.live = live;
  v.state = derive_presence(v.set, live);
  return v;
}

std::optional<PresenceView> PresenceBook::changed(const std::string& extension, LiveState live,
                                                  bool force) {
  PresenceView v = view(extension, live);
  auto it = published_.find(extension);
  // Never published: it was offline as far as any client knows.
  const PresenceState before = it == published_.end() ? PresenceState::kOffline : it->second;
  if (v.state == before && !force) return std::nullopt;
  published_[extension] = v.state;
  return v;
}

}  // namespace switchboard::api
