// One parse function per top-level block of config.yml. Each reads its keys,
// validates what it can see locally, and warns about unknown keys.
#pragma once

#include "app/config/config.hpp"
#include "app/config/yaml_reader.hpp"

namespace switchboard::app::config {

void parse_server(Section& s, ServerConfig& out);
void parse_api(Section& s, ApiConfig& out);
void parse_extensions(Section& root, const SecurityConfig& security,
                      std::vector<ExtensionConfig>& out);
void parse_dialplan(Section& s, DialplanConfig& out);
void parse_features(Section& s, FeaturesConfig& out);
void parse_recording(Section& s, RecordingConfig& out);
void parse_voicemail(Section& s, VoicemailConfig& out);
/// `conference_pattern` (dialplan, parsed before): every room must match it.
void parse_conference(Section& s, ConferenceConfig& out, const std::string& conference_pattern);
void parse_queues(Section& root, std::vector<QueueConfig>& out);
void parse_parking(Section& s, ParkingConfig& out);
void parse_presence(Section& s, PresenceConfig& out);
void parse_music_on_hold(Section& s, MusicOnHoldConfig& out);
void parse_logging(Section& s, LoggingConfig& out);
void parse_security(Section& s, SecurityConfig& out);
void parse_registrar(Section& s, RegistrarConfig& out);
void parse_provisioning(Section& s, ProvisioningConfig& out);
void parse_trunks(Section& root, std::vector<TrunkConfig>& out);
void parse_database(Section& s, DatabaseConfig& out);
void parse_integrations(Section& s, IntegrationsConfig& out);

/// extensions[].forward and features.forwarding_codes (sections_forwarding.cpp).
void parse_forward(Section& extension, ForwardConfig& out);
void parse_forwarding_codes(Section& s, ForwardingCodesConfig& out);
/// features.call_codes (sections_callcodes.cpp).
void parse_call_codes(Section& s, CallCodesConfig& out);
/// Forwarding targets against the dialplan, extensions, queues and
/// allow_external (needs the whole config).
void validate_forwarding(Context& ctx, const Config& config);

/// Checks that span blocks (operator extensions exist, queue agents exist …).
void validate_cross_references(Section& root, const Config& config);

}  // namespace switchboard::app::config
