// server, api, extensions, dialplan, security, logging.
#include <fmt/format.h>

#include <boost/asio/ip/address.hpp>
#include <charconv>
#include <regex>
#include <set>

#include "app/config/sections.hpp"
#include "common/log.hpp"

namespace switchboard::app::config {
namespace {

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

/// Why a password is too weak, or empty when it is acceptable. Never includes
/// the password itself.
std::string password_weakness(const std::string& pw, const SecurityConfig& sec) {
  if (static_cast<int>(pw.size()) < sec.min_password_length) {
    return fmt::format("password is shorter than security.min_password_length ({})",
                       sec.min_password_length);
  }
  if (sec.require_strong_passwords) {
    bool lower = false, upper = false, digit = false, other = false;
    for (unsigned char c : pw) {
      if (std::islower(c))
        lower = true;
      else if (std::isupper(c))
        upper = true;
      else if (std::isdigit(c))
        digit = true;
      else
        other = true;
    }
    if (lower + upper + digit + other < 3) {
      return "password is weak (security.require_strong_passwords needs three of: lower case, "
             "upper case, digits, symbols)";
    }
  }
  return {};
}

void check_regex(Section& s, const char* key, const std::string& pattern) {
  if (pattern.empty()) return;
  try {
    std::regex re(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    s.context().error(s.mark_of(key), s.path_of(key),
                      fmt::format("invalid regular expression: {}", e.what()));
  }
}

bool valid_cidr(const std::string& entry) {
  const auto slash = entry.find('/');
  boost::system::error_code ec;
  const auto addr = boost::asio::ip::make_address(entry.substr(0, slash), ec);
  if (ec) return false;
  if (slash == std::string::npos) return true;
  const std::string bits = entry.substr(slash + 1);
  int n = -1;
  auto [p, err] = std::from_chars(bits.data(), bits.data() + bits.size(), n);
  return err == std::errc() && p == bits.data() + bits.size() && n >= 0 &&
         n <= (addr.is_v4() ? 32 : 128);
}

}  // namespace

void parse_server(Section& s, ServerConfig& out) {
  s.str("sip_host", out.sip_host);
  s.port("sip_port", out.sip_port);
  s.str("external_ip", out.external_ip);
  bool a = s.port("rtp_port_range_start", out.rtp_port_range_start);
  bool b = s.port("rtp_port_range_end", out.rtp_port_range_end);
  if ((a || b) && out.rtp_port_range_end <= out.rtp_port_range_start) {
    s.context().error(s.mark_of("rtp_port_range_end"), s.path_of("rtp_port_range_end"),
                      "must be greater than rtp_port_range_start");
  }
  s.integer("rtp_timeout", out.rtp_timeout, 0, 3600);
  s.str("server_name", out.server_name);
  s.str("version", out.version);
  s.port("sip_tls_port", out.sip_tls_port);
  s.str("sip_domain", out.sip_domain);
  s.integer("sip_dscp", out.sip_dscp, -1, 63);
  if (auto t = s.child("sip_timers"); t.present()) {
    t.integer("t1", out.sip_t1_ms, 50, 10000);
    t.integer("t2", out.sip_t2_ms, 500, 60000);
    t.integer("t4", out.sip_t4_ms, 500, 60000);
    if (out.sip_t2_ms < out.sip_t1_ms) {
      t.context().error(t.mark_of("t2"), t.path_of("t2"), "must not be below t1");
    }
    t.finish_unknown_keys();
  }
  s.finish_unknown_keys();
}

void parse_api(Section& s, ApiConfig& out) {
  s.str("host", out.host);
  s.port("port", out.port);
  s.boolean("enable_cors", out.enable_cors);
  s.str_list("cors_origins", out.cors_origins);
  s.str("tls_cert_file", out.tls_cert_file);
  s.str("tls_key_file", out.tls_key_file);
  if (out.tls_cert_file.empty() != out.tls_key_file.empty()) {
    s.context().error(s.mark(), s.path(), "tls_cert_file and tls_key_file go together");
  }
  s.finish_unknown_keys();
}

void parse_extensions(Section& root, const SecurityConfig& security,
                      std::vector<ExtensionConfig>& out) {
  std::set<std::string> seen;
  root.each_item("extensions", [&](Section& s, size_t) {
    ExtensionConfig ext;
    if (s.str("number", ext.number, Need::kRequired)) {
      if (!all_digits(ext.number) || ext.number.size() > 15) {
        s.context().error(s.mark_of("number"), s.path_of("number"), "expected 1 to 15 digits");
      } else if (!seen.insert(ext.number).second) {
        s.context().error(s.mark_of("number"), s.path_of("number"),
                          fmt::format("duplicate extension {}", ext.number));
      }
    }
    s.str("name", ext.name);
    if (ext.name.empty()) ext.name = ext.number;
    if (s.secret("password", ext.password, Need::kRequired)) {
      if (auto why = password_weakness(ext.password.reveal(), security); !why.empty()) {
        s.context().error(s.mark_of("password"), s.path_of("password"), why);
      }
    }
    s.boolean("allow_external", ext.allow_external);
    s.str("email", ext.email);
    s.one_of("record", ext.record, {"always", "never", "default"});
    if (!ext.email.empty() && ext.email.find('@') == std::string::npos) {
      s.context().error(s.mark_of("email"), s.path_of("email"), "expected an email address");
    }
    if (s.secret("voicemail_pin", ext.voicemail_pin)) {
      const auto& pin = ext.voicemail_pin.reveal();
      if (!all_digits(pin) || pin.size() < 4 || pin.size() > 12) {
        s.context().error(s.mark_of("voicemail_pin"), s.path_of("voicemail_pin"),
                          "expected 4 to 12 digits");
      }
    }
    parse_forward(s, ext.forward);  // issue 7 §3
    out.push_back(std::move(ext));
  });
}

void parse_dialplan(Section& s, DialplanConfig& out) {
  for (auto [key, field] : {std::pair{"internal_pattern", &out.internal_pattern},
                            std::pair{"conference_pattern", &out.conference_pattern},
                            std::pair{"voicemail_pattern", &out.voicemail_pattern},
                            std::pair{"parking_pattern", &out.parking_pattern},
                            std::pair{"queue_pattern", &out.queue_pattern},
                            std::pair{"external_pattern", &out.external_pattern}}) {
    if (s.str(key, *field)) check_regex(s, key, *field);
  }
  s.finish_unknown_keys();
}

void parse_security(Section& s, SecurityConfig& out) {
  s.boolean("require_authentication", out.require_authentication);
  s.integer("max_failed_attempts", out.max_failed_attempts, 1, 1000);
  s.integer("ban_duration", out.ban_duration, 0, 86400 * 365);
  s.boolean("fips_mode", out.fips_mode);
  s.boolean("enable_tls", out.enable_tls);
  s.str("tls_cert_file", out.tls_cert_file);
  s.str("tls_key_file", out.tls_key_file);
  if (out.enable_tls) {
    for (const char* key : {"tls_cert_file", "tls_key_file"}) {
      const std::string& v =
          std::string_view(key) == "tls_cert_file" ? out.tls_cert_file : out.tls_key_file;
      if (v.empty()) {
        s.context().error(s.mark_of(key), s.path_of(key), "required when enable_tls is true");
      }
    }
  }
  s.boolean("enable_srtp", out.enable_srtp);
  s.integer("min_password_length", out.min_password_length, 1, 256);
  s.boolean("require_strong_passwords", out.require_strong_passwords);
  if (s.str_list("ip_allow_list", out.ip_allow_list)) {
    for (size_t i = 0; i < out.ip_allow_list.size(); ++i) {
      if (!valid_cidr(out.ip_allow_list[i])) {
        s.context().error(
            s.mark_of("ip_allow_list"), fmt::format("{}[{}]", s.path_of("ip_allow_list"), i),
            fmt::format("\"{}\" is not an IPv4/IPv6 address or CIDR block", out.ip_allow_list[i]));
      }
    }
  }
  if (s.str_list("digest_algorithms", out.digest_algorithms)) {
    if (out.digest_algorithms.empty()) {
      s.context().error(s.mark_of("digest_algorithms"), s.path_of("digest_algorithms"),
                        "at least one algorithm is needed");
    }
    for (size_t i = 0; i < out.digest_algorithms.size(); ++i) {
      if (out.digest_algorithms[i] != "MD5" && out.digest_algorithms[i] != "SHA-256") {
        s.context().error(s.mark_of("digest_algorithms"),
                          fmt::format("{}[{}]", s.path_of("digest_algorithms"), i),
                          "expected MD5 or SHA-256");
      }
    }
  }
  s.integer("failure_window", out.failure_window, 1, 86400);
  s.integer("rate_limit_per_second", out.rate_limit_per_second, 0, 1000000);
  s.integer("rate_limit_burst", out.rate_limit_burst, 1, 1000000);
  s.finish_unknown_keys();
}

void parse_registrar(Section& s, RegistrarConfig& out) {
  s.integer("min_expires", out.min_expires, 1, 86400);
  s.integer("max_expires", out.max_expires, 1, 86400 * 7);
  s.integer("default_expires", out.default_expires, 1, 86400 * 7);
  if (out.max_expires < out.min_expires) {
    s.context().error(s.mark_of("max_expires"), s.path_of("max_expires"),
                      "must not be below min_expires");
  }
  if (out.default_expires < out.min_expires || out.default_expires > out.max_expires) {
    s.context().error(s.mark_of("default_expires"), s.path_of("default_expires"),
                      "must lie between min_expires and max_expires");
  }
  s.integer("max_contacts", out.max_contacts, 1, 100);
  s.integer("keepalive_interval", out.keepalive_interval, 0, 3600);
  s.integer("keepalive_misses", out.keepalive_misses, 1, 100);
  s.finish_unknown_keys();
}

void parse_logging(Section& s, LoggingConfig& out) {
  if (s.str("level", out.level) && !log::parse_level(out.level).ok()) {
    s.context().error(s.mark_of("level"), s.path_of("level"),
                      log::parse_level(out.level).error().message);
  }
  s.str("file", out.file);
  s.boolean("console", out.console);
  s.boolean("json", out.json);
  if (s.str_map("components", out.components)) {
    for (const auto& [name, level] : out.components) {
      if (!log::parse_level(level).ok()) {
        s.context().error(s.mark_of("components"), s.path_of("components") + "." + name,
                          log::parse_level(level).error().message);
      }
    }
  }
  s.finish_unknown_keys();
}

}  // namespace switchboard::app::config
