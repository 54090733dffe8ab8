// POST /api/v1/auth/login, POST /api/v1/auth/logout, GET /api/v1/auth/me.
#include "api/api_service.hpp"

namespace switchboard::api {

namespace http = boost::beast::http;

namespace {

nlohmann::json principal_json(const Principal& p) {
  return {{"actor", p.actor},
          {"role", to_string(p.role)},
          {"extension", p.extension ? nlohmann::json(*p.extension) : nlohmann::json(nullptr)}};
}

const nlohmann::json kPrincipalSchema = {
    {"type", "object"},
    {"required", {"actor", "role", "extension"}},
    {"properties",
     {{"actor", {{"type", "string"}}},
      {"role", {{"type", "string"}, {"enum", {"admin", "operator", "user"}}}},
      {"extension", {{"type", "string"}, {"nullable", true}}}}}};

}  // namespace

void ApiService::add_auth_routes() {
  ObjectSchema login_body{{
      {.name = "extension",
       .type = JsonType::kString,
       .required = true,
       .pattern = "[0-9]{1,15}",
       .max_length = 15,
       .description = "the user's extension"},
      {.name = "password", .type = JsonType::kString, .required = true, .max_length = 256},
  }};
  router_.add({
      .method = http::verb::post,
      .path = "/api/v1/auth/login",
      .permission = Permission::kPublic,
      .summary = "Log in with extension and password: a session cookie (HttpOnly, "
                 "SameSite=Strict, Secure over HTTPS) and the same token for Bearer use",
      .tag = "auth",
      .body = login_body,
      .response_schema = {{"type", "object"},
                          {"required", {"token", "role", "expires_in"}},
                          {"properties",
                           {{"token", {{"type", "string"}}},
                            {"role", {{"type", "string"}}},
                            {"extension", {{"type", "string"}, {"nullable", true}}},
                            {"expires_in", {{"type", "integer"}}}}}},
      .handler =
          [this](ApiRequest r, Reply reply) {
            on_worker(
                [this, r] {
                  const std::string ext = r.body["extension"];
                  auto result = auth_.login(ext, r.body["password"], r.info.remote_ip);
                  Principal who{"ext:" + ext, Role::kUser, ext};
                  if (result.outcome == LoginOutcome::kLockedOut) {
                    audit(who, r.info.remote_ip, "auth.login", ext, {{"result", "locked_out"}});
                    auto res = json_error(429, "locked_out", "too many failed logins",
                                          {{"retry_after", result.retry_after}});
                    res.set(http::field::retry_after, std::to_string(result.retry_after));
                    return res;
                  }
                  if (result.outcome != LoginOutcome::kOk) {
                    audit(who, r.info.remote_ip, "auth.login", ext, {{"result", "failed"}});
                    return json_error(401, "bad_credentials", "wrong extension or password");
                  }
                  audit(result.principal, r.info.remote_ip, "auth.login", ext, {{"result", "ok"}});
                  const auto ttl = options_.login.session_ttl.count();
                  auto res = json_response(
                      200,
                      nlohmann::json{{"token", result.token},
                                     {"role", to_string(result.principal.role)},
                                     {"extension", principal_json(result.principal)["extension"]},
                                     {"expires_in", ttl}});
                  std::string cookie =
                      std::string(Authenticator::kCookie) + "=" + result.token +
                      "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(ttl);
                  if (r.info.tls) cookie += "; Secure";
                  res.set(http::field::set_cookie, cookie);
                  return res;
                },
                std::move(reply));
          },
  });
  router_.add({
      .method = http::verb::post,
      .path = "/api/v1/auth/logout",
      .permission = Permission::kStatusRead,
      .summary = "End this login session and clear its cookie",
      .tag = "auth",
      .success_status = 204,
      .response_schema = nullptr,
      .handler =
          [this](ApiRequest r, Reply reply) {
            auth_.logout(*r.http);
            auto res = text_response(204, "", "text/plain");
            res.set(http::field::set_cookie, std::string(Authenticator::kCookie) +
                                                 "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
            reply(std::move(res));
          },
  });
  router_.add({
      .method = http::verb::get,
      .path = "/api/v1/auth/me",
      .permission = Permission::kStatusRead,
      .summary = "Who the credentials belong to",
      .tag = "auth",
      .response_schema = kPrincipalSchema,
      .handler = [](ApiRequest r,
                    Reply reply) { reply(json_response(200, principal_json(r.principal))); },
  });
}

}  // namespace switchboard::api
