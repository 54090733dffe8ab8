// Well-known SIP header names as an enum, so that look-ups in a message are
// integer compares and compact forms (RFC 3261 §7.3.3 and later RFCs) need no
// special casing after parsing.
#pragma once

#include <cstdint>
#include <string_view>

namespace switchboard::sip {

/// Identity of a header field, independent of case and compact form.
enum class HeaderId : std::uint8_t {
  kOther = 0,  ///< any header not listed here (kept by name)
  kAccept,
  kAcceptContact,  // a
  kAcceptEncoding,
  kAcceptLanguage,
  kAlertInfo,
  kAllow,
  kAllowEvents,  // u
  kAuthenticationInfo,
  kAuthorization,
  kCallId,  // i
  kCallInfo,
  kContact,  // m
  kContentDisposition,
  kContentEncoding,  // e
  kContentLanguage,
  kContentLength,  // l
  kContentType,    // c
  kCSeq,
  kDate,
  kErrorInfo,
  kEvent,  // o
  kExpires,
  kFrom,          // f
  kIdentity,      // y
  kIdentityInfo,  // n
  kInReplyTo,
  kMaxForwards,
  kMimeVersion,
  kMinExpires,
  kMinSE,
  kOrganization,
  kPAssertedIdentity,
  kPPreferredIdentity,
  kPath,
  kPriority,
  kPrivacy,
  kProxyAuthenticate,
  kProxyAuthorization,
  kProxyRequire,
  kRAck,
  kReason,
  kRecordRoute,
  kReferTo,        // r
  kReferredBy,     // b
  kRejectContact,  // j
  kReplaces,
  kReplyTo,
  kRequestDisposition,  // d
  kRequire,
  kRetryAfter,
  kRoute,
  kRSeq,
  kServer,
  kServiceRoute,
  kSessionExpires,  // x
  kSipETag,
  kSipIfMatch,
  kSubject,  // s
  kSubscriptionState,
  kSupported,  // k
  kTimestamp,
  kTo,  // t
  kUnsupported,
  kUserAgent,
  kVia,  // v
  kWarning,
  kWwwAuthenticate,
  kCount  ///< number of ids; not a header
};

/// The id of a header name in long or compact form, any case; kOther if unknown.
HeaderId header_id_from_name(std::string_view name);

/// The canonical long name ("Call-ID", "WWW-Authenticate"); "" for kOther.
std::string_view header_canonical_name(HeaderId id);

/// The compact form letter of a header, or '\0' if it has none.
char header_compact_form(HeaderId id);

}  // namespace switchboard::sip
