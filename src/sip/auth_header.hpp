// The generic syntax shared by Authorization, Proxy-Authorization,
// WWW-Authenticate and Proxy-Authenticate (RFC 3261 §25.1 challenge /
// credentials, RFC 7235 §2.1): a scheme followed by comma-separated
// auth-params. Unknown schemes parse too (RFC 4475 §3.3.7); digest.hpp
// interprets the Digest scheme.
#pragma once

#include <string_view>

#include "common/result.hpp"
#include "sip/params.hpp"

namespace switchboard::sip {

struct AuthHeader {
  std::string_view scheme;  ///< "Digest", "Bearer", ...; compare case-insensitively
  ParamList params;         ///< raw values: quoted-strings keep their quotes
};

/// Parses `scheme LWS name=value *(COMMA name=value)`. Unquoted values are
/// taken up to the next comma or whitespace, since deployed clients send
/// unquoted base64 nonces containing "/" and "=".
Result<AuthHeader> parse_auth_header(std::string_view value);

}  // namespace switchboard::sip
