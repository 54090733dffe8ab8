// %HEX HEX escaping (RFC 3261 §25.1 "escaped"). In SIP, % is an escape only
// inside SIP/SIPS URIs and reason phrases; everywhere else it is an ordinary
// character (RFC 4475 §3.1.1.5), so callers decide when to unescape.
#pragma once

#include <string>
#include <string_view>

namespace switchboard::sip {

/// Decodes every %HH once (never recursively: "%25%34%31" becomes "%41",
/// RFC 4475 §3.1.1.3). A "%" not followed by two hex digits is kept as is.
/// Escaped NULs are decoded into the string without truncating it (§3.1.1.4).
std::string unescape(std::string_view s);

/// The canonical form used to compare URI components (RFC 3261 §19.1.4):
/// escapes of unreserved characters are decoded, escapes of reserved ones
/// (";/?:@&=+$,") are kept with upper-case hex, since those are not
/// equivalent to their literal form.
std::string normalize_escapes(std::string_view s);

/// True if every "%" in `s` starts a valid %HH escape.
bool escapes_are_valid(std::string_view s);

/// Escapes the characters not allowed unescaped in the user part of a SIP URI
/// (RFC 3261 §25.1 user = 1*( unreserved / escaped / user-unreserved )).
std::string escape_user(std::string_view s);

}  // namespace switchboard::sip
