// Voicemail login lockouts (issue 8 §4): operators and admins list the
// mailboxes and source addresses locked out after failed PIN logins and
// clear them.
#include "api/api_service.hpp"
#include "store/mailbox_repository.hpp"

namespace switchboard::api {

namespace http = boost::beast::http;

void ApiService::add_lockout_routes() {
  nlohmann::json item = {{"type", "object"},
                         {"required", {"scope", "subject", "failures", "locked_until"}}};
  nlohmann::json schema = {{"type", "object"},
                           {"required", {"lockouts"}},
                           {"properties", {{"lockouts", {{"type", "array"}, {"items", item}}}}}};
  router_.add({
      .method = http::verb::get,
      .path = "/api/v1/voicemail-lockouts",
      .permission = Permission::kVoicemailAdmin,
      .summary = "Mailboxes and source addresses locked out after failed PIN logins",
      .tag = "voicemail",
      .response_schema = schema,
      .handler =
          [this](ApiRequest, Reply reply) {
            on_worker(
                [this] {
                  auto locked = store::MailboxRepository(db_).locked(store::system_now());
                  if (!locked) return store_error_response(locked.error());
                  nlohmann::json out = nlohmann::json::array();
                  for (const auto& l : *locked) {
                    out.push_back({{"scope", store::to_string(l.scope)},
                                   {"subject", l.subject},
                                   {"failures", l.failures},
                                   {"locked_until", store::to_iso(*l.locked_until)}});
                  }
                  return json_response(200, nlohmann::json{{"lockouts", out}});
                },
                std::move(reply));
          },
  });
  router_.add({
      .method = http::verb::delete_,
      .path = "/api/v1/voicemail-lockouts/{scope}/{subject}",
      .permission = Permission::kVoicemailAdmin,
      .summary = "Clear a lockout (scope: mailbox or source) and its failure count",
      .tag = "voicemail",
      .success_status = 204,
      .response_schema = nullptr,
      .handler =
          [this](ApiRequest r, Reply reply) {
            const std::string scope = r.path.at("scope");
            if (scope != "mailbox" && scope != "source") {
              return reply(json_error(400, "invalid", "scope is mailbox or source"));
            }
            on_worker(
                [this, scope, subject = r.path.at("subject")] {
                  auto cleared = store::MailboxRepository(db_).clear(
                      scope == "mailbox" ? store::LockScope::kMailbox : store::LockScope::kSource,
                      subject);
                  if (!cleared) return store_error_response(cleared.error());
                  if (!*cleared) {
                    return json_error(404, "not_found", "no failed logins for " + subject);
                  }
                  return text_response(204, "", "text/plain");
                },
                std::move(reply));
          },
  });
}

}  // namespace switchboard::api
