#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "app/config/loader.hpp"

namespace switchboard::app::config {
namespace {

using ::testing::HasSubstr;

const std::map<std::string, std::string> kCompatEnv = {
    {"EXT_1000_PASSWORD", "Operator-Pass-1000"},  {"EXT_1001_PASSWORD", "Ada-Lovelace-1001"},
    {"EXT_1002_PASSWORD", "Bob-Builder-1002"},    {"EXT_1003_PASSWORD", "Carol-Singer-1003"},
    {"EXT_1004_PASSWORD", "Support-Desk-1004"},   {"SMTP_PASSWORD", "smtp-secret-value"},
    {"DB_PASSWORD", "db-secret-value"},           {"ZOOM_CLIENT_SECRET", "zoom-secret-value"},
    {"OUTLOOK_CLIENT_SECRET", "outlook-secret"},  {"AD_BIND_PASSWORD", "ad-secret-value"},
    {"TEAMS_CLIENT_SECRET", "teams-secret-value"}};

EnvLookup env_from(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string all_messages(const LoadResult& r) {
  std::string out;
  for (const auto& d : r.diagnostics.all()) out += d.format() + "\n";
  return out;
}

// A small valid file that tests edit.
const char* kMinimal = R"yaml(server:
  sip_port: 5060
extensions:
- number: '1001'
  name: Ada
  password: Correct-Horse-1
dialplan:
  internal_pattern: ^1[0-9]{3}$
)yaml";

TEST(ConfigLoader, RequirementsCompatFileLoadsAsItIs) {
  auto r = load_file(SB_SOURCE_DIR "/tests/data/config/config-compat.yml", env_from(kCompatEnv));
  ASSERT_TRUE(r.ok()) << all_messages(r);
  EXPECT_TRUE(r.diagnostics.warnings().empty()) << all_messages(r);
  const Config& c = *r.config;
  EXPECT_EQ(c.server.sip_port, 5060);
  EXPECT_EQ(c.server.external_ip, "127.0.0.1");
  EXPECT_EQ(c.server.rtp_port_range_start, 10000);
  EXPECT_EQ(c.server.rtp_port_range_end, 20000);
  EXPECT_EQ(c.api.port, 8080);
  EXPECT_TRUE(c.api.enable_cors);
  ASSERT_EQ(c.extensions.size(), 5u);
  EXPECT_EQ(c.extensions[1].number, "1001");
  EXPECT_EQ(c.extensions[1].password.reveal(), "Ada-Lovelace-1001");
  EXPECT_EQ(c.extensions[1].voicemail_pin.reveal(), "1739");
  EXPECT_FALSE(c.extensions[3].allow_external);
  EXPECT_EQ(c.dialplan.voicemail_pattern, "^\\*[0-9]{4}$");
  EXPECT_EQ(c.features.max_call_duration, 7200);
  EXPECT_EQ(c.features.operator_console.operator_extensions, std::vector<std::string>{"1000"});
  EXPECT_EQ(c.features.operator_console.intercept_timeout, 10);
  ASSERT_EQ(c.features.paging.zones.size(), 3u);
  EXPECT_EQ(c.features.paging.zones[1].name, "warehouse");
  EXPECT_EQ(c.features.paging.zones[1].multicast_address, "224.0.1.2");
  ASSERT_EQ(c.features.vip_routing.priority_levels.size(), 3u);
  EXPECT_TRUE(c.features.vip_routing.priority_levels[0].skip_queue);
  EXPECT_EQ(c.features.vip_routing.priority_levels[0].music_on_hold, "premium");
  EXPECT_TRUE(c.features.vip_routing.priority_levels[1].no_voicemail);
  EXPECT_TRUE(c.features.vip_routing.priority_levels[2].immediate_escalation);
  EXPECT_EQ(c.voicemail.ivr.pin_attempts, 3);
  EXPECT_EQ(c.voicemail.smtp.port, 587);
  EXPECT_EQ(c.voicemail.smtp.password.reveal(), "smtp-secret-value");
  EXPECT_EQ(c.voicemail.reminders.time, "09:00");
  ASSERT_EQ(c.queues.size(), 2u);
  EXPECT_EQ(c.queues[1].strategy, "least_recent");
  EXPECT_EQ(c.parking.range_end, 79);
  EXPECT_EQ(c.logging.file, "logs/pbx.log");
  EXPECT_EQ(c.security.max_failed_attempts, 5);
  EXPECT_TRUE(c.trunks.empty());
  ASSERT_TRUE(c.database.vip_callers.has_value());
  EXPECT_EQ(c.database.vip_callers->database, "pbx_vip");
  EXPECT_EQ(c.integrations.zoom.client_secret.reveal(), "zoom-secret-value");
  EXPECT_EQ(c.integrations.outlook.scopes.size(), 5u);
  EXPECT_EQ(c.integrations.active_directory.attributes.back(), "thumbnailPhoto");
  EXPECT_EQ(c.integrations.teams.sbc_fqdn, "sbc.yourdomain.com");
}

TEST(ConfigLoader, CompatFileIsByteIdenticalToTheRequirements) {
  // The test copy must not drift from ../shared (when it is there to compare).
  std::ifstream shared(SB_SOURCE_DIR "/../shared/requirements/config-compat.yml");
  if (!shared) GTEST_SKIP() << "../shared not present beside the checkout";
  EXPECT_EQ(read(SB_SOURCE_DIR "/../shared/requirements/config-compat.yml"),
            read(SB_SOURCE_DIR "/tests/data/config/config-compat.yml"));
}

TEST(ConfigLoader, ShippedExampleAndDemoConfigsLoad) {
  for (const char* f : {"/config/config.example.yml", "/config/config.yml"}) {
    auto r = load_file(std::string(SB_SOURCE_DIR) + f, env_from(kCompatEnv));
    EXPECT_TRUE(r.ok()) << f << "\n" << all_messages(r);
    EXPECT_TRUE(r.diagnostics.warnings().empty()) << f << "\n" << all_messages(r);
  }
}

TEST(ConfigLoader, MissingEnvironmentVariableIsAnErrorWithItsLocation) {
  auto env = kCompatEnv;
  env.erase("ZOOM_CLIENT_SECRET");
  auto r = load_file(SB_SOURCE_DIR "/tests/data/config/config-compat.yml", env_from(env));
  ASSERT_FALSE(r.ok());
  auto errors = r.diagnostics.errors();
  ASSERT_EQ(errors.size(), 1u) << all_messages(r);
  const auto& d = errors[0];
  EXPECT_EQ(d.path, "integrations.zoom.client_secret");
  EXPECT_THAT(d.message, HasSubstr("ZOOM_CLIENT_SECRET is not set"));
  EXPECT_GT(d.line, 0);
}

TEST(ConfigLoader, ThreeDifferentErrorsAreAllReportedWithLineAndColumn) {
  const char* text = R"yaml(server:
  sip_port: 70000
extensions:
- number: '1001'
  password: Correct-Horse-1
- number: '1001'
  password: Correct-Horse-2
dialplan:
  internal_pattern: ^1[0-9{3}$
)yaml";
  auto r = load_string(text, "bad.yml", env_from({}));
  ASSERT_FALSE(r.ok());
  auto errors = r.diagnostics.errors();
  ASSERT_EQ(errors.size(), 3u) << all_messages(r);
  EXPECT_EQ(errors[0].format(),
            "bad.yml:2:13: server.sip_port: 70000 is out of range (expected 1 to 65535)");
  EXPECT_EQ(errors[1].path, "extensions[1].number");
  EXPECT_EQ(errors[1].line, 6);
  EXPECT_EQ(errors[1].column, 11);
  EXPECT_THAT(errors[1].message, HasSubstr("duplicate extension 1001"));
  EXPECT_EQ(errors[2].path, "dialplan.internal_pattern");
  EXPECT_EQ(errors[2].line, 9);
  EXPECT_THAT(errors[2].message, HasSubstr("invalid regular expression"));
}

TEST(ConfigLoader, WrongTypeNamesTheKeyPath) {
  std::string text = std::string(kMinimal) + R"yaml(integrations:
  zoom:
    enabled: true
    account_id: abc
    client_id: [1, 2]
    client_secret: s3cret-value
)yaml";
  auto r = load_string(text, "config.yml", env_from({}));
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.diagnostics.errors().size(), 1u) << all_messages(r);
  EXPECT_EQ(r.diagnostics.errors()[0].format(),
            "config.yml:13:16: integrations.zoom.client_id: expected string");
}

TEST(ConfigLoader, RequiredKeyOfAnEnabledIntegration) {
  std::string text = std::string(kMinimal) + R"yaml(integrations:
  active_directory:
    enabled: true
    server: ldaps://dc.test.local:636
    base_dn: DC=test,DC=local
    bind_dn: CN=svc,DC=test,DC=local
)yaml";
  auto r = load_string(text, "c.yml", env_from({}));
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.diagnostics.errors().size(), 1u) << all_messages(r);
  EXPECT_EQ(r.diagnostics.errors()[0].path, "integrations.active_directory.bind_password");
  EXPECT_EQ(r.diagnostics.errors()[0].message, "required key is missing");
  EXPECT_EQ(r.diagnostics.errors()[0].line, 10);  // the mapping that lacks it
}

TEST(ConfigLoader, MissingExtensionPasswordIsRequired) {
  auto r = load_string("extensions:\n- number: '1001'\n", "c.yml", env_from({}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.diagnostics.errors()[0].path, "extensions[0].password");
}

TEST(ConfigLoader, UnknownKeysAreWarningsOnly) {
  std::string text = std::string(kMinimal) + "colour: blue\nserver2: {}\n";
  auto r = load_string(text, "c.yml", env_from({}));
  ASSERT_TRUE(r.ok()) << all_messages(r);
  auto w = r.diagnostics.warnings();
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].format(), "c.yml:9:1: warning: colour: unknown key (ignored)");
}

TEST(ConfigLoader, SecretsNeverAppearInMessages) {
  const char* text = R"yaml(extensions:
- number: '1001'
  password: weakpass
  voicemail_pin: 12ab
integrations:
  zoom:
    enabled: true
    account_id: a
    client_id: b
    client_secret: {nested: TOPSECRETVALUE}
)yaml";
  auto r = load_string(text, "c.yml", env_from({}));
  ASSERT_FALSE(r.ok());
  std::string all = all_messages(r);
  EXPECT_THAT(all, HasSubstr("extensions[0].password: password is shorter"));
  EXPECT_THAT(all, HasSubstr("extensions[0].voicemail_pin: expected 4 to 12 digits"));
  EXPECT_EQ(all.find("weakpass"), std::string::npos);
  EXPECT_EQ(all.find("12ab"), std::string::npos);
  EXPECT_EQ(all.find("TOPSECRETVALUE"), std::string::npos);
  EXPECT_EQ(fmt::format("{}", Secret("hunter2")), "********");
}

TEST(ConfigLoader, WeakPasswordRuleFollowsSecuritySettings) {
  const char* text = R"yaml(security:
  min_password_length: 6
  require_strong_passwords: false
extensions:
- number: '1001'
  password: simple
)yaml";
  auto r = load_string(text, "c.yml", env_from({}));
  EXPECT_TRUE(r.ok()) << all_messages(r);
}

TEST(ConfigLoader, EnvironmentSubstitutionAnywhereInAValue) {
  const char* text = R"yaml(server:
  sip_port: ${SIP_PORT}
  server_name: "PBX of ${COMPANY} (${SITE:-main})"
extensions:
- number: '1001'
  password: ${PW}
)yaml";
  auto r = load_string(
      text, "c.yml", env_from({{"SIP_PORT", "5070"}, {"COMPANY", "Acme"}, {"PW", "Str0ng-Pass!"}}));
  ASSERT_TRUE(r.ok()) << all_messages(r);
  EXPECT_EQ(r.config->server.sip_port, 5070);
  EXPECT_EQ(r.config->server.server_name, "PBX of Acme (main)");
  EXPECT_EQ(r.config->extensions[0].password.reveal(), "Str0ng-Pass!");
}

TEST(ConfigLoader, YamlSyntaxErrorHasLocation) {
  auto r = load_string("server:\n  sip_port: [5060\n", "c.yml", env_from({}));
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.diagnostics.errors().size(), 1u);
  EXPECT_THAT(r.diagnostics.errors()[0].format(), HasSubstr("c.yml:3:1: YAML syntax error"));
}

TEST(ConfigLoader, DuplicateKeyIsAnError) {
  auto r = load_string("server:\n  sip_port: 5060\n  sip_port: 5070\n", "c.yml", env_from({}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.diagnostics.errors()[0].format(), "c.yml:3:3: server.sip_port: duplicate key");
}

TEST(ConfigLoader, CrossReferencesAreChecked) {
  std::string text = std::string(kMinimal) + R"yaml(features:
  operator_console:
    enabled: true
    operator_extensions: ['1000']
queues:
- number: '8001'
  strategy: fastest
  agents: ['1001', '1999']
)yaml";
  auto r = load_string(text, "c.yml", env_from({}));
  ASSERT_FALSE(r.ok());
  std::string all = all_messages(r);
  EXPECT_THAT(all, HasSubstr("queues[0].strategy: 'fastest' is not one of: ring_all"));
  EXPECT_THAT(all, HasSubstr("operator_extensions[0]: extension 1000 is not defined"));
  EXPECT_THAT(all, HasSubstr("queues[0].agents[1]: extension 1999 is not defined"));
}

TEST(ConfigLoader, RangesAndFormats) {
  const char* text = R"yaml(server:
  rtp_port_range_start: 20000
  rtp_port_range_end: 10000
voicemail:
  reminders:
    time: "25:00"
features:
  paging:
    zones:
      lobby:
        multicast_address: 10.0.0.1
database:
  url: mysql://x
)yaml";
  auto r = load_string(text, "c.yml", env_from({}));
  ASSERT_FALSE(r.ok());
  std::string all = all_messages(r);
  EXPECT_THAT(all, HasSubstr("server.rtp_port_range_end: must be greater"));
  EXPECT_THAT(all, HasSubstr("voicemail.reminders.time: expected HH:MM"));
  EXPECT_THAT(
      all, HasSubstr("features.paging.zones.lobby.multicast_address: expected an IPv4 multicast"));
  EXPECT_THAT(all, HasSubstr("database.url: expected postgresql://"));
  EXPECT_EQ(all.find("mysql://x"), std::string::npos);
}

TEST(ConfigLoader, TonesRegionOfIssue6) {
  auto defaults = load_string(kMinimal, "c.yml", env_from({}));
  ASSERT_TRUE(defaults.ok()) << all_messages(defaults);
  EXPECT_EQ(defaults.config->features.tones.region, "us");
  auto eu = load_string(std::string(kMinimal) + "features:\n  tones:\n    region: eu\n", "c.yml",
                        env_from({}));
  ASSERT_TRUE(eu.ok()) << all_messages(eu);
  EXPECT_EQ(eu.config->features.tones.region, "eu");
  auto bad = load_string(std::string(kMinimal) + "features:\n  tones:\n    region: uk\n", "c.yml",
                         env_from({}));
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(all_messages(bad), HasSubstr("features.tones.region: 'uk' is not one of: us, eu"));
}

TEST(ConfigLoader, RecordingKeysOfIssue7) {
  auto defaults = load_string(kMinimal, "c.yml", env_from({}));
  ASSERT_TRUE(defaults.ok()) << all_messages(defaults);
  EXPECT_FALSE(defaults.config->recording.auto_record);
  EXPECT_FALSE(defaults.config->recording.stereo);
  EXPECT_EQ(defaults.config->recording.format, "wav");
  EXPECT_EQ(defaults.config->extensions.at(0).record, "default");
  const std::string with_record = R"yaml(server:
  sip_port: 5060
extensions:
- number: '1001'
  password: Correct-Horse-1
  record: never
- number: '1002'
  password: Correct-Horse-2
  record: always
recording:
  auto_record: true
  storage_path: /var/rec
  format: wav
  stereo: true
)yaml";
  auto on = load_string(with_record, "c.yml", env_from({}));
  ASSERT_TRUE(on.ok()) << all_messages(on);
  EXPECT_TRUE(on.config->recording.auto_record);
  EXPECT_TRUE(on.config->recording.stereo);
  EXPECT_EQ(on.config->recording.storage_path, "/var/rec");
  EXPECT_EQ(on.config->extensions.at(0).record, "never");
  EXPECT_EQ(on.config->extensions.at(1).record, "always");
  // Only WAV, and the extension's choice is one of three; errors name the place.
  auto mp3 =
      load_string(std::string(kMinimal) + "recording:\n  format: mp3\n", "c.yml", env_from({}));
  ASSERT_FALSE(mp3.ok());
  EXPECT_THAT(all_messages(mp3),
              HasSubstr("c.yml:10:11: recording.format: 'mp3' is not one of: wav"));
  std::string bad_ext = with_record;
  bad_ext.replace(bad_ext.find("record: never"), 13, "record: sometimes");
  auto bad = load_string(bad_ext, "c.yml", env_from({}));
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(
      all_messages(bad),
      HasSubstr(
          "c.yml:6:11: extensions[0].record: 'sometimes' is not one of: always, never, default"));
  auto stereo =
      load_string(std::string(kMinimal) + "recording:\n  stereo: both\n", "c.yml", env_from({}));
  ASSERT_FALSE(stereo.ok());
  EXPECT_THAT(all_messages(stereo), HasSubstr("recording.stereo"));
}

TEST(ConfigLoader, MwiUnsolicitedNotifyOfIssue8) {
  auto defaults = load_string(kMinimal, "c.yml", env_from({}));
  ASSERT_TRUE(defaults.ok()) << all_messages(defaults);
  EXPECT_FALSE(defaults.config->voicemail.mwi.unsolicited_notify);
  auto on =
      load_string(std::string(kMinimal) + "voicemail:\n  mwi:\n    unsolicited_notify: true\n",
                  "c.yml", env_from({}));
  ASSERT_TRUE(on.ok()) << all_messages(on);
  EXPECT_TRUE(on.config->voicemail.mwi.unsolicited_notify);
  auto bad =
      load_string(std::string(kMinimal) + "voicemail:\n  mwi:\n    unsolicited_notify: maybe\n",
                  "c.yml", env_from({}));
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(all_messages(bad), HasSubstr("voicemail.mwi.unsolicited_notify"));
}

TEST(ConfigLoader, RtpTimeoutOfIssue5) {
  auto defaults = load_string(kMinimal, "c.yml", env_from({}));
  ASSERT_TRUE(defaults.ok()) << all_messages(defaults);
  EXPECT_EQ(defaults.config->server.rtp_timeout, 30);
  auto off = load_string("server:\n  rtp_timeout: 0\n" + std::string(kMinimal).substr(8), "c.yml",
                         env_from({}));
  ASSERT_TRUE(off.ok()) << all_messages(off);
  EXPECT_EQ(off.config->server.rtp_timeout, 0);
  auto bad = load_string("server:\n  rtp_timeout: -5\n" + std::string(kMinimal).substr(8), "c.yml",
                         env_from({}));
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(all_messages(bad), HasSubstr("c.yml:2:16: server.rtp_timeout"));
}

TEST(ConfigLoader, EmptyAndUnreadableFiles) {
  EXPECT_FALSE(load_string("", "e.yml", env_from({})).ok());
  auto r = load_file("/nonexistent/dir/c.yml", env_from({}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.diagnostics.errors()[0].format(), "/nonexistent/dir/c.yml: cannot read the file");
}

TEST(ConfigLoader, RegistrarAndSecurityKeysOfIssue4) {
  std::string text = std::string(kMinimal) + R"yaml(security:
  max_failed_attempts: 4
  ban_duration: 600
  failure_window: 120
  digest_algorithms: [SHA-256, MD5]
  ip_allow_list: [10.0.0.0/8, '2001:db8::/32', 192.0.2.7]
  rate_limit_per_second: 20
  rate_limit_burst: 40
registrar:
  min_expires: 30
  max_expires: 7200
  default_expires: 600
  max_contacts: 4
  keepalive_interval: 15
  keepalive_misses: 2
)yaml";
  text.replace(text.find("  sip_port: 5060\n"), 16,
               "  sip_port: 5060\n  sip_domain: pbx.example.com\n");
  auto r = load_string(text, "c.yml");
  ASSERT_TRUE(r.ok()) << all_messages(r);
  EXPECT_TRUE(r.diagnostics.warnings().empty()) << all_messages(r);
  const Config& c = *r.config;
  EXPECT_EQ(c.server.sip_domain, "pbx.example.com");
  EXPECT_EQ(c.server.effective_sip_domain(), "pbx.example.com");
  EXPECT_EQ(c.security.ip_allow_list,
            (std::vector<std::string>{"10.0.0.0/8", "2001:db8::/32", "192.0.2.7"}));
  EXPECT_EQ(c.security.failure_window, 120);
  EXPECT_EQ(c.security.digest_algorithms, (std::vector<std::string>{"SHA-256", "MD5"}));
  EXPECT_EQ(c.security.rate_limit_per_second, 20);
  EXPECT_EQ(c.security.rate_limit_burst, 40);
  EXPECT_EQ(c.registrar.min_expires, 30);
  EXPECT_EQ(c.registrar.max_expires, 7200);
  EXPECT_EQ(c.registrar.default_expires, 600);
  EXPECT_EQ(c.registrar.max_contacts, 4);
  EXPECT_EQ(c.registrar.keepalive_interval, 15);
  EXPECT_EQ(c.registrar.keepalive_misses, 2);
}

TEST(ConfigLoader, SipDomainDefaultsToExternalIpThenSipHost) {
  ServerConfig s;
  EXPECT_EQ(s.effective_sip_domain(), "switchboard");  // 0.0.0.0 is no name
  s.sip_host = "192.0.2.10";
  EXPECT_EQ(s.effective_sip_domain(), "192.0.2.10");
  s.external_ip = "203.0.113.5";
  EXPECT_EQ(s.effective_sip_domain(), "203.0.113.5");
  s.sip_domain = "pbx.example.com";
  EXPECT_EQ(s.effective_sip_domain(), "pbx.example.com");
}

TEST(ConfigLoader, BadAllowListAndExpiryBoundsAreErrors) {
  auto r = load_string(std::string(kMinimal) + R"yaml(security:
  ip_allow_list: [10.0.0.0/33, not-an-ip]
  digest_algorithms: [MD5, SHA-1]
registrar:
  min_expires: 600
  max_expires: 60
)yaml",
                       "c.yml");
  ASSERT_FALSE(r.ok());
  const std::string all = all_messages(r);
  EXPECT_THAT(all, HasSubstr("security.ip_allow_list[0]"));
  EXPECT_THAT(all, HasSubstr("\"10.0.0.0/33\" is not an IPv4/IPv6 address or CIDR block"));
  EXPECT_THAT(all, HasSubstr("security.ip_allow_list[1]"));
  EXPECT_THAT(all, HasSubstr("security.digest_algorithms[1]: expected MD5 or SHA-256"));
  EXPECT_THAT(all, HasSubstr("registrar.max_expires"));
  EXPECT_THAT(all, HasSubstr("registrar.default_expires"));
}

}  // namespace
}  // namespace switchboard::app::config

namespace switchboard::app::config {
namespace {

TEST(ConfigLoader, VoicemailMainNumberSmtpSecurityAndDeleteAfterEmail) {
  auto defaults = load_string(kMinimal, "c.yml", env_from({}));
  ASSERT_TRUE(defaults.ok()) << all_messages(defaults);
  EXPECT_EQ(defaults.config->voicemail.main_number, "");
  EXPECT_EQ(defaults.config->voicemail.smtp.security, "auto");
  EXPECT_FALSE(defaults.config->voicemail.email.delete_after_email);
  auto set = load_string(std::string(kMinimal) +
                             "voicemail:\n  main_number: '8500'\n  smtp:\n    host: mx\n"
                             "    security: tls\n    ca_file: /etc/ca.pem\n  email:\n"
                             "    delete_after_email: true\n",
                         "c.yml", env_from({}));
  ASSERT_TRUE(set.ok()) << all_messages(set);
  EXPECT_EQ(set.config->voicemail.main_number, "8500");
  EXPECT_EQ(set.config->voicemail.smtp.security, "tls");
  EXPECT_EQ(set.config->voicemail.smtp.ca_file, "/etc/ca.pem");
  EXPECT_TRUE(set.config->voicemail.email.delete_after_email);
  auto bad = load_string(std::string(kMinimal) +
                             "voicemail:\n  main_number: 85x0\n  smtp:\n    host: mx\n"
                             "    security: ssl\n",
                         "c.yml", env_from({}));
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(all_messages(bad), HasSubstr("voicemail.main_number"));
  EXPECT_THAT(all_messages(bad), HasSubstr("voicemail.smtp.security"));
}

TEST(ConfigLoader, ConferenceRoomsOfIssue7) {
  auto defaults = load_string(kMinimal, "c.yml", env_from({}));
  ASSERT_TRUE(defaults.ok()) << all_messages(defaults);
  EXPECT_TRUE(defaults.config->conference.rooms.empty());
  EXPECT_EQ(defaults.config->conference.max_participants, 50);
  auto set = load_string(std::string(kMinimal) +
                             "conference:\n  max_participants: 10\n  record_conferences: true\n"
                             "  rooms:\n  - number: '2001'\n    name: Board\n"
                             "    pin: '4321'\n    moderator_pin: '8765'\n"
                             "  - number: '2002'\n",
                         "c.yml", env_from({}));
  ASSERT_TRUE(set.ok()) << all_messages(set);
  const auto& c = set.config->conference;
  EXPECT_EQ(c.max_participants, 10);
  EXPECT_TRUE(c.record_conferences);
  ASSERT_EQ(c.rooms.size(), 2u);
  EXPECT_EQ(c.rooms[0].number, "2001");
  EXPECT_EQ(c.rooms[0].name, "Board");
  EXPECT_EQ(c.rooms[0].pin.reveal(), "4321");
  EXPECT_EQ(c.rooms[0].moderator_pin.reveal(), "8765");
  EXPECT_TRUE(c.rooms[1].pin.empty());
  EXPECT_TRUE(c.rooms[1].moderator_pin.empty());

  const std::string bad_text = std::string(kMinimal) +
                               "conference:\n  rooms:\n"
                               "  - number: '2001'\n    pin: 12ab\n"   // line 11..12
                               "  - number: '2001'\n"                  // line 13
                               "  - number: '3001'\n"                  // line 14
                               "  - number: '2003'\n    pin: '1111'\n"  // line 15..16
                               "    moderator_pin: '1111'\n"           // line 17
                               "  - name: no number\n";                // line 18
  auto bad = load_string(bad_text, "c.yml", env_from({}));
  ASSERT_FALSE(bad.ok());
  auto errors = bad.diagnostics.errors();
  ASSERT_EQ(errors.size(), 5u) << all_messages(bad);
  EXPECT_EQ(errors[0].path, "conference.rooms[0].pin");
  EXPECT_EQ(errors[0].line, 12);
  EXPECT_EQ(errors[0].column, 10);
  EXPECT_EQ(errors[0].message, "expected 1 to 12 digits");
  EXPECT_EQ(errors[1].path, "conference.rooms[1].number");
  EXPECT_EQ(errors[1].line, 13);
  EXPECT_THAT(errors[1].message, HasSubstr("duplicate room 2001"));
  EXPECT_EQ(errors[2].format(),
            "c.yml:14:13: conference.rooms[2].number: room 3001 does not match "
            "dialplan.conference_pattern");
  EXPECT_EQ(errors[3].path, "conference.rooms[3].moderator_pin");
  EXPECT_EQ(errors[3].line, 17);
  EXPECT_THAT(errors[3].message, HasSubstr("must differ from pin"));
  EXPECT_EQ(errors[4].path, "conference.rooms[4].number");
  // The PIN never appears in a message.
  EXPECT_EQ(all_messages(bad).find("12ab"), std::string::npos);
}

}  // namespace
}  // namespace switchboard::app::config
