// Core state, read on the core thread: status, registrations, active calls,
// configuration, Prometheus metrics.
#include "api/api_service.hpp"
#include "core/events/event_bus.hpp"
#include "store/extension_repository.hpp"
#include "store/voicemail_repository.hpp"

namespace switchboard::api {

namespace http = boost::beast::http;

namespace {

nlohmann::json object_schema(std::initializer_list<const char*> required) {
  nlohmann::json req = nlohmann::json::array();
  for (const char* r : required) req.push_back(r);
  return {{"type", "object"}, {"required", req}};
}

nlohmann::json list_schema(const char* key, nlohmann::json item) {
  return {{"type", "object"},
          {"required", {key}},
          {"properties", {{key, {{"type", "array"}, {"items", std::move(item)}}}}}};
}

/// Messages in the mailboxes of every extension, by folder (store; worker pool).
Result<std::vector<MetricSample>> voicemail_metrics(store::Database& db) {
  auto exts = store::ExtensionRepository(db).list();
  if (!exts) return exts.error();
  store::VoicemailRepository repo(db);
  std::int64_t fresh = 0, saved = 0;
  for (const auto& e : *exts) {
    auto c = repo.counts(e.number);
    if (!c) return c.error();
    fresh += c->new_messages;
    saved += c->saved_messages;
  }
  const char* help = "Voicemail messages in the mailboxes, by folder.";
  return std::vector<MetricSample>{{"switchboard_voicemail_messages",
                                    MetricKind::kGauge,
                                    help,
                                    static_cast<double>(fresh),
                                    {{"folder", "new"}}},
                                   {"switchboard_voicemail_messages",
                                    MetricKind::kGauge,
                                    help,
                                    static_cast<double>(saved),
                                    {{"folder", "saved"}}}};
}

std::vector<MetricSample> call_metrics(CallMeter& m) {
  return {{"switchboard_calls_per_second",
           MetricKind::kGauge,
           "Calls started per second over the last minute.",
           m.calls_per_second(),
           {}},
          {"switchboard_rtp_packets_total",
           MetricKind::kCounter,
           "RTP packets relayed in finished calls (both directions).",
           static_cast<double>(m.rtp_packets()),
           {}},
          {"switchboard_rtp_packets_lost_total",
           MetricKind::kCounter,
           "RTP packets lost in finished calls (RFC 3550 expected - received).",
           static_cast<double>(m.rtp_packets_lost()),
           {}}};
}

/// A user may narrow to their own extension only; others to any.
std::optional<std::string> narrowed(const ApiRequest& r) {
  if (auto scope = r.principal.scope()) return scope;
  auto it = r.query.find("extension");
  if (it != r.query.end()) return it->second;
  return std::nullopt;
}

}  // namespace

void ApiService::add_core_routes() {
  const QueryParam ext_param{"extension", JsonType::kString,
                             "only this extension (users always see only their own)"};
  router_.add({
      .method = http::verb::get,
      .path = "/api/v1/status",
      .permission = Permission::kStatusRead,
      .summary = "Version, uptime, listeners and core counters",
      .tag = "system",
      .response_schema = {{"type", "object"},
                          {"required", {"name", "version", "uptime_seconds"}},
                          {"properties",
                           {{"name", {{"type", "string"}}},
                            {"version", {{"type", "string"}}},
                            {"uptime_seconds", {{"type", "integer"}}},
                            {"sip", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}},
      .handler =
          [this](ApiRequest, Reply reply) {
            on_core([this] { return json_response(200, core_access_.status()); }, std::move(reply));
          },
  });
  router_.add({
      .method = http::verb::get,
      .path = "/api/v1/registrations",
      .permission = Permission::kRegistrationsRead,
      .summary = "Registered contacts",
      .tag = "registrations",
      .query = {ext_param},
      .response_schema = list_schema(
          "registrations", {{"type", "object"},
                            {"required", {"extension", "contact", "transport", "expires_in"}},
                            {"properties",
                             {{"extension", {{"type", "string"}}},
                              {"contact", {{"type", "string"}}},
                              {"transport", {{"type", "string"}}},
                              {"expires_in", {{"type", "integer"}}}}}}),
      .handler =
          [this](ApiRequest r, Reply reply) {
            on_core(
                [this, ext = narrowed(r)] {
                  return json_response(
                      200, nlohmann::json{{"registrations", core_access_.registrations(ext)}});
                },
                std::move(reply));
          },
  });
  router_.add({
      .method = http::verb::get,
      .path = "/api/v1/calls",
      .permission = Permission::kCallsRead,
      .summary = "Active calls with their legs and state",
      .tag = "calls",
      .query = {ext_param},
      .response_schema = list_schema(
          "calls",
          {{"type", "object"},
           {"required", {"call_id", "state", "caller", "callee", "start", "legs"}},
           {"properties",
            {{"call_id", {{"type", "string"}}},
             {"state", {{"type", "string"}, {"enum", {"ringing", "answered", "held"}}}},
             {"caller", {{"type", "string"}}},
             {"callee", {{"type", "string"}}},
             {"start", {{"type", "string"}}},
             {"legs", {{"type", "array"}, {"items", object_schema({"party", "extension"})}}}}}}),
      .handler =
          [this](ApiRequest r, Reply reply) {
            on_core(
                [this, ext = narrowed(r)] {
                  return json_response(200, nlohmann::json{{"calls", core_access_.calls(ext)}});
                },
                std::move(reply));
          },
  });
  router_.add({
      .method = http::verb::delete_,
      .path = "/api/v1/calls/{call_id}",
      .permission = Permission::kCallsControl,
      .summary = "Hang up an active call (ringing: the caller gets 480; answered: BYE both legs)",
      .tag = "calls",
      .success_status = 204,
      .response_schema = nullptr,
      .handler =
          [this](ApiRequest r, Reply reply) {
            on_core(
                [this, id = r.path.at("call_id")] {
                  if (!core_access_.hangup(id)) {
                    return json_error(404, "not_found", "no active call " + id);
                  }
                  return text_response(204, "", "text/plain");
                },
                std::move(reply));
          },
  });
  router_.add({
      .method = http::verb::get,
      .path = "/api/v1/config",
      .permission = Permission::kConfigRead,
      .summary = "The running configuration, secrets redacted",
      .tag = "system",
      .response_schema = object_schema({"server", "api", "extensions"}),
      .handler =
          [this](ApiRequest, Reply reply) {
            on_core([this] { return json_response(200, core_access_.config()); }, std::move(reply));
          },
  });
  router_.add({
      .method = http::verb::get,
      .path = "/metrics",
      .permission = Permission::kMetricsRead,
      .summary = "Prometheus text exposition",
      .tag = "system",
      .response_schema = {{"type", "string"}},
      .content_type = "text/plain; version=0.0.4",
      .handler =
          [this](ApiRequest, Reply reply) {
            // The store's figures on the worker pool, then the core's.
            on_worker_then_core<std::vector<MetricSample>>(
                [this] { return voicemail_metrics(db_); },
                [this](std::vector<MetricSample> store_samples) {
                  auto samples = core_access_.metrics();
                  const auto a = auth_.stats();
                  samples.push_back({"switchboard_api_login_failures_total",
                                     MetricKind::kCounter,
                                     "Failed API logins.",
                                     static_cast<double>(a.login_failures),
                                     {}});
                  samples.push_back({"switchboard_api_lockouts_total",
                                     MetricKind::kCounter,
                                     "API login lockouts.",
                                     static_cast<double>(a.lockouts),
                                     {}});
                  samples.push_back({"switchboard_api_rejected_credentials_total",
                                     MetricKind::kCounter,
                                     "Requests with a bad token or cookie.",
                                     static_cast<double>(a.rejected_credentials),
                                     {}});
                  samples.push_back({"switchboard_event_subscribers",
                                     MetricKind::kGauge,
                                     "WebSocket clients subscribed to events.",
                                     static_cast<double>(ws_subscribed_->load()),
                                     {}});
                  samples.push_back({"switchboard_event_subscribers_dropped_total",
                                     MetricKind::kCounter,
                                     "Slow event subscribers dropped.",
                                     static_cast<double>(events_.dropped()),
                                     {}});
                  samples.push_back({"switchboard_events_published_total",
                                     MetricKind::kCounter,
                                     "Events published on the event bus.",
                                     static_cast<double>(events_.published()),
                                     {}});
                  for (auto& s : call_metrics(*call_meter_)) samples.push_back(std::move(s));
                  for (auto& s : store_samples) samples.push_back(std::move(s));
                  for (auto& s : process_metrics()) samples.push_back(std::move(s));
                  return text_response(200, to_prometheus(samples), "text/plain; version=0.0.4");
                },
                std::move(reply));
          },
  });
}

}  // namespace switchboard::api
