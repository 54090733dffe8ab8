// voicemail.*, provisioning, trunks, database.
#include <fmt/format.h>

#include "app/config/sections.hpp"

namespace switchboard::app::config {
namespace {

bool valid_hhmm(const std::string& t) {
  if (t.size() != 5 || t[2] != ':') return false;
  for (size_t i : {0u, 1u, 3u, 4u}) {
    if (t[i] < '0' || t[i] > '9') return false;
  }
  int h = (t[0] - '0') * 10 + (t[1] - '0');
  int m = (t[3] - '0') * 10 + (t[4] - '0');
  return h < 24 && m < 60;
}

bool valid_mac(std::string mac) {
  std::string hex;
  for (char c : mac) {
    if (c == ':' || c == '-' || c == '.') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    hex += c;
  }
  return hex.size() == 12;
}

}  // namespace

void parse_voicemail(Section& s, VoicemailConfig& out) {
  s.str("storage_path", out.storage_path);
  s.integer("max_message_duration", out.max_message_duration, 1, 3600);
  s.boolean("email_notifications", out.email_notifications);
  s.integer("no_answer_timeout", out.no_answer_timeout, 1, 600);
  if (s.str("main_number", out.main_number) &&
      out.main_number.find_first_not_of("0123456789*#") != std::string::npos) {
    s.context().error(s.mark_of("main_number"), s.path_of("main_number"),
                      "expected digits, * or #");
  }
  if (auto ivr = s.child("ivr"); ivr.present()) {
    ivr.boolean("enabled", out.ivr.enabled);
    ivr.str("prompts_path", out.ivr.prompts_path);
    ivr.integer("pin_attempts", out.ivr.pin_attempts, 1, 10);
    ivr.integer("menu_timeout", out.ivr.menu_timeout, 1, 120);
    ivr.integer("inter_digit_timeout", out.ivr.inter_digit_timeout, 1, 60);
    ivr.finish_unknown_keys();
  }
  if (auto smtp = s.child("smtp"); smtp.present()) {
    smtp.str("host", out.smtp.host, Need::kRequired);
    smtp.port("port", out.smtp.port);
    smtp.boolean("use_tls", out.smtp.use_tls);
    if (smtp.str("security", out.smtp.security) && out.smtp.security != "auto" &&
        out.smtp.security != "starttls" && out.smtp.security != "tls" &&
        out.smtp.security != "none") {
      smtp.context().error(smtp.mark_of("security"), smtp.path_of("security"),
                           "expected auto, starttls, tls or none");
    }
    smtp.str("ca_file", out.smtp.ca_file);
    smtp.str("username", out.smtp.username);
    smtp.secret("password", out.smtp.password);
    smtp.finish_unknown_keys();
  }
  if (auto email = s.child("email"); email.present()) {
    Need need = out.email_notifications ? Need::kRequired : Need::kOptional;
    if (email.str("from_address", out.email.from_address, need) &&
        out.email.from_address.find('@') == std::string::npos) {
      email.context().error(email.mark_of("from_address"), email.path_of("from_address"),
                            "expected an email address");
    }
    email.str("from_name", out.email.from_name);
    email.str("subject_template", out.email.subject_template);
    email.boolean("include_attachment", out.email.include_attachment);
    email.boolean("send_immediately", out.email.send_immediately);
    email.boolean("delete_after_email", out.email.delete_after_email);
    email.finish_unknown_keys();
  }
  if (auto r = s.child("reminders"); r.present()) {
    r.boolean("enabled", out.reminders.enabled);
    if (r.str("time", out.reminders.time) && !valid_hhmm(out.reminders.time)) {
      r.context().error(r.mark_of("time"), r.path_of("time"), "expected HH:MM (24-hour)");
    }
    r.boolean("unread_only", out.reminders.unread_only);
    r.finish_unknown_keys();
  }
  if (auto mwi = s.child("mwi"); mwi.present()) {
    mwi.boolean("unsolicited_notify", out.mwi.unsolicited_notify);
    mwi.finish_unknown_keys();
  }
  s.finish_unknown_keys();
}

void parse_provisioning(Section& s, ProvisioningConfig& out) {
  s.boolean("enabled", out.enabled);
  s.str("url_format", out.url_format);
  s.str("custom_templates_dir", out.custom_templates_dir);
  s.each_item("devices", [&](Section& d, size_t) {
    ProvisioningDeviceConfig dev;
    if (d.str("mac", dev.mac, Need::kRequired) && !valid_mac(dev.mac)) {
      d.context().error(d.mark_of("mac"), d.path_of("mac"), "expected a MAC address");
    }
    d.str("extension", dev.extension, Need::kRequired);
    d.str("model", dev.model);
    out.devices.push_back(std::move(dev));
  });
  s.finish_unknown_keys();
}

void parse_trunks(Section& root, std::vector<TrunkConfig>& out) {
  root.each_item("trunks", [&](Section& s, size_t) {
    TrunkConfig t;
    s.str("name", t.name, Need::kRequired);
    s.str("host", t.host, Need::kRequired);
    s.port("port", t.port);
    s.one_of("transport", t.transport, {"udp", "tcp", "tls"});
    s.str("username", t.username);
    s.secret("password", t.password);
    s.boolean("register", t.register_);
    s.str_list("outbound_patterns", t.outbound_patterns);
    s.integer("strip_digits", t.strip_digits, 0, 32);
    s.str("prepend", t.prepend);
    s.integer("max_channels", t.max_channels, 0, 100000);
    s.integer("priority", t.priority, 0, 1000);
    out.push_back(std::move(t));
  });
}

void parse_database(Section& s, DatabaseConfig& out) {
  if (s.secret("url", out.url)) {
    const auto& url = out.url.reveal();
    if (url.rfind("postgresql://", 0) != 0 && url.rfind("postgres://", 0) != 0 &&
        url.rfind("sqlite:", 0) != 0) {
      s.context().error(s.mark_of("url"), s.path_of("url"),
                        "expected postgresql://… or sqlite:PATH");
    }
  }
  s.str("path", out.path);
  if (auto v = s.child("vip_callers"); v.present()) {
    VipDatabaseConfig vip;
    v.str("host", vip.host, Need::kRequired);
    v.port("port", vip.port);
    v.str("database", vip.database, Need::kRequired);
    v.str("username", vip.username);
    v.secret("password", vip.password);
    v.finish_unknown_keys();
    out.vip_callers = std::move(vip);
  }
  s.finish_unknown_keys();
}

}  // namespace switchboard::app::config
