#include "app/application.hpp"

#include <fmt/format.h>

#include <boost/asio/post.hpp>
#include <csignal>
#include <nlohmann/json.hpp>

#include "api/api_service.hpp"
#include "app/config/loader.hpp"
#include "app/logging_setup.hpp"
#include "app/version.hpp"
#include "common/log.hpp"
#include "core/call/b2bua.hpp"
#include "core/call/engine_app_media.hpp"
#include "core/call/engine_media_relay.hpp"
#include "core/events/adapters.hpp"
#include "core/events/event_bus.hpp"
#include "core/registrar/binding_persistence.hpp"
#include "core/registrar/keepalive.hpp"
#include "core/registrar/registrar.hpp"
#include "core/security/access_guard.hpp"
#include "core/security/credentials.hpp"
#include "core/security/request_authenticator.hpp"
#include "core/sip_endpoint.hpp"
#include "core/subscriptions/mwi_notifier.hpp"
#include "core/subscriptions/store_counts.hpp"
#include "core/subscriptions/subscription_server.hpp"
#include "features/callcodes/call_codes.hpp"
#include "features/cdr/cdr_writer.hpp"
#include "features/conference/service.hpp"
#include "features/forwarding/service.hpp"
#include "features/mail/mail_service.hpp"
#include "features/parking/service.hpp"
#include "features/recording/storage_policy.hpp"
#include "features/voicemail/service.hpp"
#include "media/rtp/media_engine.hpp"
#include "sip/builder.hpp"
#include "sip/digest_server.hpp"
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

  api_extensions_ = load_api_extensions();
  events_ = std::make_unique<core::EventBus>();
  if (!start_sip()) return false;
  if (!start_registrar()) return false;
  if (!start_calls()) return false;
  if (!start_subscriptions()) return false;

  if (!start_api()) return false;

  logger->info("Switchboard {} started: {} extension(s), store {}", kVersion, cfg.extensions.size(),
               describe_store(cfg.database));
  for (const auto& l : sip_->listening()) logger->info("SIP listening on {}", l);
  logger->info("HTTP API listening on {}://{}:{}", api_->tls() ? "https" : "http", cfg.api.host,
               api_->port());
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

static core::AccessPolicy access_policy(const config::SecurityConfig& sec) {
  core::AccessPolicy p;
  p.max_failed_attempts = sec.max_failed_attempts;
  p.failure_window = std::chrono::seconds(sec.failure_window);
  p.ban_duration = std::chrono::seconds(sec.ban_duration);
  p.rate_limit_per_second = sec.rate_limit_per_second;
  p.rate_limit_burst = sec.rate_limit_burst;
  auto allow = core::IpAllowList::parse(sec.ip_allow_list);
  if (allow.ok()) p.allow_list = std::move(*allow);  // validated by the config loader
  return p;
}

static core::RegistrarOptions registrar_options(const config::RegistrarConfig& r) {
  core::RegistrarOptions o;
  o.min_expires = static_cast<uint32_t>(r.min_expires);
  o.max_expires = static_cast<uint32_t>(r.max_expires);
  o.default_expires = static_cast<uint32_t>(r.default_expires);
  o.max_contacts = static_cast<size_t>(r.max_contacts);
  return o;
}

static core::KeepAliveOptions keepalive_options(const config::RegistrarConfig& r) {
  core::KeepAliveOptions o;
  o.interval = std::chrono::seconds(r.keepalive_interval);
  o.max_misses = r.keepalive_misses;
  return o;
}

std::shared_ptr<const core::CredentialStore> Application::build_credentials(
    const config::Config& cfg) {
  // HA1s only: the passwords stay in the config structs (Secret) and are
  // never logged or written to the store.
  auto store = std::make_shared<core::CredentialStore>(cfg.server.effective_sip_domain());
  for (const auto& e : cfg.extensions) store->add(e.number, e.password.reveal(), e.allow_external);
  for (const auto& e : api_extensions_) {  // created through the API: HA1s only
    if (!e.enabled || e.realm != store->realm() || store->contains(e.number)) continue;
    store->add_ha1(e.number, core::ExtensionCredential{e.ha1_md5, e.ha1_sha256, e.allow_external});
  }
  return store;
}

bool Application::start_registrar() {
  const auto& cfg = *config_;
  const std::string realm = cfg.server.effective_sip_domain();
  sip::DigestServerOptions dopts;
  dopts.realm = realm;
  dopts.algorithms.clear();
  for (const auto& a : cfg.security.digest_algorithms) {
    dopts.algorithms.push_back(a == "SHA-256" ? sip::DigestAlgorithm::kSha256
                                              : sip::DigestAlgorithm::kMd5);
  }
  dopts.secret =
      sip::random_hex(32);  // per process: nonces of a previous run are just re-challenged
  digest_ = std::make_unique<sip::DigestServer>(dopts, [this] {
    return std::chrono::duration_cast<std::chrono::seconds>(timers_.now().time_since_epoch())
        .count();
  });
  credentials_ = build_credentials(cfg);
  guard_ = std::make_unique<core::AccessGuard>(timers_, access_policy(cfg.security));
  authenticator_ = std::make_unique<core::RequestAuthenticator>(
      *digest_, *guard_, credentials_, cfg.security.require_authentication);
  sip_->set_source_filter([this](const sip::Source& from) {
    return guard_->admit(from.remote_ip) == core::AccessGuard::Verdict::kAdmit;
  });
  sip_->set_request_filter([this](const sip::ServerTransactionPtr& txn) {
    std::string user;
    const auto outcome = authenticator_->check(txn, &user);
    // The subscriber of a SUBSCRIBE likewise (issue 8).
    if (outcome == core::RequestAuthenticator::Outcome::kAuthenticated && subscriptions_) {
      subscriptions_->note_authenticated(*txn, user);
    }
    // The B2BUA takes the caller of an INVITE from here (issue 4 §6).
    if (outcome == core::RequestAuthenticator::Outcome::kAuthenticated && b2bua_) {
      b2bua_->note_authenticated(*txn, std::move(user));
    }
    return outcome == core::RequestAuthenticator::Outcome::kChallenged ||
           outcome == core::RequestAuthenticator::Outcome::kRejected;
  });

  binding_sink_ = std::make_unique<core::StoreBindingSink>(core_, workers_, *db_);
  registrar_ = std::make_unique<core::Registrar>(
      timers_, registrar_options(cfg.registrar), store::system_now,
      [this](std::string_view number) { return credentials_->contains(number); },
      binding_sink_.get());
  auto loaded = core::load_bindings(*db_, store::system_now());
  if (!loaded.ok()) {
    log::get("app")->error("loading registrations: {}", loaded.error().message);
    return false;
  }
  // Bindings of extensions removed from the config while we were down go.
  std::vector<core::Binding> keep;
  for (auto& b : *loaded) {
    if (credentials_->contains(b.aor))
      keep.push_back(std::move(b));
    else
      binding_sink_->remove(b.aor, b.key);
  }
  const size_t restored = keep.size();
  registrar_->restore(std::move(keep));
  core::attach_registrar(*registrar_, *events_);
  sip_->handle("REGISTER",
               [this](const sip::ServerTransactionPtr& txn) { registrar_->on_register(txn); });
  keepalive_ = std::make_unique<core::KeepAlive>(
      timers_, *registrar_, keepalive_options(cfg.registrar),
      core::make_sip_pinger(sip_->transactions(), sip_->transport(),
                            fmt::format("<sip:keepalive@{}>", realm)));
  log::get("registrar")
      ->info("realm \"{}\", {} binding(s) restored from the store", realm, restored);
  return true;
}

static core::DialplanPatterns dialplan_patterns(const config::DialplanConfig& d) {
  return {d.internal_pattern, d.conference_pattern, d.voicemail_pattern,
          d.parking_pattern,  d.queue_pattern,      d.external_pattern};
}

static core::B2buaOptions b2bua_options(const config::Config& cfg) {
  core::B2buaOptions o;
  const auto& srv = cfg.server;
  o.media.address = !srv.external_ip.empty()                            ? srv.external_ip
                    : srv.sip_host == "0.0.0.0" || srv.sip_host == "::" ? "127.0.0.1"
                                                                        : srv.sip_host;
  o.media.rtp_ports.first = static_cast<uint16_t>(srv.rtp_port_range_start);
  o.media.rtp_ports.last = static_cast<uint16_t>(srv.rtp_port_range_end);
  o.no_answer_timeout = std::chrono::seconds(cfg.voicemail.no_answer_timeout);
  o.max_call_duration = std::chrono::seconds(cfg.features.max_call_duration);
  o.domain = srv.effective_sip_domain();
  o.user_agent = fmt::format("Switchboard/{}", kVersion);
  o.require_authentication = cfg.security.require_authentication;
  o.pbx_hold = cfg.features.music_on_hold;
  return o;
}

bool Application::start_calls() {
  const auto& cfg = *config_;
  auto logger = log::get("app");
  if (auto n = features::CdrWriter::recover(*db_); !n.ok()) {
    logger->error("CDR recovery: {}", n.error().message);
    return false;
  } else if (*n > 0) {
    log::get("cdr")->warn("{} call(s) were up when the process stopped: marked interrupted", *n);
  }
  media::rtp::EngineConfig ec;
  ec.bind_address = cfg.server.sip_host;
  ec.port_first = static_cast<uint16_t>(cfg.server.rtp_port_range_start);
  ec.port_last = static_cast<uint16_t>(cfg.server.rtp_port_range_end);
  ec.relay_defaults.dead_peer_timeout = std::chrono::seconds(cfg.server.rtp_timeout);
  auto engine = media::rtp::MediaEngine::create(ec, core_.get_executor());
  if (!engine.ok()) {
    logger->error("media engine: {}", engine.error().message);
    return false;
  }
  media_engine_ = std::move(*engine);
  relays_ = std::make_unique<core::EngineMediaRelayFactory>(*media_engine_);
  auto dialplan = core::Dialplan::compile(dialplan_patterns(cfg.dialplan));
  if (!dialplan.ok()) {
    logger->error("{}", dialplan.error().message);
    return false;
  }
  router_ = std::make_unique<core::Router>(
      std::move(*dialplan), [this](std::string_view n) { return credentials_->contains(n); });
  call_events_ = std::make_unique<core::CallEvents>();
  call_tracker_ = std::make_unique<core::CallTracker>(*call_events_, *events_);
  cdr_writer_ = std::make_unique<features::CdrWriter>(workers_, *db_);
  cdr_writer_->attach(*call_events_);
  b2bua_ = std::make_unique<core::B2bua>(
      sip_->transactions(), timers_, *registrar_, *router_, *relays_, *call_events_,
      [this](std::string_view n) -> std::optional<core::CallerProfile> {
        for (const auto& e : config_->extensions) {
          if (e.number == n) return core::CallerProfile{e.name, e.allow_external};
        }
        for (const auto& e : api_extensions_) {
          if (e.number == n && e.enabled) return core::CallerProfile{e.name, e.allow_external};
        }
        return std::nullopt;
      },
      store::system_now, b2bua_options(cfg));
  for (const char* m : {"INVITE", "BYE", "UPDATE", "INFO", "MESSAGE", "REFER"}) {
    sip_->handle(m, [this](const sip::ServerTransactionPtr& txn) { b2bua_->on_request(txn); });
  }
  sip_->set_dialog_user(b2bua_->dialog_user());
  if (!start_app_media()) return false;
  if (!start_voicemail()) return false;   // issue 8 (application_voicemail.cpp)
  if (!start_parking()) return false;     // issue 7 §4 (application_parking.cpp)
  if (!start_mail()) return false;        // issue 8 §5 (application_mail.cpp)
  if (!start_conference()) return false;  // issue 7 §6 (application_conference.cpp)
  // Issue 7 §5 (application_recording.cpp).
  if (!start_recording_policy()) return false;
  // Call forwarding, issue 7 §3 (application_forwarding.cpp).
  if (!start_forwarding()) return false;
  apply_call_codes(*config_);  // issue 7 §2 (application_callcodes.cpp)
  log::get("call")->info("calls: media {} ports {}-{} on {} thread(s)", ec.bind_address,
                         ec.port_first, ec.port_last, media_engine_->thread_count());
  return true;
}

// --- Event subscriptions and MWI (issue 8) ---------------------------------

static core::SubscriptionOptions subscription_options(const config::Config& cfg) {
  core::SubscriptionOptions o;
  o.require_authentication = cfg.security.require_authentication;
  return o;
}

bool Application::start_subscriptions() {
  const auto& cfg = *config_;
  auto is_extension = [this](std::string_view n) { return credentials_->contains(n); };
  subscriptions_ = std::make_unique<core::SubscriptionServer>(
      sip_->transactions(), timers_, subscription_options(cfg), is_extension);
  mwi_ = std::make_unique<core::MwiNotifier>(
      *subscriptions_, sip_->transactions(), *registrar_, is_extension,
      core::make_store_counts_lookup(*db_, workers_.get_executor(), core_.get_executor()),
      core::MwiOptions{cfg.server.effective_sip_domain(), cfg.voicemail.mwi.unsolicited_notify});
  sip_->handle("SUBSCRIBE",
               [this](const sip::ServerTransactionPtr& txn) { subscriptions_->on_subscribe(txn); });
  // Phones that expect unsolicited MWI hear the counts when they register.
  core::EventFilter registrations;
  registrations.types = {core::EventType::kRegistration};
  events_->subscribe(registrations, [this](const std::shared_ptr<const std::string>& json) {
    auto e = nlohmann::json::parse(*json, nullptr, false);
    if (mwi_ && !e.is_discarded() && e["data"].value("contacts", 0) > 0) {
      mwi_->on_registered(e["data"].value("extension", std::string()));
    }
    return true;
  });
  // Messages marked or deleted through the API change the counts too.
  core::EventFilter api_changes;
  api_changes.types = {core::EventType::kVoicemailRead, core::EventType::kVoicemailDeleted};
  events_->subscribe(api_changes, [this](const std::shared_ptr<const std::string>& json) {
    auto e = nlohmann::json::parse(*json, nullptr, false);
    if (voicemail_ && !e.is_discarded()) {
      voicemail_->counts_changed(e["data"].value("mailbox", std::string()));
    }
    return true;
  });
  // Every change of a mailbox's counts (message left, heard, saved, deleted).
  if (voicemail_) {
    voicemail_->on_counts_changed(
        [this](const std::string& mailbox, std::int64_t fresh, std::int64_t saved) {
          if (mwi_) mwi_->publish(mailbox, fresh, saved);
        });
  }
  log::get("mwi")->info("message-waiting: SUBSCRIBE message-summary{}",
                        cfg.voicemail.mwi.unsolicited_notify ? ", unsolicited NOTIFY on" : "");
  return true;
}

void Application::apply_subscriptions(const config::Config& cfg) {
  if (subscriptions_) subscriptions_->set_options(subscription_options(cfg));
  if (mwi_) mwi_->set_unsolicited(cfg.voicemail.mwi.unsolicited_notify);
}

// ---------------------------------------------------------------------------

void Application::apply_security(const config::Config& cfg) {
  if (!guard_) return;
  guard_->set_policy(access_policy(cfg.security));
  credentials_ = build_credentials(cfg);
  authenticator_->set_credentials(credentials_);
  authenticator_->set_require_authentication(cfg.security.require_authentication);
  registrar_->set_options(registrar_options(cfg.registrar));
  keepalive_->set_options(keepalive_options(cfg.registrar));
  if (b2bua_) {
    b2bua_->set_options(b2bua_options(cfg));
    if (auto d = core::Dialplan::compile(dialplan_patterns(cfg.dialplan)); d.ok()) {
      router_->set_dialplan(std::move(*d));
    }
  }
  apply_subscriptions(cfg);
  if (cfg.server.effective_sip_domain() != credentials_->realm()) {
    log::get("app")->warn("server.sip_domain changes need a restart");
  }
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
  apply_security(*config_);
  apply_voicemail(*config_);   // issue 8
  apply_mail(*config_);        // issue 8 §5
  apply_conference(*config_);  // issue 7 §6
  apply_recording(*config_);   // issue 7 §5
  apply_forwarding(*config_);  // issue 7 §3
  apply_call_codes(*config_);  // issue 7 §2
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
  if (api_) api_->stop();                   // no new requests
  if (b2bua_) b2bua_->end_all("shutdown");  // BYE/503 out, CDR rows completed
  if (subscriptions_) subscriptions_->terminate_all("deactivated");  // final NOTIFYs (issue 8)
  if (sip_) sip_->stop();                                            // no new SIP traffic
  b2bua_.reset();       // relays closed; open CDR rows are marked interrupted at start-up
  conference_.reset();  // rooms closed (recordings finished) while the engine runs
  if (media_engine_) media_engine_->stop();
  stop_mail();      // no new SMTP rounds (issue 8 §5)
  workers_.join();  // in-flight blocking work (DB writes) completes
  if (binding_sink_) binding_sink_->drain_blocking();  // the last registrations too
  db_.reset();  // closes the store cleanly (SQLite WAL checkpoint)
  log::flush_all();
  core_.stop();
}

std::string Application::status_json() const {
  auto uptime =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_);
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
  if (guard_) {
    const auto& st = guard_->stats();
    j["security"] = {{"challenges", st.challenges},
                     {"auth_ok", st.auth_ok},
                     {"auth_failures", st.auth_failures},
                     {"bans", st.bans},
                     {"active_bans", st.active_bans},
                     {"dropped_banned", st.dropped_banned},
                     {"dropped_rate_limited", st.dropped_rate_limited},
                     {"allow_listed", st.allow_listed}};
  }
  if (b2bua_) {
    const auto& st = b2bua_->stats();
    j["calls"] = {{"active", b2bua_->active_calls()},
                  {"total", st.calls},
                  {"answered", st.answered},
                  {"rejected", st.rejected},
                  {"cdr_written", cdr_writer_ ? cdr_writer_->stats().closed.load() : 0},
                  {"cdr_errors", cdr_writer_ ? cdr_writer_->stats().errors.load() : 0},
                  {"media_sessions", media_engine_ ? media_engine_->open_sessions() : 0}};
  }
  if (registrar_) {
    const auto& st = registrar_->stats();
    j["registrar"] = {{"bindings", registrar_->binding_count()},
                      {"extensions_registered", registrar_->aor_count()},
                      {"registers", st.registers},
                      {"added", st.added},
                      {"refreshes", st.refreshes},
                      {"removed", st.removed},
                      {"expired", st.expired},
                      {"unreachable_removed", st.unreachable_removed},
                      {"too_brief", st.too_brief},
                      {"keepalive_pings", keepalive_ ? keepalive_->pings_sent() : 0},
                      {"store_writes", binding_sink_ ? binding_sink_->stats().writes : 0},
                      {"store_errors", binding_sink_ ? binding_sink_->stats().errors : 0}};
  }
  return j.dump();
}

}  // namespace switchboard::app
