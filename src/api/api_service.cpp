#include "api/api_service.hpp"

#include <boost/asio/post.hpp>

#include "api/openapi.hpp"
#include "common/log.hpp"
#include "core/events/event_bus.hpp"
#include "store/audit_repository.hpp"
#include "store/presence_repository.hpp"

namespace switchboard::api {

namespace asio = boost::asio;
namespace http = boost::beast::http;

ApiService::ApiService(ApiOptions options, store::Database& db, asio::any_io_executor core,
                       asio::any_io_executor workers, CoreAccess& core_access,
                       core::EventBus& events)
    : options_(std::move(options)),
      db_(db),
      core_(std::move(core)),
      workers_(std::move(workers)),
      core_access_(core_access),
      events_(events),
      auth_(db, options_.login),
      call_meter_(std::make_shared<CallMeter>()) {
  server_ = std::make_unique<HttpServer>(
      options_.http, [this](const Request& req, const RequestInfo& info, Reply reply) {
        dispatch(req, info, std::move(reply));
      });
  add_routes();
  add_events_endpoint();
  openapi_ = openapi_document(router_, {"Switchboard API", options_.version}).dump();
}

ApiService::~ApiService() {
  stop();
}

Result<uint16_t> ApiService::start() {
  store::PresenceRepository repo(db_);
  auto stored = repo.list();
  if (!stored) {
    return make_error(stored.error().code, "reading presence: " + stored.error().message);
  }
  presence_.load(std::move(*stored));
  follow_presence();
  return server_->start();
}

void ApiService::stop() {
  server_->stop();
  if (presence_subscription_) events_.unsubscribe(presence_subscription_);
  presence_subscription_ = 0;
}

void ApiService::on_core(std::function<Response()> fn, Reply reply) {
  asio::post(core_, [fn = std::move(fn), reply = std::move(reply)] { reply(fn()); });
}

void ApiService::on_worker(std::function<Response()> fn, Reply reply) {
  asio::post(workers_, [fn = std::move(fn), reply = std::move(reply)] {
    Response res = [&] {
      try {
        return fn();
      } catch (const std::exception& e) {
        return handler_failed(e);
      }
    }();
    reply(std::move(res));
  });
}

Response handler_failed(const std::exception& e) {
  log::get("api")->error("handler failed: {}", e.what());
  return json_error(500, "internal", "internal error");
}

Response store_error_response(const Error& e) {
  if (e.code == ErrorCode::kNotFound) return json_error(404, "not_found", e.message);
  if (e.code == ErrorCode::kInvalidArgument) return json_error(400, "invalid", e.message);
  log::get("api")->error("store: {}", e.message);
  return json_error(500, "store_error", "the store failed");
}

void ApiService::publish(core::Event event) {
  asio::post(core_, [this, event = std::move(event)] { events_.publish(event); });
}

void ApiService::audit(const Principal& who, const std::string& source_ip, std::string action,
                       std::string target, nlohmann::json details) {
  store::AuditEntry e;
  e.actor = who.actor.empty() ? "anonymous" : who.actor;
  e.source_ip = source_ip;
  e.action = std::move(action);
  e.target = std::move(target);
  e.details = details.dump();
  asio::post(workers_, [this, e = std::move(e)] {
    store::AuditRepository repo(db_);
    if (auto r = repo.append(e); !r) {
      log::get("api")->error("audit log write failed: {}", r.error().message);
    }
  });
}

void ApiService::dispatch(const Request& req, const RequestInfo& info, Reply reply) {
  std::string_view target = sv(req.target());
  std::string_view path = target.substr(0, target.find('?'));
  std::string_view query_text =
      target.find('?') == std::string_view::npos ? "" : target.substr(target.find('?') + 1);
  RouteMatch m = router_.match(req.method(), path);
  if (!m.route) {
    if (m.method_mismatch)
      return reply(json_error(405, "method_not_allowed", "method not allowed"));
    return reply(json_error(404, "no_route", "no such resource: " + std::string(path)));
  }
  const RouteSpec& route = *m.route;
  ApiRequest ar;
  ar.info = info;
  ar.path = std::move(m.path);

  // Every state-changing request is audited, refused ones included.
  const bool changes_state =
      req.method() != http::verb::get && route.permission != Permission::kPublic;
  auto audited_who = std::make_shared<Principal>();  // filled in once known
  if (changes_state) {
    reply = [this, reply = std::move(reply), who = audited_who, ip = info.remote_ip,
             action = std::string(http::to_string(req.method())) + " " + route.path,
             target = std::string(path)](Response res) {
      audit(*who, ip, action, target, {{"status", res.result_int()}});
      reply(std::move(res));
    };
  }
  if (route.permission != Permission::kPublic) {
    auto who = auth_.identify(req);
    if (!who) {
      auto res = json_error(401, "unauthorized", "missing or invalid credentials");
      res.set(http::field::www_authenticate, "Bearer");
      return reply(std::move(res));
    }
    ar.principal = std::move(*who);
    *audited_who = ar.principal;
    if (!allowed(ar.principal.role, route.permission)) {
      return reply(json_error(403, "forbidden",
                              std::string("role ") + to_string(ar.principal.role) + " may not " +
                                  to_string(route.permission)));
    }
  }
  auto query = parse_query(query_text);
  if (!query) return reply(json_error(400, "bad_query", "malformed query string"));
  if (auto err = validate_query(route.query, *query)) {
    return reply(json_error(400, "validation_failed", err->field + ": " + err->reason,
                            {{"field", err->field}, {"reason", err->reason}}));
  }
  ar.query = std::move(*query);
  if (route.body) {
    const std::string_view ct = sv(req[http::field::content_type]);
    if (ct.substr(0, 16) != "application/json") {
      return reply(json_error(415, "unsupported_media_type", "expected application/json"));
    }
    ar.body = nlohmann::json::parse(req.body(), nullptr, false);
    if (ar.body.is_discarded()) {
      return reply(json_error(400, "invalid_json", "the body is not valid JSON"));
    }
    if (auto err = validate(*route.body, ar.body)) {
      return reply(json_error(400, "validation_failed",
                              (err->field.empty() ? "body" : err->field) + ": " + err->reason,
                              {{"field", err->field}, {"reason", err->reason}}));
    }
  } else if (!req.body().empty()) {
    return reply(json_error(400, "unexpected_body", "this endpoint takes no body"));
  }
  ar.http = std::make_shared<const Request>(req);
  route.handler(std::move(ar), std::move(reply));
}

void ApiService::add_routes() {
  router_.add({.method = http::verb::get,
               .path = "/health",
               .permission = Permission::kPublic,
               .summary = "Liveness: the API thread answers",
               .tag = "system",
               .response_schema = {{"type", "object"},
                                   {"required", {"status"}},
                                   {"properties", {{"status", {{"type", "string"}}}}}},
               .handler = [](ApiRequest, Reply reply) {
                 reply(json_response(200, nlohmann::json{{"status", "ok"}}));
               }});
  router_.add(
      {.method = http::verb::get,
       .path = "/api/v1/openapi.json",
       .permission = Permission::kPublic,
       .summary = "This API's OpenAPI 3 document, generated from the route table",
       .tag = "system",
       .response_schema = {{"type", "object"}, {"required", {"openapi", "paths"}}},
       .handler = [this](ApiRequest, Reply reply) { reply(json_response(200, openapi_)); }});
  add_auth_routes();
  add_core_routes();
  add_call_control_routes();
  add_recording_routes();
  add_transfer_routes();
  add_consult_routes();
  add_lockout_routes();
  add_extension_routes();
  add_report_routes();
  add_voicemail_routes();
  add_presence_routes();
  add_queue_routes();
}

}  // namespace switchboard::api
