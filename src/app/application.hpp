// The running process: owns the core thread's io_context, the worker pool,
// the store and the API server, and handles SIGTERM/SIGINT (graceful stop)
// and SIGHUP (reload). DESIGN.md §3 describes the threads.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/core_access.hpp"
#include "app/config/config.hpp"
#include "common/result.hpp"
#include "common/timers.hpp"
#include "store/extension_repository.hpp"

namespace switchboard::api {
class ApiService;
class ParkedCallsView;
}  // namespace switchboard::api
namespace switchboard::features::parking {
class ParkingService;
}  // namespace switchboard::features::parking
namespace switchboard::core {
class SipEndpoint;
class AccessGuard;
class RequestAuthenticator;
class CredentialStore;
class Registrar;
class KeepAlive;
class StoreBindingSink;
class B2bua;
class CallEvents;
class Router;
class MediaRelayFactory;
class EngineMediaRelayFactory;
class AppMediaFactory;
class EventBus;
class CallTracker;
class SubscriptionServer;
class MwiNotifier;
}  // namespace switchboard::core
namespace switchboard::media::rtp {
class MediaEngine;
}
namespace switchboard::media::audio {
class MohService;
class PromptCatalog;
class SpeechEngine;
class SpeechService;
}  // namespace switchboard::media::audio
namespace switchboard::features {
class CdrWriter;
}
namespace switchboard::features::recording {
class StoragePolicy;
}
namespace switchboard::features::voicemail {
class VoicemailService;
}
namespace switchboard::features::mail {
class MailService;
}
namespace switchboard::features::conference {
class ConferenceService;
class RoomMediaFactory;
}  // namespace switchboard::features::conference
namespace switchboard::features::forwarding {
class ForwardingService;
}
namespace switchboard::features::callcodes {
class CallCodes;
class CallCodeActions;
}  // namespace switchboard::features::callcodes
namespace switchboard::sip {
class DigestServer;
}
namespace switchboard::store {
class Database;
}

namespace switchboard::app {

class Application : public api::CoreAccess {
 public:
  Application(std::string config_path, config::Config config);
  ~Application();
  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;

  /// Opens the store, starts every service, runs the core loop until a stop
  /// signal; returns the process exit code.
  int run();

 private:
  bool start_services();
  bool start_sip();
  /// Digest realm, credentials, bans and rate limits, registrar, keep-alive.
  bool start_registrar();
  /// Media engine, router (dialplan), B2BUA and the CDR writer (issue 5).
  bool start_calls();
  /// SUBSCRIBE/NOTIFY event subscriptions and MWI (issue 8).
  bool start_subscriptions();
  void apply_subscriptions(const config::Config& cfg);
  void apply_security(const config::Config& cfg);
  std::shared_ptr<const core::CredentialStore> build_credentials(const config::Config& cfg);
  void wait_for_signals();
  void reload();
  void apply(config::Config next);
  void sync_extensions();
  Status sync_extensions_blocking(const config::Config& cfg);
  void shutdown();
  std::string status_json() const;
  bool start_api();
  /// Extensions created through the API (source=api), read from the store.
  std::vector<store::Extension> load_api_extensions();

  // api::CoreAccess (application_api.cpp): called on the core thread.
  nlohmann::json status() override;
  nlohmann::json registrations(const std::optional<std::string>& extension) override;
  nlohmann::json calls(const std::optional<std::string>& extension) override;
  bool hangup(const std::string& call_id) override;
  Result<std::string> originate(const std::string& from, const std::string& to) override;
  Status hold(const std::string& call_id, const std::string& party) override;
  Status resume(const std::string& call_id) override;
  Status transfer(const std::string& call_id, const std::string& party, const std::string& target,
                  const std::optional<std::string>& extension) override;
  Result<std::string> park(const std::string& call_id, const std::string& party,
                           const std::optional<std::string>& extension) override;
  Status consultation(const std::string& call_id, const std::string& action,
                      const std::string& party, const std::string& target,
                      const std::optional<std::string>& extension) override;
  Result<std::string> start_recording(const std::string& call_id,
                                      const std::optional<std::string>& extension) override;
  Status stop_recording(const std::string& call_id,
                        const std::optional<std::string>& extension) override;
  nlohmann::json config() override;
  std::vector<api::MetricSample> metrics() override;
  void extensions_changed() override;

  std::string config_path_;
  std::shared_ptr<const config::Config> config_;
  boost::asio::io_context core_;  ///< the core thread: all call state lives here
  boost::asio::thread_pool workers_{2};
  boost::asio::signal_set signals_;
  AsioTimers timers_{core_};
  std::unique_ptr<core::SipEndpoint> sip_;
  std::unique_ptr<sip::DigestServer> digest_;
  std::unique_ptr<core::AccessGuard> guard_;
  std::unique_ptr<core::RequestAuthenticator> authenticator_;
  std::shared_ptr<const core::CredentialStore> credentials_;
  std::unique_ptr<core::StoreBindingSink> binding_sink_;
  std::unique_ptr<core::Registrar> registrar_;
  std::unique_ptr<core::KeepAlive> keepalive_;
  std::unique_ptr<media::rtp::MediaEngine> media_engine_;
  std::unique_ptr<core::EngineMediaRelayFactory> relays_;
  std::unique_ptr<core::CallEvents> call_events_;
  std::unique_ptr<core::Router> router_;
  // Call parking (issue 7 §4, application_parking.cpp); outlives b2bua_.
  bool start_parking();
  std::unique_ptr<features::parking::ParkingService> parking_;
  std::unique_ptr<api::ParkedCallsView> parked_view_;
  // Call recording (issue 7 §5, application_recording.cpp); outlives b2bua_.
  bool start_recording_policy();
  void apply_recording(const config::Config& cfg);
  bool call_visible(const std::string& call_id, const std::optional<std::string>& extension) const;
  std::unique_ptr<features::recording::StoragePolicy> recording_;
  // Feature codes during calls (issue 7 §2, application_callcodes.cpp);
  // outlive b2bua_ (it holds the listener).
  void apply_call_codes(const config::Config& cfg);
  std::unique_ptr<features::callcodes::CallCodeActions> call_code_actions_;
  std::unique_ptr<features::callcodes::CallCodes> call_codes_;
  std::unique_ptr<core::B2bua> b2bua_;
  // Call applications (application_apps.cpp).
  bool start_app_media();
  std::unique_ptr<media::audio::PromptCatalog> prompts_;
  std::shared_ptr<media::audio::SpeechEngine> speech_engine_;
  std::unique_ptr<media::audio::SpeechService> speech_;
  std::unique_ptr<core::AppMediaFactory> app_media_;
  // Voicemail (issue 8, application_voicemail.cpp).
  bool start_voicemail();
  void apply_voicemail(const config::Config& cfg);
  std::unique_ptr<features::voicemail::VoicemailService> voicemail_;
  // Voicemail-to-email and reminders (issue 8 §5, application_mail.cpp).
  bool start_mail();
  void apply_mail(const config::Config& cfg);
  void stop_mail();
  std::string mailbox_email(const std::string& mailbox) const;
  std::unique_ptr<features::mail::MailService> mail_;
  // Conference rooms (issue 7 §6, application_conference.cpp).
  bool start_conference();
  void apply_conference(const config::Config& cfg);
  std::unique_ptr<features::conference::RoomMediaFactory> conference_media_;
  std::unique_ptr<features::conference::ConferenceService> conference_;
  // Call forwarding (issue 7 §3, application_forwarding.cpp).
  bool start_forwarding();
  void apply_forwarding(const config::Config& cfg);
  std::unique_ptr<features::forwarding::ForwardingService> forwarding_;
  std::unique_ptr<media::audio::MohService> moh_;
  std::unique_ptr<features::CdrWriter> cdr_writer_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<core::EventBus> events_;
  std::unique_ptr<core::CallTracker> call_tracker_;
  std::vector<store::Extension> api_extensions_;  ///< core thread
  std::unique_ptr<api::ApiService> api_;
  std::unique_ptr<core::SubscriptionServer> subscriptions_;  ///< issue 8
  std::unique_ptr<core::MwiNotifier> mwi_;                   ///< after subscriptions_
  std::chrono::steady_clock::time_point started_;
  int reloads_ = 0;
};

}  // namespace switchboard::app
