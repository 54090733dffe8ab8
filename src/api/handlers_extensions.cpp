// Extensions: list, get, create, update, delete. Rows live in the store;
// after a change the core re-reads them and applies them live (credentials,
// caller profiles). Extensions from the config file are read-only here: the
// file wins at every reload, so changing them through the API would not last.
#include "api/api_service.hpp"
#include "common/log.hpp"
#include "sip/digest.hpp"
#include "store/extension_repository.hpp"
#include "store/presence_repository.hpp"

namespace switchboard::api {

namespace http = boost::beast::http;

namespace {

nlohmann::json to_json(const store::Extension& e) {
  return {{"number", e.number},
          {"name", e.name},
          {"email", e.email},
          {"allow_external", e.allow_external},
          {"enabled", e.enabled},
          {"source", store::to_string(e.source)},
          {"created_at", store::to_iso(e.created_at)}};
}

const nlohmann::json kExtensionSchema = {
    {"type", "object"},
    {"required", {"number", "name", "email", "allow_external", "enabled", "source"}},
    {"properties",
     {{"number", {{"type", "string"}}},
      {"name", {{"type", "string"}}},
      {"email", {{"type", "string"}}},
      {"allow_external", {{"type", "boolean"}}},
      {"enabled", {{"type", "boolean"}}},
      {"source", {{"type", "string"}, {"enum", {"config", "api", "ldap"}}}},
      {"created_at", {{"type", "string"}}}}}};

Response store_error(const Error& e) {
  if (e.code == ErrorCode::kNotFound) return json_error(404, "not_found", e.message);
  return json_error(500, "store_error", "the store failed");
}

bool may_see(const Principal& p, const std::string& number) {
  auto scope = p.scope();
  return !scope || *scope == number;
}

}  // namespace

void ApiService::add_extension_routes() {
  std::vector<FieldSpec> fields = {
      {.name = "name", .type = JsonType::kString, .max_length = 100},
      {.name = "password",
       .type = JsonType::kString,
       .pattern = ".{8,}",
       .max_length = 128,
       .description = "SIP digest password (8+ characters); only its HA1s are stored"},
      {.name = "email", .type = JsonType::kString, .max_length = 254},
      {.name = "allow_external", .type = JsonType::kBoolean},
      {.name = "enabled", .type = JsonType::kBoolean},
  };
  ObjectSchema create{fields};
  create.fields.insert(create.fields.begin(), {.name = "number",
                                               .type = JsonType::kString,
                                               .required = true,
                                               .pattern = "[0-9]{1,15}",
                                               .max_length = 15});
  create.fields[1].required = true;  // name
  create.fields[2].required = true;  // password
  ObjectSchema update{fields};

  router_.add({
      .method = http::verb::get,
      .path = "/api/v1/extensions",
      .permission = Permission::kExtensionsRead,
      .summary = "Extensions (a user sees only their own)",
      .tag = "extensions",
      .response_schema = {{"type", "object"},
                          {"required", {"extensions"}},
                          {"properties",
                           {{"extensions", {{"type", "array"}, {"items", kExtensionSchema}}}}}},
      .handler =
          [this](ApiRequest r, Reply reply) {
            on_worker(
                [this, r] {
                  store::ExtensionRepository repo(db_);
                  auto list = repo.list();
                  if (!list) return store_error(list.error());
                  nlohmann::json out = nlohmann::json::array();
                  for (const auto& e : *list) {
                    if (may_see(r.principal, e.number)) out.push_back(to_json(e));
                  }
                  return json_response(200, nlohmann::json{{"extensions", out}});
                },
                std::move(reply));
          },
  });
  router_.add({
      .method = http::verb::get,
      .path = "/api/v1/extensions/{number}",
      .permission = Permission::kExtensionsRead,
      .summary = "One extension",
      .tag = "extensions",
      .response_schema = kExtensionSchema,
      .handler =
          [this](ApiRequest r, Reply reply) {
            const std::string number = r.path["number"];
            if (!may_see(r.principal, number)) {
              return reply(json_error(403, "forbidden", "not your extension"));
            }
            on_worker(
                [this, number] {
                  store::ExtensionRepository repo(db_);
                  auto e = repo.get(number);
                  if (!e) return store_error(e.error());
                  return json_response(200, to_json(*e));
                },
                std::move(reply));
          },
  });
  auto apply_fields = [this](store::Extension& e, const nlohmann::json& body) {
    if (body.contains("name")) e.name = body["name"];
    if (body.contains("email")) e.email = body["email"];
    if (body.contains("allow_external")) e.allow_external = body["allow_external"];
    if (body.contains("enabled")) e.enabled = body["enabled"];
    if (body.contains("password")) {
      const std::string pw = body["password"];
      e.realm = options_.realm;
      e.ha1_md5 = sip::compute_ha1(sip::DigestAlgorithm::kMd5, e.number, e.realm, pw);
      e.ha1_sha256 = sip::compute_ha1(sip::DigestAlgorithm::kSha256, e.number, e.realm, pw);
    }
  };
  auto changed = [this] {
    boost::asio::post(core_, [this] { core_access_.extensions_changed(); });
  };
  router_.add({
      .method = http::verb::post,
      .path = "/api/v1/extensions",
      .permission = Permission::kExtensionsWrite,
      .summary = "Create an extension; it can register at once",
      .tag = "extensions",
      .body = create,
      .success_status = 201,
      .response_schema = kExtensionSchema,
      .handler =
          [this, apply_fields, changed](ApiRequest r, Reply reply) {
            on_worker(
                [this, r, apply_fields, changed] {
                  store::ExtensionRepository repo(db_);
                  const std::string number = r.body["number"];
                  if (auto existing = repo.get(number); existing) {
                    return json_error(409, "exists", "extension " + number + " exists");
                  }
                  store::Extension e;
                  e.number = number;
                  e.source = store::ExtensionSource::kApi;
                  apply_fields(e, r.body);
                  auto stored = repo.upsert(e);
                  if (!stored) return store_error(stored.error());
                  changed();
                  return json_response(201, to_json(*stored));
                },
                std::move(reply));
          },
  });
  auto modify = [this, apply_fields, changed](ApiRequest r, Reply reply, bool remove) {
    on_worker(
        [this, r, apply_fields, changed, remove] {
          store::ExtensionRepository repo(db_);
          const std::string number = r.path.at("number");
          auto e = repo.get(number);
          if (!e) return store_error(e.error());
          if (e->source != store::ExtensionSource::kApi) {
            return json_error(409, "read_only",
                              "extension " + number + " comes from the " +
                                  store::to_string(e->source) + " and is changed there");
          }
          if (remove) {
            if (auto st = repo.remove(number); !st) return store_error(st.error());
            // Its presence goes with it (a new extension of the number
            // starts afresh).
            if (auto st = store::PresenceRepository(db_).remove(number);
                !st && st.error().code != ErrorCode::kNotFound) {
              log::get("api")->error("removing the presence of {}: {}", number, st.error().message);
            }
            boost::asio::post(core_, [this, number] { presence_.forget(number); });
            changed();
            return text_response(204, "", "text/plain");
          }
          apply_fields(*e, r.body);
          auto stored = repo.upsert(*e);
          if (!stored) return store_error(stored.error());
          changed();
          return json_response(200, to_json(*stored));
        },
        std::move(reply));
  };
  router_.add({
      .method = http::verb::patch,
      .path = "/api/v1/extensions/{number}",
      .permission = Permission::kExtensionsWrite,
      .summary = "Change an API-created extension (fields given are replaced)",
      .tag = "extensions",
      .body = update,
      .response_schema = kExtensionSchema,
      .handler = [modify](ApiRequest r,
                          Reply reply) { modify(std::move(r), std::move(reply), false); },
  });
  router_.add({
      .method = http::verb::delete_,
      .path = "/api/v1/extensions/{number}",
      .permission = Permission::kExtensionsWrite,
      .summary = "Delete an API-created extension; its registrations go",
      .tag = "extensions",
      .success_status = 204,
      .response_schema = nullptr,
      .handler = [modify](ApiRequest r,
                          Reply reply) { modify(std::move(r), std::move(reply), true); },
  });
}

}  // namespace switchboard::api
