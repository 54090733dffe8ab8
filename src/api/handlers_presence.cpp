// Presence: GET the presence of every extension or one, PUT what a person
// sets (available, away, dnd and a note; stored). Busy and offline are
// derived from the registrar and the active calls on the core thread; a
// change of the derived state or a new setting is published as a
// "presence" event. A user reads and sets only their own extension.
#include <set>

#include "api/api_service.hpp"
#include "common/log.hpp"
#include "core/events/event_bus.hpp"
#include "store/extension_repository.hpp"
#include "store/presence_repository.hpp"

namespace switchboard::api {

namespace http = boost::beast::http;

namespace {

const nlohmann::json kPresenceSchema = {
    {"type", "object"},
    {"required", {"extension", "state", "status", "note", "registered", "on_call", "updated_at"}},
    {"properties",
     {{"extension", {{"type", "string"}}},
      {"state", {{"type", "string"}, {"enum", {"available", "away", "dnd", "busy", "offline"}}}},
      {"status", {{"type", "string"}, {"enum", {"available", "away", "dnd"}}}},
      {"note", {{"type", "string"}}},
      {"registered", {{"type", "boolean"}}},
      {"on_call", {{"type", "boolean"}}},
      {"updated_at", {{"type", "string"}, {"nullable", true}}}}}};

bool may_see(const Principal& p, const std::string& number) {
  auto scope = p.scope();
  return !scope || *scope == number;
}

/// The extensions an event concerns: a registration's extension, a call's
/// caller and callee.
std::vector<std::string> concerned(const std::string& event_json) {
  std::vector<std::string> out;
  auto j = nlohmann::json::parse(event_json, nullptr, false);
  if (!j.is_object() || !j.contains("data") || !j["data"].is_object()) return out;
  for (const char* key : {"extension", "caller", "callee"}) {
    auto it = j["data"].find(key);
    if (it != j["data"].end() && it->is_string() && !it->get<std::string>().empty()) {
      out.push_back(it->get<std::string>());
    }
  }
  return out;
}

}  // namespace

LiveState ApiService::live_state(const std::string& extension) {
  return core_access_.live_state(extension);
}

void ApiService::refresh_presence() {
  std::set<std::string> due;
  {
    std::lock_guard lock(presence_mutex_);
    due.swap(presence_due_);
  }
  for (const auto& ext : due) {
    if (auto v = presence_.changed(ext, live_state(ext))) {
      events_.publish(core::Event{core::EventType::kPresence, {ext}, v->to_json()});
    }
  }
}

void ApiService::follow_presence() {
  core::EventFilter filter;
  filter.types = {core::EventType::kRegistration, core::EventType::kCallStarted,
                  core::EventType::kCallRinging, core::EventType::kCallAnswered,
                  core::EventType::kCallEnded};
  // The sink runs inside publish (the bus is locked): it notes the
  // extensions and posts one refresh for however many events arrive first.
  presence_subscription_ =
      events_.subscribe(std::move(filter), [this](const std::shared_ptr<const std::string>& text) {
        auto exts = concerned(*text);
        if (exts.empty()) return true;
        bool post = false;
        {
          std::lock_guard lock(presence_mutex_);
          post = presence_due_.empty();
          presence_due_.insert(exts.begin(), exts.end());
        }
        if (post) boost::asio::post(core_, [this] { refresh_presence(); });
        return true;
      });
}

void ApiService::add_presence_routes() {
  router_.add({
      .method = http::verb::get,
      .path = "/api/v1/presence",
      .permission = Permission::kPresenceRead,
      .summary = "Presence of every extension (a user: their own)",
      .tag = "presence",
      .response_schema = {{"type", "object"},
                          {"required", {"presence"}},
                          {"properties",
                           {{"presence", {{"type", "array"}, {"items", kPresenceSchema}}}}}},
      .handler =
          [this](ApiRequest r, Reply reply) {
            on_worker_then_core<std::vector<std::string>>(
                [this, who = r.principal]() -> Result<std::vector<std::string>> {
                  auto list = store::ExtensionRepository(db_).list();
                  if (!list) return list.error();
                  std::vector<std::string> numbers;
                  for (const auto& e : *list) {
                    if (may_see(who, e.number)) numbers.push_back(e.number);
                  }
                  return numbers;
                },
                [this](std::vector<std::string> numbers) {
                  nlohmann::json out = nlohmann::json::array();
                  for (const auto& n : numbers) {
                    out.push_back(presence_.view(n, live_state(n)).to_json());
                  }
                  return json_response(200, nlohmann::json{{"presence", out}});
                },
                std::move(reply));
          },
  });
  router_.add({
      .method = http::verb::get,
      .path = "/api/v1/presence/{extension}",
      .permission = Permission::kPresenceRead,
      .summary = "Presence of one extension",
      .tag = "presence",
      .response_schema = kPresenceSchema,
      .handler =
          [this](ApiRequest r, Reply reply) {
            const std::string ext = r.path["extension"];
            if (!may_see(r.principal, ext)) {
              return reply(json_error(403, "forbidden", "not your extension"));
            }
            on_worker_then_core<store::Extension>(
                [this, ext] { return store::ExtensionRepository(db_).get(ext); },
                [this](store::Extension e) {
                  return json_response(200,
                                       presence_.view(e.number, live_state(e.number)).to_json());
                },
                std::move(reply));
          },
  });
  router_.add({
      .method = http::verb::put,
      .path = "/api/v1/presence/{extension}",
      .permission = Permission::kPresenceWrite,
      .summary = "Set available, away or dnd and a note (busy and offline are derived); "
                 "published as a presence event",
      .tag = "presence",
      .body = ObjectSchema{{
          {.name = "status",
           .type = JsonType::kString,
           .required = true,
           .pattern = "available|away|dnd",
           .max_length = 16,
           .description = "available, away or dnd"},
          {.name = "note", .type = JsonType::kString, .max_length = 256},
      }},
      .response_schema = kPresenceSchema,
      .handler =
          [this](ApiRequest r, Reply reply) {
            const std::string ext = r.path["extension"];
            if (!may_see(r.principal, ext)) {
              return reply(json_error(403, "forbidden", "not your extension"));
            }
            store::PresenceRecord rec;
            rec.extension = ext;
            rec.status = *store::presence_status_from(r.body["status"].get<std::string>());
            rec.note = r.body.value("note", "");
            rec.updated_by = r.principal.actor;
            on_worker_then_core<store::PresenceRecord>(
                [this, rec]() -> Result<store::PresenceRecord> {
                  if (auto e = store::ExtensionRepository(db_).get(rec.extension); !e) {
                    return e.error();
                  }
                  return store::PresenceRepository(db_).set(rec);
                },
                [this](store::PresenceRecord stored) {
                  const std::string ext = stored.extension;
                  presence_.put(std::move(stored));
                  // Published even when the state is the same: the note or
                  // the setting behind a derived state changed.
                  auto v = presence_.changed(ext, live_state(ext), /*force=*/true);
                  events_.publish(core::Event{core::EventType::kPresence, {ext}, v->to_json()});
                  return json_response(200, v->to_json());
                },
                std::move(reply));
          },
  });
}

}  // namespace switchboard::api
