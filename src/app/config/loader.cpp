#include "app/config/loader.hpp"

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "app/config/sections.hpp"

namespace switchboard::app::config {

std::string ServerConfig::effective_sip_domain() const {
  if (!sip_domain.empty()) return sip_domain;
  if (!external_ip.empty()) return external_ip;
  if (sip_host == "0.0.0.0" || sip_host == "::" || sip_host.empty()) return "switchboard";
  return sip_host;
}

const ExtensionConfig* Config::find_extension(const std::string& number) const {
  for (const auto& e : extensions) {
    if (e.number == number) return &e;
  }
  return nullptr;
}

void validate_cross_references(Section& root, const Config& c) {
  std::set<std::string> numbers;
  for (const auto& e : c.extensions) numbers.insert(e.number);
  auto& ctx = root.context();

  auto require_extension = [&](const std::string& number, const std::string& path,
                               YAML::Mark mark) {
    if (!numbers.count(number)) {
      ctx.error(mark, path, fmt::format("extension {} is not defined in extensions", number));
    }
  };
  const auto& oc = c.features.operator_console;
  for (size_t i = 0; i < oc.operator_extensions.size(); ++i) {
    require_extension(oc.operator_extensions[i],
                      fmt::format("features.operator_console.operator_extensions[{}]", i),
                      root.mark_of("features"));
  }
  for (size_t q = 0; q < c.queues.size(); ++q) {
    for (size_t a = 0; a < c.queues[q].agents.size(); ++a) {
      require_extension(c.queues[q].agents[a], fmt::format("queues[{}].agents[{}]", q, a),
                        root.mark_of("queues"));
    }
  }
  for (size_t d = 0; d < c.provisioning.devices.size(); ++d) {
    require_extension(c.provisioning.devices[d].extension,
                      fmt::format("provisioning.devices[{}].extension", d),
                      root.mark_of("provisioning"));
  }
  // An extension the internal pattern cannot reach is almost always a mistake,
  // but not fatal: it can still be called through forwarding or the API.
  try {
    std::regex internal(c.dialplan.internal_pattern);
    for (size_t i = 0; i < c.extensions.size(); ++i) {
      if (!std::regex_match(c.extensions[i].number, internal)) {
        ctx.warning(root.mark_of("extensions"), fmt::format("extensions[{}].number", i),
                    fmt::format("extension {} does not match dialplan.internal_pattern",
                                c.extensions[i].number));
      }
    }
  } catch (const std::regex_error&) {
    // already reported by parse_dialplan
  }
}

LoadResult load_string(const std::string& text, const std::string& file, const EnvLookup& env) {
  LoadResult result;
  Context ctx(file, result.diagnostics, env);
  YAML::Node doc;
  try {
    doc = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    ctx.error(e.mark, "", "YAML syntax error: " + e.msg);
    return result;
  }
  Config c;
  c.source_file = file;
  Section root(ctx, doc, "", YAML::Mark());
  if (!root.present()) {
    if (!doc.IsDefined() || doc.IsNull()) ctx.error(YAML::Mark(), "", "the file is empty");
    return result;
  }
  // security first: extension password rules depend on it.
  if (auto s = root.child("security"); s.present()) parse_security(s, c.security);
  if (auto s = root.child("server"); s.present()) parse_server(s, c.server);
  if (auto s = root.child("api"); s.present()) parse_api(s, c.api);
  parse_extensions(root, c.security, c.extensions);
  if (auto s = root.child("dialplan"); s.present()) parse_dialplan(s, c.dialplan);
  if (auto s = root.child("features"); s.present()) parse_features(s, c.features);
  if (auto s = root.child("recording"); s.present()) parse_recording(s, c.recording);
  if (auto s = root.child("voicemail"); s.present()) parse_voicemail(s, c.voicemail);
  if (auto s = root.child("conference"); s.present()) parse_conference(s, c.conference, c.dialplan.conference_pattern);
  parse_queues(root, c.queues);
  if (auto s = root.child("parking"); s.present()) parse_parking(s, c.parking);
  if (auto s = root.child("presence"); s.present()) parse_presence(s, c.presence);
  if (auto s = root.child("music_on_hold"); s.present()) parse_music_on_hold(s, c.music_on_hold);
  if (auto s = root.child("logging"); s.present()) parse_logging(s, c.logging);
  if (auto s = root.child("registrar"); s.present()) parse_registrar(s, c.registrar);
  if (auto s = root.child("provisioning"); s.present()) parse_provisioning(s, c.provisioning);
  parse_trunks(root, c.trunks);
  if (auto s = root.child("database"); s.present()) parse_database(s, c.database);
  if (auto s = root.child("integrations"); s.present()) parse_integrations(s, c.integrations);
  root.finish_unknown_keys();
  validate_cross_references(root, c);
  validate_forwarding(ctx, c);  // issue 7 §3
  result.diagnostics.sort_by_position();

  if (!result.diagnostics.has_errors()) result.config = std::move(c);
  return result;
}

LoadResult load_file(const std::string& path, const EnvLookup& env) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    LoadResult result;
    result.diagnostics.error(path, 0, 0, "", "cannot read the file");
    return result;
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  return load_string(buf.str(), path, env);
}

}  // namespace switchboard::app::config
