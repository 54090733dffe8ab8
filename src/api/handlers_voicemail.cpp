// Voicemail on the store: the messages of a mailbox (folder filter,
// paginated), one message, its WAV, mark read/unread or move it between
// folders, delete it (row, then file). Files are served and removed only
// inside voicemail.storage_path. A user reaches only their own mailbox.
// Marking read and deleting publish voicemail.read / voicemail.deleted.
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/api_service.hpp"
#include "common/log.hpp"
#include "core/events/event_bus.hpp"
#include "store/extension_repository.hpp"
#include "store/voicemail_repository.hpp"

namespace switchboard::api {

namespace http = boost::beast::http;
namespace fs = std::filesystem;

namespace {

const nlohmann::json kMessageSchema = {
    {"type", "object"},
    {"required",
     {"id", "mailbox", "caller_id", "caller_name", "received_at", "duration_ms", "folder", "read"}},
    {"properties",
     {{"id", {{"type", "integer"}}},
      {"mailbox", {{"type", "string"}}},
      {"caller_id", {{"type", "string"}}},
      {"caller_name", {{"type", "string"}}},
      {"received_at", {{"type", "string"}}},
      {"duration_ms", {{"type", "integer"}}},
      {"folder", {{"type", "string"}, {"enum", {"new", "saved", "deleted"}}}},
      {"read", {{"type", "boolean"}}}}}};

nlohmann::json to_json(const store::VoicemailMessage& m) {
  return {{"id", m.id},
          {"mailbox", m.mailbox},
          {"caller_id", m.caller_id},
          {"caller_name", m.caller_name},
          {"received_at", store::to_iso(m.received_at)},
          {"duration_ms", m.duration_ms},
          {"folder", store::to_string(m.folder)},
          {"read", m.is_read}};
}

/// The request's mailbox when the principal may use it; a 403 otherwise.
std::optional<Response> refuse_mailbox(const ApiRequest& r) {
  auto scope = r.principal.scope();
  if (scope && *scope != r.path.at("mailbox")) {
    return json_error(403, "forbidden", "not your mailbox");
  }
  return std::nullopt;
}

std::optional<std::int64_t> message_id(const std::string& text) {
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

Response bad_id() {
  return json_error(400, "validation_failed", "id: expected a positive integer",
                    {{"field", "id"}, {"reason", "expected a positive integer"}});
}

/// The message `id` when it belongs to `mailbox` (kNotFound otherwise: a
/// message of another mailbox is not revealed).
Result<store::VoicemailMessage> message_of(store::Database& db, const std::string& mailbox,
                                           std::int64_t id) {
  auto m = store::VoicemailRepository(db).get(id);
  if (!m && m.error().code == ErrorCode::kNotFound) {
    return make_error(ErrorCode::kNotFound, "no message " + std::to_string(id));
  }
  if (!m) return m.error();
  if (m->mailbox != mailbox) {
    return make_error(ErrorCode::kNotFound, "no message " + std::to_string(id));
  }
  return m;
}

/// `file` resolved, when it lies inside `dir`; nullopt otherwise.
std::optional<fs::path> inside(const std::string& dir, const std::string& file) {
  if (dir.empty() || file.empty()) return std::nullopt;
  std::error_code ec;
  const fs::path base = fs::weakly_canonical(dir, ec);
  if (ec) return std::nullopt;
  const fs::path p = fs::weakly_canonical(file, ec);
  if (ec) return std::nullopt;
  auto b = base.begin();
  auto q = p.begin();
  for (; b != base.end(); ++b, ++q) {
    if (q == p.end() || *b != *q) return std::nullopt;
  }
  if (q == p.end()) return std::nullopt;  // the directory itself
  return p;
}

const std::vector<QueryParam> kListQuery = {
    {"folder", JsonType::kString, "new, saved or deleted (default: all)"},
    {"limit", JsonType::kInteger, "page size (1..500, default 100)"},
    {"offset", JsonType::kInteger, "messages to skip"},
};

}  // namespace

void ApiService::add_voicemail_routes() {
  router_.add({
      .method = http::verb::get,
      .path = "/api/v1/voicemail/{mailbox}/messages",
      .permission = Permission::kVoicemailRead,
      .summary = "Messages of a mailbox, newest first (a user: their own mailbox)",
      .tag = "voicemail",
      .query = kListQuery,
      .response_schema =
          {{"type", "object"},
           {"required", {"mailbox", "messages", "total", "limit", "offset", "counts"}},
           {"properties",
            {{"mailbox", {{"type", "string"}}},
             {"messages", {{"type", "array"}, {"items", kMessageSchema}}},
             {"total", {{"type", "integer"}}},
             {"limit", {{"type", "integer"}}},
             {"offset", {{"type", "integer"}}},
             {"counts",
              {{"type", "object"},
               {"required", {"new", "saved"}},
               {"properties",
                {{"new", {{"type", "integer"}}}, {"saved", {{"type", "integer"}}}}}}}}}},
      .handler =
          [this](ApiRequest r, Reply reply) {
            if (auto refused = refuse_mailbox(r)) return reply(std::move(*refused));
            std::vector<store::VoicemailFolder> folders = {store::VoicemailFolder::kNew,
                                                           store::VoicemailFolder::kSaved,
                                                           store::VoicemailFolder::kDeleted};
            if (auto it = r.query.find("folder"); it != r.query.end()) {
              auto f = store::voicemail_folder_from(it->second);
              if (!f) {
                return reply(json_error(400, "validation_failed", "folder: unknown folder",
                                        {{"field", "folder"}, {"reason", "unknown folder"}}));
              }
              folders = {*f};
            }
            auto number = [&](const char* name, std::int64_t def) {
              auto it = r.query.find(name);
              return it == r.query.end() ? def : std::stoll(it->second);  // validated integer
            };
            const std::int64_t limit = number("limit", 100), offset = number("offset", 0);
            if (limit < 1 || limit > 500 || offset < 0) {
              const char* field = limit < 1 || limit > 500 ? "limit" : "offset";
              return reply(json_error(400, "validation_failed",
                                      std::string(field) + ": out of range",
                                      {{"field", field}, {"reason", "out of range"}}));
            }
            on_worker(
                [this, mailbox = r.path.at("mailbox"), folders, limit, offset] {
                  if (auto e = store::ExtensionRepository(db_).get(mailbox); !e) {
                    return store_error_response(e.error());
                  }
                  store::VoicemailRepository repo(db_);
                  std::vector<store::VoicemailMessage> all;
                  for (auto f : folders) {
                    auto list = repo.list(mailbox, f);
                    if (!list) return store_error_response(list.error());
                    all.insert(all.end(), list->begin(), list->end());
                  }
                  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
                    return a.received_at != b.received_at ? a.received_at > b.received_at
                                                          : a.id > b.id;
                  });
                  auto counts = repo.counts(mailbox);
                  if (!counts) return store_error_response(counts.error());
                  nlohmann::json page = nlohmann::json::array();
                  for (std::int64_t i = offset;
                       i < static_cast<std::int64_t>(all.size()) && i < offset + limit; ++i) {
                    page.push_back(to_json(all[static_cast<size_t>(i)]));
                  }
                  return json_response(200, nlohmann::json{{"mailbox", mailbox},
                                                           {"messages", page},
                                                           {"total", all.size()},
                                                           {"limit", limit},
                                                           {"offset", offset},
                                                           {"counts",
                                                            {{"new", counts->new_messages},
                                                             {"saved", counts->saved_messages}}}});
                },
                std::move(reply));
          },
  });
  router_.add({
      .method = http::verb::get,
      .path = "/api/v1/voicemail/{mailbox}/messages/{id}",
      .permission = Permission::kVoicemailRead,
      .summary = "One message",
      .tag = "voicemail",
      .response_schema = kMessageSchema,
      .handler =
          [this](ApiRequest r, Reply reply) {
            if (auto refused = refuse_mailbox(r)) return reply(std::move(*refused));
            auto id = message_id(r.path.at("id"));
            if (!id) return reply(bad_id());
            on_worker(
                [this, mailbox = r.path.at("mailbox"), id = *id] {
                  auto m = message_of(db_, mailbox, id);
                  if (!m) return store_error_response(m.error());
                  return json_response(200, to_json(*m));
                },
                std::move(reply));
          },
  });
  router_.add({
      .method = http::verb::get,
      .path = "/api/v1/voicemail/{mailbox}/messages/{id}/audio",
      .permission = Permission::kVoicemailRead,
      .summary = "The message's recording (audio/wav)",
      .tag = "voicemail",
      .response_schema = {{"type", "string"}, {"format", "binary"}},
      .content_type = "audio/wav",
      .handler =
          [this](ApiRequest r, Reply reply) {
            if (auto refused = refuse_mailbox(r)) return reply(std::move(*refused));
            auto id = message_id(r.path.at("id"));
            if (!id) return reply(bad_id());
            on_worker(
                [this, mailbox = r.path.at("mailbox"), id = *id] {
                  auto m = message_of(db_, mailbox, id);
                  if (!m) return store_error_response(m.error());
                  auto path = inside(options_.voicemail_dir, m->file_path);
                  if (!path) {
                    log::get("api")->warn("voicemail {}: file outside the voicemail directory", id);
                    return json_error(404, "not_found", "the recording is not available");
                  }
                  std::ifstream in(*path, std::ios::binary);
                  if (!in) return json_error(404, "not_found", "the recording is missing");
                  std::ostringstream data;
                  data << in.rdbuf();
                  auto res = text_response(200, std::move(data).str(), "audio/wav");
                  res.set(http::field::content_disposition,
                          "attachment; filename=\"voicemail-" + std::to_string(id) + ".wav\"");
                  return res;
                },
                std::move(reply));
          },
  });
  router_.add({
      .method = http::verb::patch,
      .path = "/api/v1/voicemail/{mailbox}/messages/{id}",
      .permission = Permission::kVoicemailWrite,
      .summary = "Mark read or unread, move to another folder; read changes publish "
                 "voicemail.read",
      .tag = "voicemail",
      .body = ObjectSchema{{
          {.name = "read", .type = JsonType::kBoolean},
          {.name = "folder",
           .type = JsonType::kString,
           .pattern = "new|saved|deleted",
           .max_length = 16,
           .description = "new, saved or deleted"},
      }},
      .response_schema = kMessageSchema,
      .handler =
          [this](ApiRequest r, Reply reply) {
            if (auto refused = refuse_mailbox(r)) return reply(std::move(*refused));
            auto id = message_id(r.path.at("id"));
            if (!id) return reply(bad_id());
            if (r.body.empty()) {
              return reply(json_error(400, "validation_failed", "body: nothing to change",
                                      {{"field", ""}, {"reason", "nothing to change"}}));
            }
            std::optional<bool> read;
            if (r.body.contains("read")) read = r.body["read"].get<bool>();
            std::optional<store::VoicemailFolder> folder;
            if (r.body.contains("folder")) {
              folder = store::voicemail_folder_from(r.body["folder"].get<std::string>());
            }
            on_worker(
                [this, mailbox = r.path.at("mailbox"), id = *id, read, folder] {
                  auto m = message_of(db_, mailbox, id);
                  if (!m) return store_error_response(m.error());
                  store::VoicemailRepository repo(db_);
                  if (read) {
                    if (auto s = repo.mark_read(id, *read); !s)
                      return store_error_response(s.error());
                  }
                  if (folder) {
                    if (auto s = repo.move(id, *folder); !s) return store_error_response(s.error());
                  }
                  auto now = repo.get(id);
                  if (!now) return store_error_response(now.error());
                  if (read || folder) {  // MWI follows either
                    publish(core::Event{core::EventType::kVoicemailRead,
                                        {mailbox},
                                        {{"mailbox", mailbox},
                                         {"id", id},
                                         {"read", now->is_read},
                                         {"folder", store::to_string(now->folder)}}});
                  }
                  return json_response(200, to_json(*now));
                },
                std::move(reply));
          },
  });
  router_.add({
      .method = http::verb::delete_,
      .path = "/api/v1/voicemail/{mailbox}/messages/{id}",
      .permission = Permission::kVoicemailWrite,
      .summary = "Delete a message (its row, then its file); publishes voicemail.deleted",
      .tag = "voicemail",
      .success_status = 204,
      .response_schema = nullptr,
      .handler =
          [this](ApiRequest r, Reply reply) {
            if (auto refused = refuse_mailbox(r)) return reply(std::move(*refused));
            auto id = message_id(r.path.at("id"));
            if (!id) return reply(bad_id());
            on_worker(
                [this, mailbox = r.path.at("mailbox"), id = *id] {
                  auto m = message_of(db_, mailbox, id);
                  if (!m) return store_error_response(m.error());
                  if (auto s = store::VoicemailRepository(db_).remove(id); !s) {
                    return store_error_response(s.error());
                  }
                  // The row goes first: a file left behind is only disk
                  // space, a row without its file would be a broken message.
                  if (auto path = inside(options_.voicemail_dir, m->file_path)) {
                    std::error_code ec;
                    fs::remove(*path, ec);
                    if (ec) {
                      log::get("api")->warn("voicemail {}: removing the file: {}", id,
                                            ec.message());
                    }
                  } else {
                    log::get("api")->warn(
                        "voicemail {}: file outside the voicemail directory "
                        "left in place",
                        id);
                  }
                  publish(core::Event{core::EventType::kVoicemailDeleted,
                                      {mailbox},
                                      {{"mailbox", mailbox},
                                       {"id", id},
                                       {"folder", store::to_string(m->folder)},
                                       {"read", m->is_read}}});
                  return text_response(204, "", "text/plain");
                },
                std::move(reply));
          },
  });
}

}  // namespace switchboard::api
