// The typed configuration: one struct per block of config.yml, in the layout of
// the requirements (../shared/requirements/config-compat.yml). Defaults here are
// the values a key takes when the file leaves it out.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/secret.hpp"

namespace switchboard::app::config {

struct ServerConfig {
  std::string sip_host = "0.0.0.0";
  int sip_port = 5060;
  std::string external_ip;  ///< address written into SDP/Contact; empty: the bound one
  int rtp_port_range_start = 10000;
  int rtp_port_range_end = 20000;
  int rtp_timeout = 30;  ///< seconds without RTP from a side before the call is hung up; 0 = never
  std::string server_name = "Switchboard";
  std::string version;
  int sip_tls_port = 5061;  ///< TLS listener, when security.enable_tls
  int sip_dscp = 24;        ///< DSCP of signalling packets (CS3); -1 leaves the default
  int sip_t1_ms = 500;      ///< RFC 3261 timers
  int sip_t2_ms = 4000;
  int sip_t4_ms = 5000;
  /// Digest realm and the PBX's SIP domain; empty: external_ip, else
  /// sip_host (or "switchboard" when sip_host is a wildcard address).
  std::string sip_domain;

  /// The realm actually used (see sip_domain).
  std::string effective_sip_domain() const;
};

struct ApiConfig {
  std::string host = "127.0.0.1";
  int port = 8080;
  bool enable_cors = false;
  std::vector<std::string> cors_origins;  ///< explicit allow-list when CORS is on
  std::string tls_cert_file;
  std::string tls_key_file;
};

/// extensions[].forward (issue 7 §3): the extension's default call
/// forwarding; each target is an extension or queue number, `voicemail` or
/// an external number (only with allow_external). "" = no rule.
struct ForwardConfig {
  /// Where a value stood in the file (0-based, as YAML marks), for the
  /// checks that need the whole config (validate_forwarding).
  struct Where {
    int line = 0, column = 0;
  };
  std::string always, busy, no_answer;
  Where always_at, busy_at, no_answer_at;
  int no_answer_timeout = 0;  ///< seconds; 0 = voicemail.no_answer_timeout
};

struct ExtensionConfig {
  std::string number;
  std::string name;
  Secret password;
  bool allow_external = false;
  std::string email;
  Secret voicemail_pin;
  /// Call recording of this extension's calls: "always", "never" or
  /// "default" (recording.auto_record decides).
  std::string record = "default";
  ForwardConfig forward;
};

struct DialplanConfig {
  std::string internal_pattern = "^1[0-9]{3}$";
  std::string conference_pattern = "^2[0-9]{3}$";
  std::string voicemail_pattern = "^\\*[0-9]{4}$";
  std::string parking_pattern = "^7[0-9]$";
  std::string queue_pattern = "^8[0-9]{3}$";
  std::string external_pattern;  ///< empty: no external dialing
};

struct OperatorConsoleConfig {
  bool enabled = false;
  std::vector<std::string> operator_extensions;
  int intercept_timeout = 10;  ///< seconds before an intercepted call is released
};

struct PagingZoneConfig {
  std::string name;
  std::string multicast_address;
  int multicast_port = 5004;
  std::string sip_uri;  ///< for method: sip
};

struct PagingConfig {
  bool enabled = false;
  std::string method = "multicast";  ///< multicast | sip
  std::vector<PagingZoneConfig> zones;
};

struct VipPriorityLevelConfig {
  int level = 1;  ///< 1 = VIP, 2 = VVIP, 3 = Executive
  bool skip_queue = false;
  std::string music_on_hold;
  bool direct_to_executive = false;
  bool no_voicemail = false;
  bool immediate_escalation = false;
};

struct VipRoutingConfig {
  bool enabled = false;
  std::vector<VipPriorityLevelConfig> priority_levels;
};

/// features.tones: the regional plan of call progress tones (issue 6):
/// us = ANSI T1.401 (350+440 Hz dial …), eu = ETSI/CEPT 425 Hz.
struct TonesConfig {
  std::string region = "us";
};

/// features.forwarding_codes (issue 7 §3): dial `set_*` + a number to
/// forward, `clear_*` to stop.
struct ForwardingCodesConfig {
  std::string set_always = "*72", clear_always = "*73";
  std::string set_busy = "*90", clear_busy = "*91";
  std::string set_no_answer = "*92", clear_no_answer = "*93";
};

/// features.call_codes (issue 7 §2): codes a party dials during a relayed
/// call. Off unless the block is present (the relays then look for DTMF).
struct CallCodesConfig {
  bool enabled = false;                    ///< true when the block is present, unless it says false
  std::string blind_transfer = "##";       ///< then the number, ended by # or a pause
  std::string park = "*70";                ///< parks the other party
  std::string record_toggle = "*1";        ///< starts / stops recording the call
  std::string attended_transfer = "*2";    ///< then the number: consult, hang up to transfer
  std::string three_way = "*3";            ///< merge a consultation (or: then the number)
  std::string cancel_consultation = "*0";  ///< back to the held party
  int inter_digit_timeout = 3;             ///< seconds
};

struct FeaturesConfig {
  bool call_recording = true;
  bool call_transfer = true;
  bool call_hold = true;
  bool conference = true;
  bool voicemail = true;
  bool call_parking = true;
  bool call_queues = true;
  bool presence = true;
  bool music_on_hold = true;
  int max_call_duration = 7200;  ///< seconds; 0 = unlimited
  OperatorConsoleConfig operator_console;
  PagingConfig paging;
  VipRoutingConfig vip_routing;
  TonesConfig tones;
  ForwardingCodesConfig forwarding_codes;
  CallCodesConfig call_codes;
};

struct RecordingConfig {
  bool auto_record = false;
  std::string storage_path = "recordings";
  std::string format = "wav";
  bool stereo = false;  ///< one party per channel (caller left) instead of mixed mono
};

struct IvrConfig {
  bool enabled = true;
  std::string prompts_path = "voicemail/prompts";
  int pin_attempts = 3;
  int menu_timeout = 5;
  int inter_digit_timeout = 3;
};

struct SmtpConfig {
  std::string host = "127.0.0.1";
  int port = 587;
  bool use_tls = true;
  /// "auto" (use_tls: implicit TLS on 465, STARTTLS elsewhere; else none),
  /// "starttls" (required), "tls" (implicit) or "none".
  std::string security = "auto";
  std::string ca_file;  ///< trust this CA instead of the system store
  std::string username;
  Secret password;
};

struct EmailConfig {
  std::string from_address;
  std::string from_name = "Voicemail";
  std::string subject_template = "New Voicemail from {caller_id} - {timestamp}";
  bool include_attachment = true;
  bool send_immediately = true;
  /// Remove the message (and its WAV) once the mail server accepted it.
  bool delete_after_email = false;
};

struct RemindersConfig {
  bool enabled = false;
  std::string time = "09:00";  ///< HH:MM, local time
  bool unread_only = true;
};

/// voicemail.mwi: message-waiting indication (RFC 3842).
struct MwiConfig {
  /// Also send NOTIFYs without a subscription to the registered contacts of
  /// a mailbox, for phones that never SUBSCRIBE but expect them.
  bool unsolicited_notify = false;
};

struct VoicemailConfig {
  std::string storage_path = "voicemail";
  int max_message_duration = 180;
  bool email_notifications = false;
  int no_answer_timeout = 30;
  /// A number that reaches the mailbox IVR, which asks for the mailbox
  /// (besides `*` + extension); "" = none.
  std::string main_number;
  IvrConfig ivr;
  SmtpConfig smtp;
  EmailConfig email;
  RemindersConfig reminders;
  MwiConfig mwi;
};

/// conference.rooms[]: a room with a name and PINs; numbers not listed are
/// open rooms (no PIN, no moderator).
struct ConferenceRoomConfig {
  std::string number;
  std::string name;
  Secret pin;            ///< empty: no PIN
  Secret moderator_pin;  ///< empty: no moderator
};

struct ConferenceConfig {
  int max_participants = 50;
  bool record_conferences = false;
  std::vector<ConferenceRoomConfig> rooms;
};

struct QueueConfig {
  std::string number;
  std::string name;
  std::string strategy = "ring_all";  ///< ring_all|round_robin|least_recent|fewest_calls|random
  int max_wait_time = 300;
  std::vector<std::string> agents;
};

struct ParkingConfig {
  int range_start = 70;
  int range_end = 79;
  int timeout = 120;
};

struct PresenceConfig {
  int auto_away_timeout = 300;
  int auto_offline_timeout = 1800;
};

struct MusicOnHoldConfig {
  std::string directory = "moh";
  std::string default_class = "default";
};

struct LoggingConfig {
  std::string level = "INFO";
  std::string file;
  bool console = true;
  bool json = false;
  std::map<std::string, std::string> components;  ///< per-component levels
};

struct SecurityConfig {
  bool require_authentication = true;
  int max_failed_attempts = 5;
  int ban_duration = 300;
  bool fips_mode = false;
  bool enable_tls = false;
  std::string tls_cert_file;
  std::string tls_key_file;
  bool enable_srtp = false;
  int min_password_length = 12;
  bool require_strong_passwords = true;
  /// CIDR blocks (IPv4/IPv6) never banned or rate limited, whose OPTIONS
  /// keep-alives need no authentication (Kamailio, trunks).
  std::vector<std::string> ip_allow_list;
  /// Digest challenges offered, in order of preference. MD5 first by
  /// default: many deployed phones (and SIPp) answer only the first
  /// challenge and know only MD5; RFC 8760 §2.4 lets the server order them.
  std::vector<std::string> digest_algorithms{"MD5", "SHA-256"};
  int failure_window = 300;         ///< seconds in which max_failed_attempts count
  int rate_limit_per_second = 100;  ///< SIP packets per source address; 0 = unlimited
  int rate_limit_burst = 200;
};

struct RegistrarConfig {
  int min_expires = 60;  ///< shorter requests get 423 Interval Too Brief
  int max_expires = 3600;
  int default_expires = 3600;   ///< when neither the contact nor Expires says
  int max_contacts = 10;        ///< bindings per extension
  int keepalive_interval = 30;  ///< seconds between NAT keep-alive pings; 0 = off
  int keepalive_misses = 3;     ///< unanswered pings before a contact is removed
};

struct ProvisioningDeviceConfig {
  std::string mac;
  std::string extension;
  std::string model;
};

struct ProvisioningConfig {
  bool enabled = false;
  std::string url_format;
  std::string custom_templates_dir;
  std::vector<ProvisioningDeviceConfig> devices;
};

struct TrunkConfig {
  std::string name;
  std::string host;
  int port = 5060;
  std::string transport = "udp";
  std::string username;
  Secret password;
  bool register_ = false;
  std::vector<std::string> outbound_patterns;
  int strip_digits = 0;
  std::string prepend;
  int max_channels = 0;  ///< 0 = unlimited
  int priority = 1;      ///< lower first, for failover
};

struct VipDatabaseConfig {
  std::string host;
  int port = 5432;
  std::string database;
  std::string username;
  Secret password;
};

struct DatabaseConfig {
  /// `postgresql://…` for PostgreSQL; empty: the embedded SQLite file at `path`.
  Secret url;
  std::string path = "var/switchboard.db";
  std::optional<VipDatabaseConfig> vip_callers;
};

struct ZoomConfig {
  bool enabled = false;
  std::string account_id;
  std::string client_id;
  Secret client_secret;
  bool phone_enabled = false;
  std::string api_base_url = "https://api.zoom.us/v2";
};

struct OutlookConfig {
  bool enabled = false;
  std::string tenant_id;
  std::string client_id;
  Secret client_secret;
  std::string redirect_uri;
  std::vector<std::string> scopes;
};

struct ActiveDirectoryConfig {
  bool enabled = false;
  std::string server;
  std::string base_dn;
  std::string bind_dn;
  Secret bind_password;
  bool use_ssl = true;
  std::string user_search_base;
  std::string group_search_base;
  std::vector<std::string> attributes;
};

struct TeamsConfig {
  bool enabled = false;
  std::string tenant_id;
  std::string client_id;
  Secret client_secret;
  std::string sip_domain;
  std::string sbc_fqdn;
};

struct IntegrationsConfig {
  ZoomConfig zoom;
  OutlookConfig outlook;
  ActiveDirectoryConfig active_directory;
  TeamsConfig teams;
};

struct Config {
  std::string source_file;  ///< the file it was loaded from
  ServerConfig server;
  ApiConfig api;
  std::vector<ExtensionConfig> extensions;
  DialplanConfig dialplan;
  FeaturesConfig features;
  RecordingConfig recording;
  VoicemailConfig voicemail;
  ConferenceConfig conference;
  std::vector<QueueConfig> queues;
  ParkingConfig parking;
  PresenceConfig presence;
  MusicOnHoldConfig music_on_hold;
  LoggingConfig logging;
  SecurityConfig security;
  RegistrarConfig registrar;
  ProvisioningConfig provisioning;
  std::vector<TrunkConfig> trunks;
  DatabaseConfig database;
  IntegrationsConfig integrations;

  const ExtensionConfig* find_extension(const std::string& number) const;
};

}  // namespace switchboard::app::config
