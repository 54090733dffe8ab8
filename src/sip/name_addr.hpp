// name-addr / addr-spec values with header parameters: From, To, Contact,
// Route, Record-Route, Path, Refer-To, Referred-By, P-Asserted-Identity
// (RFC 3261 §20.10, §25.1).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "sip/params.hpp"
#include "sip/uri.hpp"

namespace switchboard::sip {

struct NameAddr {
  /// Display name as written: for a quoted-string the content between the
  /// quotes with quoted-pairs still escaped, for tokens the trimmed tokens.
  std::string_view display_name;
  bool display_name_quoted = false;
  bool angle_brackets = false;  ///< written as name-addr (<...>), not addr-spec
  Uri uri;
  ParamList params;  ///< header parameters after the URI (tag, expires, q, ...)

  /// The display name with quoted-pairs resolved ("\\\"" becomes "\"").
  std::string display_name_text() const;
  std::optional<std::string_view> tag() const { return params.get("tag"); }
};

/// Parses one value. Without angle brackets every ";param" after the URI is a
/// header parameter (RFC 3261 §20, RFC 4475 §3.3.12), and a URI with "?",
/// "," or ";" in it must be bracketed (§3.1.2.13). Rejects unterminated
/// quotes (§3.1.2.6), spaces inside <> (§3.1.2.14) and unquoted non-token
/// display names (§3.1.2.15). No LWS is required before "<" (§3.1.1.6).
Result<NameAddr> parse_name_addr(std::string_view value);

/// Parses a comma-separated list of name-addr values, appending to `out`.
Status parse_name_addr_list(std::string_view value, std::vector<NameAddr>& out);

}  // namespace switchboard::sip
