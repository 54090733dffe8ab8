#include "app/application.hpp"

#include <csignal>

#include <boost/asio/post.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/http_server.hpp"
#include "app/config/loader.hpp"
#include "app/logging_setup.hpp"
#include "app/version.hpp"
#include "core/sip_endpoint.hpp"
#include "common/log.hpp"
#include "store/database.hpp"
#include "store/extension_repository.hpp"
#include "store/migrations.hpp"
#include "store/url.hpp"

namespace switchboard::app {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

store::DatabaseOptions database_options(const config::DatabaseConfig& db) {
  store::DatabaseOptions o;
  o.url = db.url.reveal();  // empty: SQLite at path
  o.path = db.path;
  return o;
}

std::string describe_store(const config::DatabaseConfig& db) {
  if (db.url.empty()) return "sqlite " + db.path;
  return store::redact_url(db.url.reveal());  // never print credentials
}

}  // namespace

Application::Application(std::string config_path, config::Config config)
    : config_path_(std::move(config_path)),
      config_(std::make_shared<const config::Config>(std::move(config))),
      signals_(core_, SIGINT, SIGTERM, SIGHUP) {}

Application::~Application() = default;

int Application::run() {
  started_ = std::chrono::steady_clock::now();
  if (!start_services()) {
    shutdown();
    return 1;
  }
  wait_for_signals();
  core_.run();  // the core thread; returns after shutdown() stops it
  log::get("app")->info("stopped");
  log::flush_all();
  return 0;
}

bool Application::start_services() {
  auto logger = log::get("app");
  const auto& cfg = *config_;

  auto db = store::open_database(database_options(cfg.database));
  if (!db.ok()) {
    logger->error("cannot open the store ({}): {}", describe_store(cfg.database),
                  db.error().message);
    return false;
  }
  db_ = std::move(db.value());
  auto applied = store::migrate(*db_);
  if (!applied.ok()) {
    logger->error("database migration failed: {}", applied.error().message);
    return false;
  }
  if (applied.value() > 0) logger->info("store: applied {} migration(s)", applied.value());
  // Before the core loop runs, so the API never shows a stale list.
  if (auto st = sync_extensions_blocking(cfg); !st.ok()) {
    logger->error("extension sync failed: {}", st.error().message);
    return false;
  }

  if (!start_sip()) return false;

  api::HttpServerOptions http_opts;
  http_opts.host = cfg.api.host;
  http_opts.port = static_cast<uint16_t>(cfg.api.port);
  http_ = std::make_unique<api::HttpServer>(http_opts);
  http_->route(http::verb::get, "/health", [](const api::Request&, api::Reply reply) {
    reply(api::json_response(200, R"({"status":"ok"})"));
  });
  http_->route(http::verb::get, "/api/v1/status", [this](const api::Request&, api::Reply reply) {
    // State belongs to the core thread: read it there, reply from there.
    asio::post(core_, [this, reply = std::move(reply)] {
      reply(api::json_response(200, status_json()));
    });
  });
  auto port = http_->start();
  if (!port.ok()) {
    logger->error("{}", port.error().message);
    return false;
  }

  logger->info("Switchboard {} started: {} extension(s), store {}", kVersion,
               cfg.extensions.size(), describe_store(cfg.database));
  for (const auto& l : sip_->listening()) logger->info("SIP listening on {}", l);
  logger->info("HTTP API listening on http://{}:{}", cfg.api.host, port.value());
  return true;
}

bool Application::start_sip() {
  const auto& cfg = *config_;
  core::SipEndpointOptions o;
  o.host = cfg.server.sip_host;
  o.port = static_cast<uint16_t>(cfg.server.sip_port);
  o.tls = cfg.security.enable_tls;
  o.tls_port = static_cast<uint16_t>(cfg.server.sip_tls_port);
  o.tls_cert_file = cfg.security.tls_cert_file;
  o.tls_key_file = cfg.security.tls_key_file;
  o.advertised_host = cfg.server.external_ip;
  o.dscp = cfg.server.sip_dscp;
  o.timers.t1 = Duration(cfg.server.sip_t1_ms);
  o.timers.t2 = Duration(cfg.server.sip_t2_ms);
  o.timers.t4 = Duration(cfg.server.sip_t4_ms);
  o.user_agent = fmt::format("Switchboard/{}", kVersion);
  sip_ = std::make_unique<core::SipEndpoint>(core_, timers_, o);
  if (auto st = sip_->start(); !st.ok()) {
    log::get("app")->error("SIP: {}", st.error().message);
    return false;
  }
  return true;
}

void Application::wait_for_signals() {
  signals_.async_wait([this](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    if (sig == SIGHUP) {
      reload();
      wait_for_signals();
      return;
    }
    log::get("app")->info("received {}, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
    shutdown();
  });
}

void Application::reload() {
  auto logger = log::get("app");
  logger->info("SIGHUP: reloading {}", config_path_);
  auto result = config::load_file(config_path_);
  for (const auto& d : result.diagnostics.warnings()) logger->warn("{}", d.format());
  if (!result.ok()) {
    for (const auto& d : result.diagnostics.errors()) logger->error("{}", d.format());
    logger->error("reload rejected: keeping the running configuration");
    return;
  }
  apply(std::move(*result.config));
}

void Application::apply(config::Config next) {
  auto logger = log::get("app");
  const auto& old = *config_;
  if (next.server.sip_port != old.server.sip_port || next.server.sip_host != old.server.sip_host ||
      next.api.port != old.api.port || next.api.host != old.api.host ||
      next.server.sip_tls_port != old.server.sip_tls_port ||
      next.security.enable_tls != old.security.enable_tls ||
      next.database.url != old.database.url || next.database.path != old.database.path) {
    logger->warn("listening addresses and the database are not reloaded; restart to apply");
  }
  if (auto st = configure_logging(next.logging); !st.ok()) {
    logger->error("logging: {}", st.error().message);
  }
  config_ = std::make_shared<const config::Config>(std::move(next));
  ++reloads_;
  sync_extensions();
  logger->info("configuration reloaded: {} extension(s)", config_->extensions.size());
}

Status Application::sync_extensions_blocking(const config::Config& cfg) {
  // The config is the source of truth for its own extensions; the store keeps
  // them for the API and for extensions created at run time.
  std::vector<store::Extension> rows;
  for (const auto& e : cfg.extensions) {
    store::Extension x;
    x.number = e.number;
    x.name = e.name;
    x.email = e.email;
    x.allow_external = e.allow_external;
    x.enabled = true;
    x.source = store::ExtensionSource::kConfig;
    rows.push_back(std::move(x));
  }
  store::ExtensionRepository repo(*db_);
  auto report = repo.sync_from_config(rows);
  if (!report.ok()) return report.error();
  log::get("store")->debug("extensions synced: {} upserted, {} removed", report->upserted,
                           report->removed);
  return Status::Ok();
}

void Application::sync_extensions() {
  // Blocking I/O: runs on the worker pool, reports back on the core thread.
  asio::post(workers_, [this, cfg = config_] {
    Status st = sync_extensions_blocking(*cfg);
    asio::post(core_, [st] {
      if (!st.ok()) log::get("store")->error("extension sync failed: {}", st.error().message);
    });
  });
}

void Application::shutdown() {
  signals_.cancel();
  if (http_) http_->stop();  // no new requests
  if (sip_) sip_->stop();    // no new SIP traffic
  workers_.join();           // in-flight blocking work (DB writes) completes
  db_.reset();               // closes the store cleanly (SQLite WAL checkpoint)
  log::flush_all();
  core_.stop();
}

std::string Application::status_json() const {
  auto uptime = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::steady_clock::now() - started_);
  nlohmann::json sip = nlohmann::json::array();
  if (sip_) {
    for (const auto& l : sip_->listening()) sip.push_back(l);
  }
  nlohmann::json j = {{"name", config_->server.server_name},
                      {"sip", sip},
                      {"version", kVersion},
                      {"uptime_seconds", uptime.count()},
                      {"extensions", config_->extensions.size()},
                      {"config_reloads", reloads_}};
  return j.dump();
}

}  // namespace switchboard::app
