// integrations.* (Zoom, Outlook, Active Directory, Teams). Credentials are
// required only for an integration that is enabled.
#include "app/config/sections.hpp"

namespace switchboard::app::config {
namespace {

Need when(bool enabled) { return enabled ? Need::kRequired : Need::kOptional; }

void check_url(Section& s, const char* key, const std::string& v,
               std::initializer_list<std::string_view> schemes) {
  if (v.empty()) return;
  for (auto scheme : schemes) {
    if (v.rfind(scheme, 0) == 0) return;
  }
  std::string expected;
  for (auto scheme : schemes) expected += (expected.empty() ? "" : " or ") + std::string(scheme);
  s.context().error(s.mark_of(key), s.path_of(key), "expected a URL starting with " + expected);
}

void parse_zoom(Section& s, ZoomConfig& z) {
  s.boolean("enabled", z.enabled);
  s.str("account_id", z.account_id, when(z.enabled));
  s.str("client_id", z.client_id, when(z.enabled));
  s.secret("client_secret", z.client_secret, when(z.enabled));
  s.boolean("phone_enabled", z.phone_enabled);
  if (s.str("api_base_url", z.api_base_url)) {
    check_url(s, "api_base_url", z.api_base_url, {"https://", "http://"});
  }
  s.finish_unknown_keys();
}

void parse_outlook(Section& s, OutlookConfig& o) {
  s.boolean("enabled", o.enabled);
  s.str("tenant_id", o.tenant_id, when(o.enabled));
  s.str("client_id", o.client_id, when(o.enabled));
  s.secret("client_secret", o.client_secret, when(o.enabled));
  if (s.str("redirect_uri", o.redirect_uri)) {
    check_url(s, "redirect_uri", o.redirect_uri, {"https://", "http://"});
  }
  s.str_list("scopes", o.scopes);
  s.finish_unknown_keys();
}

void parse_active_directory(Section& s, ActiveDirectoryConfig& ad) {
  s.boolean("enabled", ad.enabled);
  if (s.str("server", ad.server, when(ad.enabled))) {
    check_url(s, "server", ad.server, {"ldaps://", "ldap://"});
  }
  s.str("base_dn", ad.base_dn, when(ad.enabled));
  s.str("bind_dn", ad.bind_dn, when(ad.enabled));
  s.secret("bind_password", ad.bind_password, when(ad.enabled));
  s.boolean("use_ssl", ad.use_ssl);
  s.str("user_search_base", ad.user_search_base);
  s.str("group_search_base", ad.group_search_base);
  s.str_list("attributes", ad.attributes);
  s.finish_unknown_keys();
}

void parse_teams(Section& s, TeamsConfig& t) {
  s.boolean("enabled", t.enabled);
  s.str("tenant_id", t.tenant_id, when(t.enabled));
  s.str("client_id", t.client_id, when(t.enabled));
  s.secret("client_secret", t.client_secret, when(t.enabled));
  s.str("sip_domain", t.sip_domain);
  s.str("sbc_fqdn", t.sbc_fqdn);
  s.finish_unknown_keys();
}

}  // namespace

void parse_integrations(Section& s, IntegrationsConfig& out) {
  if (auto z = s.child("zoom"); z.present()) parse_zoom(z, out.zoom);
  if (auto o = s.child("outlook"); o.present()) parse_outlook(o, out.outlook);
  if (auto a = s.child("active_directory"); a.present()) {
    parse_active_directory(a, out.active_directory);
  }
  if (auto t = s.child("teams"); t.present()) parse_teams(t, out.teams);
  s.finish_unknown_keys();
}

}  // namespace switchboard::app::config
