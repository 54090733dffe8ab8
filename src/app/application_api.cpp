// The application as the API's view of the core (api::CoreAccess): every
// method runs on the core thread (the API posts into core_), so it reads
// registrar and call state directly.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "api/api_service.hpp"
#include "app/application.hpp"
#include "app/version.hpp"
#include "common/log.hpp"
#include "core/call/b2bua.hpp"
#include "core/call/call_events.hpp"
#include "core/events/adapters.hpp"
#include "core/events/event_bus.hpp"
#include "core/registrar/registrar.hpp"
#include "core/security/access_guard.hpp"
#include "core/security/request_authenticator.hpp"
#include "core/sip_endpoint.hpp"
#include "features/cdr/cdr_writer.hpp"
#include "media/rtp/media_engine.hpp"
#include "store/url.hpp"

namespace switchboard::app {

namespace asio = boost::asio;

namespace {
constexpr const char* kRedacted = "********";
}

bool Application::start_api() {
  const auto& cfg = *config_;
  api::ApiOptions o;
  o.http.host = cfg.api.host;
  o.http.port = static_cast<uint16_t>(cfg.api.port);
  o.http.tls_cert_file = cfg.api.tls_cert_file;
  o.http.tls_key_file = cfg.api.tls_key_file;
  o.http.enable_cors = cfg.api.enable_cors;
  o.http.cors_origins = cfg.api.cors_origins;
  o.version = kVersion;
  o.realm = cfg.server.effective_sip_domain();
  o.voicemail_dir = cfg.voicemail.storage_path;
  api_ = std::make_unique<api::ApiService>(std::move(o), *db_, core_.get_executor(),
                                           workers_.get_executor(), *this, *events_);
  if (call_events_) {
    // Calls per second and RTP totals for /metrics (core thread).
    call_events_->subscribe([meter = api_->call_meter()](const core::CallEvent& e) {
      if (e.kind == core::CallEventKind::kStarted) meter->call_started();
      if (e.kind == core::CallEventKind::kEnded) {
        const auto& q = e.call.quality;
        meter->call_ended(q.packets_from_a, q.packets_from_b, q.packets_lost);
      }
    });
  }
  if (parked_view_) api_->set_parked_calls(parked_view_.get());
  auto port = api_->start();
  if (!port.ok()) {
    log::get("app")->error("{}", port.error().message);
    return false;
  }
  return true;
}

std::vector<store::Extension> Application::load_api_extensions() {
  std::vector<store::Extension> out;
  store::ExtensionRepository repo(*db_);
  auto list = repo.list();
  if (!list) {
    log::get("store")->error("reading extensions: {}", list.error().message);
    return out;
  }
  for (auto& e : *list) {
    if (e.source == store::ExtensionSource::kApi) out.push_back(std::move(e));
  }
  return out;
}

void Application::extensions_changed() {
  // Read on the worker pool, apply on the core thread.
  asio::post(workers_, [this] {
    auto list = load_api_extensions();
    asio::post(core_, [this, list = std::move(list)]() mutable {
      api_extensions_ = std::move(list);
      credentials_ = build_credentials(*config_);
      if (authenticator_) authenticator_->set_credentials(credentials_);
      // Registrations of extensions that no longer exist go.
      std::vector<std::pair<std::string, std::string>> gone;
      registrar_->for_each([&](const core::Binding& b) {
        if (!credentials_->contains(b.aor)) gone.emplace_back(b.aor, b.key);
      });
      for (const auto& [aor, key] : gone) registrar_->remove(aor, key);
      log::get("app")->info("extensions applied: {} from the API", api_extensions_.size());
    });
  });
}

nlohmann::json Application::status() {
  return nlohmann::json::parse(status_json());
}

nlohmann::json Application::registrations(const std::optional<std::string>& extension) {
  nlohmann::json list = nlohmann::json::array();
  if (!registrar_) return list;
  const auto now = store::system_now();
  registrar_->for_each([&](const core::Binding& b) {
    if (extension && b.aor != *extension) return;
    list.push_back(
        {{"extension", b.aor},
         {"contact", b.contact},
         {"instance", b.instance},
         {"reg_id", b.reg_id},
         {"transport", sip::to_string(b.protocol)},
         {"source", fmt::format("{}:{}", b.source_ip.to_string(), b.source_port)},
         {"path", b.path},
         {"user_agent", b.user_agent},
         {"state", core::to_string(b.state)},
         {"expires_in",
          std::chrono::duration_cast<std::chrono::seconds>(b.expires_at - now).count()}});
  });
  return list;
}

nlohmann::json Application::calls(const std::optional<std::string>& extension) {
  nlohmann::json list = nlohmann::json::array();
  if (!call_tracker_) return list;
  for (const auto& [id, c] : call_tracker_->active()) {
    const auto& r = c.record;
    if (extension && r.caller != *extension && r.callee != *extension) continue;
    nlohmann::json j = {
        {"call_id", id},
        {"state", c.state},
        {"caller", r.caller},
        {"caller_name", r.caller_name},
        {"callee", r.callee},
        {"dialed", r.dialed},
        {"start", store::to_iso(r.start)},
        {"legs",
         {{{"party", "caller"}, {"extension", r.caller}, {"user_agent", r.caller_user_agent}},
          {{"party", "callee"}, {"extension", r.callee}, {"user_agent", r.callee_user_agent}}}}};
    if (r.answer) j["answer"] = store::to_iso(*r.answer);
    if (!r.codec.empty()) j["codec"] = r.codec;
    list.push_back(std::move(j));
  }
  return list;
}

bool Application::hangup(const std::string& call_id) {
  return b2bua_ && b2bua_->hang_up(call_id, "api hangup");
}

Result<std::string> Application::originate(const std::string& from, const std::string& to) {
  if (!b2bua_) return make_error(ErrorCode::kUnavailable, "calls are not running");
  return b2bua_->originate(from, to);
}

Status Application::hold(const std::string& call_id, const std::string& party) {
  if (!b2bua_) return make_error(ErrorCode::kUnavailable, "calls are not running");
  return b2bua_->hold(call_id, party == "caller" ? core::MediaSide::kA : core::MediaSide::kB);
}

Status Application::resume(const std::string& call_id) {
  if (!b2bua_) return make_error(ErrorCode::kUnavailable, "calls are not running");
  return b2bua_->resume(call_id);
}

Status Application::transfer(const std::string& call_id, const std::string& party,
                             const std::string& target,
                             const std::optional<std::string>& extension) {
  if (!b2bua_) return make_error(ErrorCode::kUnavailable, "calls are not running");
  if (!call_visible(call_id, extension)) {
    return make_error(ErrorCode::kNotFound, "no active call " + call_id);
  }
  return b2bua_->transfer(call_id, party == "callee" ? core::MediaSide::kB : core::MediaSide::kA,
                          target);
}

Status Application::consultation(const std::string& call_id, const std::string& action,
                                 const std::string& party, const std::string& target,
                                 const std::optional<std::string>& extension) {
  if (!b2bua_) return make_error(ErrorCode::kUnavailable, "calls are not running");
  if (!call_visible(call_id, extension)) {
    return make_error(ErrorCode::kNotFound, "no active call " + call_id);
  }
  if (action == "start") {
    // `party` waits; the other one consults.
    const auto consults = party == "callee" ? core::MediaSide::kA : core::MediaSide::kB;
    return b2bua_->consult(call_id, consults, target);
  }
  if (action == "complete") return b2bua_->complete_consultation(call_id);
  if (action == "cancel") return b2bua_->cancel_consultation(call_id);
  if (action == "merge") return b2bua_->merge_three_way(call_id);
  return make_error(ErrorCode::kInvalidArgument, "unknown consultation action " + action);
}

nlohmann::json Application::config() {
  const auto& c = *config_;
  nlohmann::json exts = nlohmann::json::array();
  for (const auto& e : c.extensions) {
    exts.push_back({{"number", e.number},
                    {"name", e.name},
                    {"email", e.email},
                    {"allow_external", e.allow_external},
                    {"record", e.record},
                    {"password", kRedacted},
                    {"voicemail_pin", e.voicemail_pin.empty() ? "" : kRedacted}});
  }
  nlohmann::json trunks = nlohmann::json::array();
  for (const auto& t : c.trunks) {
    trunks.push_back({{"name", t.name},
                      {"host", t.host},
                      {"port", t.port},
                      {"transport", t.transport},
                      {"username", t.username},
                      {"password", t.password.empty() ? "" : kRedacted}});
  }
  nlohmann::json queues = nlohmann::json::array();
  for (const auto& q : c.queues) {
    queues.push_back({{"number", q.number},
                      {"name", q.name},
                      {"strategy", q.strategy},
                      {"max_wait_time", q.max_wait_time},
                      {"agents", q.agents}});
  }
  const auto& s = c.security;
  return {
      {"server",
       {{"sip_host", c.server.sip_host},
        {"sip_port", c.server.sip_port},
        {"external_ip", c.server.external_ip},
        {"rtp_port_range_start", c.server.rtp_port_range_start},
        {"rtp_port_range_end", c.server.rtp_port_range_end},
        {"server_name", c.server.server_name},
        {"sip_domain", c.server.effective_sip_domain()}}},
      {"api",
       {{"host", c.api.host},
        {"port", c.api.port},
        {"enable_cors", c.api.enable_cors},
        {"cors_origins", c.api.cors_origins},
        {"tls", !c.api.tls_cert_file.empty()}}},
      {"extensions", exts},
      {"dialplan",
       {{"internal_pattern", c.dialplan.internal_pattern},
        {"conference_pattern", c.dialplan.conference_pattern},
        {"voicemail_pattern", c.dialplan.voicemail_pattern},
        {"parking_pattern", c.dialplan.parking_pattern},
        {"queue_pattern", c.dialplan.queue_pattern},
        {"external_pattern", c.dialplan.external_pattern}}},
      {"security",
       {{"require_authentication", s.require_authentication},
        {"max_failed_attempts", s.max_failed_attempts},
        {"ban_duration", s.ban_duration},
        {"enable_tls", s.enable_tls},
        {"ip_allow_list", s.ip_allow_list},
        {"digest_algorithms", s.digest_algorithms},
        {"failure_window", s.failure_window},
        {"rate_limit_per_second", s.rate_limit_per_second}}},
      {"registrar",
       {{"min_expires", c.registrar.min_expires},
        {"max_expires", c.registrar.max_expires},
        {"default_expires", c.registrar.default_expires},
        {"max_contacts", c.registrar.max_contacts}}},
      {"voicemail",
       {{"no_answer_timeout", c.voicemail.no_answer_timeout},
        {"smtp",
         {{"host", c.voicemail.smtp.host},
          {"port", c.voicemail.smtp.port},
          {"username", c.voicemail.smtp.username},
          {"password", c.voicemail.smtp.password.empty() ? "" : kRedacted}}}}},
      {"queues", queues},
      {"parking",
       {{"range_start", c.parking.range_start},
        {"range_end", c.parking.range_end},
        {"timeout", c.parking.timeout}}},
      {"recording",
       {{"auto_record", c.recording.auto_record},
        {"storage_path", c.recording.storage_path},
        {"format", c.recording.format},
        {"stereo", c.recording.stereo}}},
      {"trunks", trunks},
      {"database",
       {{"url", c.database.url.empty() ? "" : store::redact_url(c.database.url.reveal())},
        {"path", c.database.path}}},
      {"logging", {{"level", c.logging.level}, {"file", c.logging.file}, {"json", c.logging.json}}},
  };
}

std::vector<api::MetricSample> Application::metrics() {
  using api::MetricKind;
  std::vector<api::MetricSample> m;
  auto add = [&m](const char* name, MetricKind kind, const char* help, double v,
                  std::map<std::string, std::string> labels = {}) {
    m.push_back({name, kind, help, v, std::move(labels)});
  };
  if (registrar_) {
    add("switchboard_registrations", MetricKind::kGauge, "Registered contacts.",
        static_cast<double>(registrar_->binding_count()));
    add("switchboard_registered_extensions", MetricKind::kGauge, "Extensions with a contact.",
        static_cast<double>(registrar_->aor_count()));
    add("switchboard_register_requests_total", MetricKind::kCounter, "REGISTER requests handled.",
        static_cast<double>(registrar_->stats().registers));
  }
  if (b2bua_) {
    add("switchboard_active_calls", MetricKind::kGauge, "Calls in progress.",
        static_cast<double>(b2bua_->active_calls()));
    add("switchboard_calls_started_total", MetricKind::kCounter, "Calls started.",
        static_cast<double>(b2bua_->stats().calls));
  }
  if (call_tracker_) {
    for (const char* outcome : {"answered", "no_answer", "busy", "failed", "cancelled"}) {
      auto it = call_tracker_->ended_by_outcome().find(outcome);
      add("switchboard_calls_total", MetricKind::kCounter, "Finished calls by disposition.",
          it == call_tracker_->ended_by_outcome().end() ? 0.0 : static_cast<double>(it->second),
          {{"disposition", outcome}});
    }
  }
  if (media_engine_) {
    add("switchboard_media_sessions", MetricKind::kGauge, "Open RTP relay sessions.",
        static_cast<double>(media_engine_->open_sessions()));
  }
  if (guard_) {
    const auto& st = guard_->stats();
    add("switchboard_sip_auth_failures_total", MetricKind::kCounter,
        "SIP digest authentication failures.", static_cast<double>(st.auth_failures));
    add("switchboard_sip_bans_total", MetricKind::kCounter, "Sources banned.",
        static_cast<double>(st.bans));
    add("switchboard_sip_active_bans", MetricKind::kGauge, "Sources banned now.",
        static_cast<double>(st.active_bans));
    add("switchboard_sip_dropped_total", MetricKind::kCounter, "SIP packets dropped.",
        static_cast<double>(st.dropped_banned), {{"reason", "banned"}});
    add("switchboard_sip_dropped_total", MetricKind::kCounter, "SIP packets dropped.",
        static_cast<double>(st.dropped_rate_limited), {{"reason", "rate_limited"}});
  }
  if (sip_) {
    const auto& layer = sip_->transactions();
    const auto& t = layer.stats();
    add("switchboard_sip_transactions", MetricKind::kGauge, "SIP transactions in progress.",
        static_cast<double>(layer.server_count()), {{"kind", "server"}});
    add("switchboard_sip_transactions", MetricKind::kGauge, "SIP transactions in progress.",
        static_cast<double>(layer.client_count()), {{"kind", "client"}});
    add("switchboard_sip_messages_total", MetricKind::kCounter, "SIP messages received.",
        static_cast<double>(t.requests_in), {{"kind", "request"}});
    add("switchboard_sip_messages_total", MetricKind::kCounter, "SIP messages received.",
        static_cast<double>(t.responses_in), {{"kind", "response"}});
    add("switchboard_sip_retransmissions_absorbed_total", MetricKind::kCounter,
        "Retransmitted SIP messages absorbed by their transaction.",
        static_cast<double>(t.retransmissions_absorbed));
    add("switchboard_sip_parse_errors_total", MetricKind::kCounter,
        "SIP messages that did not parse.", static_cast<double>(t.parse_errors));
  }
  {
    const auto& c = *config_;
    add("switchboard_queues", MetricKind::kGauge, "Configured call queues.",
        static_cast<double>(c.queues.size()));
    for (const auto& q : c.queues) {
      size_t registered = 0;
      for (const auto& a : q.agents) {
        if (registrar_ && !registrar_->lookup(a).empty()) ++registered;
      }
      add("switchboard_queue_agents", MetricKind::kGauge, "Agents of a queue.",
          static_cast<double>(q.agents.size()), {{"queue", q.number}, {"state", "configured"}});
      add("switchboard_queue_agents", MetricKind::kGauge, "Agents of a queue.",
          static_cast<double>(registered), {{"queue", q.number}, {"state", "registered"}});
    }
  }
  add("switchboard_uptime_seconds", MetricKind::kGauge, "Seconds since start.",
      static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::steady_clock::now() - started_)
                              .count()));
  return m;
}

}  // namespace switchboard::app
