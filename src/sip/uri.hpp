// SIP, SIPS and tel URIs (RFC 3261 §19.1, RFC 3966); any other scheme is kept
// as an opaque absolute URI (RFC 4475 §3.3.2–3.3.4 require that they parse).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "sip/params.hpp"

namespace switchboard::sip {

enum class UriScheme : std::uint8_t { kSip, kSips, kTel, kOther };

enum class HostKind : std::uint8_t { kNone, kHostname, kIPv4, kIPv6 };

/// A parsed URI. Views point into the text given to parse_uri, which must
/// outlive the Uri. Components are kept escaped; use unescape() to decode.
struct Uri {
  UriScheme scheme = UriScheme::kOther;
  std::string_view scheme_name;  ///< as written ("sip", "SIP", "isbn", ...)
  std::string_view user;         ///< sip/sips user part, or the tel number
  std::string_view password;
  bool has_userinfo = false;
  bool has_password = false;
  std::string_view host;  ///< IPv6 references keep their brackets
  HostKind host_kind = HostKind::kNone;
  std::optional<std::uint16_t> port;
  ParamList params;         ///< uri-parameters (sip/sips) or tel parameters; raw values
  ParamList headers;        ///< "?name=value&..." components (sip/sips)
  std::string_view opaque;  ///< everything after "scheme:" for kOther
  std::string_view text;    ///< the whole URI as written

  bool is_sip() const { return scheme == UriScheme::kSip || scheme == UriScheme::kSips; }
  std::optional<std::string_view> param(std::string_view name) const { return params.get(name); }
  std::optional<std::string_view> transport() const { return params.get("transport"); }
  std::optional<std::string_view> user_param() const { return params.get("user"); }
  std::optional<std::string_view> maddr() const { return params.get("maddr"); }
  std::optional<std::string_view> method() const { return params.get("method"); }
  std::optional<int> ttl() const;
  bool lr() const { return params.has("lr"); }
  /// The host without IPv6 brackets.
  std::string_view host_address() const;
};

/// Parses an absolute URI. Fails on a bad scheme, whitespace or angle
/// brackets inside (RFC 4475 §3.1.2.7, §3.1.2.8), a bad host or port, or an
/// invalid %-escape in a SIP URI.
Result<Uri> parse_uri(std::string_view text);

/// RFC 3261 §19.1.4 equality for sip/sips: userinfo case-sensitive, host
/// case-insensitive, %-escapes of unreserved characters equal to the
/// character, user/ttl/method/maddr/transport parameters must be in both, other
/// parameters only compared when in both, headers always compared.
/// tel: number without visual separators plus parameters; other schemes:
/// scheme case-insensitively and the rest exactly.
bool uri_equal(const Uri& a, const Uri& b);

}  // namespace switchboard::sip
