#include "sip/header_id.hpp"

#include <array>
#include <cstddef>
#include <cstdint>

#include "sip/grammar.hpp"

namespace switchboard::sip {
namespace {

struct Entry {
  std::string_view name;
  HeaderId id;
  char compact;
};

// Indexed by HeaderId; the order must follow the enum.
constexpr std::array<Entry, static_cast<std::size_t>(HeaderId::kCount)> kEntries{{
    {"", HeaderId::kOther, 0},
    {"Accept", HeaderId::kAccept, 0},
    {"Accept-Contact", HeaderId::kAcceptContact, 'a'},
    {"Accept-Encoding", HeaderId::kAcceptEncoding, 0},
    {"Accept-Language", HeaderId::kAcceptLanguage, 0},
    {"Alert-Info", HeaderId::kAlertInfo, 0},
    {"Allow", HeaderId::kAllow, 0},
    {"Allow-Events", HeaderId::kAllowEvents, 'u'},
    {"Authentication-Info", HeaderId::kAuthenticationInfo, 0},
    {"Authorization", HeaderId::kAuthorization, 0},
    {"Call-ID", HeaderId::kCallId, 'i'},
    {"Call-Info", HeaderId::kCallInfo, 0},
    {"Contact", HeaderId::kContact, 'm'},
    {"Content-Disposition", HeaderId::kContentDisposition, 0},
    {"Content-Encoding", HeaderId::kContentEncoding, 'e'},
    {"Content-Language", HeaderId::kContentLanguage, 0},
    {"Content-Length", HeaderId::kContentLength, 'l'},
    {"Content-Type", HeaderId::kContentType, 'c'},
    {"CSeq", HeaderId::kCSeq, 0},
    {"Date", HeaderId::kDate, 0},
    {"Error-Info", HeaderId::kErrorInfo, 0},
    {"Event", HeaderId::kEvent, 'o'},
    {"Expires", HeaderId::kExpires, 0},
    {"From", HeaderId::kFrom, 'f'},
    {"Identity", HeaderId::kIdentity, 'y'},
    {"Identity-Info", HeaderId::kIdentityInfo, 'n'},
    {"In-Reply-To", HeaderId::kInReplyTo, 0},
    {"Max-Forwards", HeaderId::kMaxForwards, 0},
    {"MIME-Version", HeaderId::kMimeVersion, 0},
    {"Min-Expires", HeaderId::kMinExpires, 0},
    {"Min-SE", HeaderId::kMinSE, 0},
    {"Organization", HeaderId::kOrganization, 0},
    {"P-Asserted-Identity", HeaderId::kPAssertedIdentity, 0},
    {"P-Preferred-Identity", HeaderId::kPPreferredIdentity, 0},
    {"Path", HeaderId::kPath, 0},
    {"Priority", HeaderId::kPriority, 0},
    {"Privacy", HeaderId::kPrivacy, 0},
    {"Proxy-Authenticate", HeaderId::kProxyAuthenticate, 0},
    {"Proxy-Authorization", HeaderId::kProxyAuthorization, 0},
    {"Proxy-Require", HeaderId::kProxyRequire, 0},
    {"RAck", HeaderId::kRAck, 0},
    {"Reason", HeaderId::kReason, 0},
    {"Record-Route", HeaderId::kRecordRoute, 0},
    {"Refer-To", HeaderId::kReferTo, 'r'},
    {"Referred-By", HeaderId::kReferredBy, 'b'},
    {"Reject-Contact", HeaderId::kRejectContact, 'j'},
    {"Replaces", HeaderId::kReplaces, 0},
    {"Reply-To", HeaderId::kReplyTo, 0},
    {"Request-Disposition", HeaderId::kRequestDisposition, 'd'},
    {"Require", HeaderId::kRequire, 0},
    {"Retry-After", HeaderId::kRetryAfter, 0},
    {"Route", HeaderId::kRoute, 0},
    {"RSeq", HeaderId::kRSeq, 0},
    {"Server", HeaderId::kServer, 0},
    {"Service-Route", HeaderId::kServiceRoute, 0},
    {"Session-Expires", HeaderId::kSessionExpires, 'x'},
    {"SIP-ETag", HeaderId::kSipETag, 0},
    {"SIP-If-Match", HeaderId::kSipIfMatch, 0},
    {"Subject", HeaderId::kSubject, 's'},
    {"Subscription-State", HeaderId::kSubscriptionState, 0},
    {"Supported", HeaderId::kSupported, 'k'},
    {"Timestamp", HeaderId::kTimestamp, 0},
    {"To", HeaderId::kTo, 't'},
    {"Unsupported", HeaderId::kUnsupported, 0},
    {"User-Agent", HeaderId::kUserAgent, 0},
    {"Via", HeaderId::kVia, 'v'},
    {"Warning", HeaderId::kWarning, 0},
    {"WWW-Authenticate", HeaderId::kWwwAuthenticate, 0},
}};

constexpr bool entries_follow_enum() {
  for (std::size_t i = 0; i < kEntries.size(); ++i) {
    if (static_cast<std::size_t>(kEntries[i].id) != i) return false;
  }
  return true;
}
static_assert(entries_follow_enum(), "kEntries must be in HeaderId order");

// Compact form letter -> id, indexed by lower-case letter.
constexpr std::array<HeaderId, 26> make_compact_table() {
  std::array<HeaderId, 26> t{};
  for (const Entry& e : kEntries) {
    if (e.compact != 0) t[static_cast<std::size_t>(e.compact - 'a')] = e.id;
  }
  return t;
}
constexpr std::array<HeaderId, 26> kCompact = make_compact_table();

// Long names grouped by lower-case first letter.
struct Bucket {
  std::array<std::uint8_t, 16> ids{};
  std::size_t size = 0;
};
constexpr std::array<Bucket, 26> make_buckets() {
  std::array<Bucket, 26> b{};
  for (std::size_t i = 1; i < kEntries.size(); ++i) {
    char c = kEntries[i].name[0];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    Bucket& bucket = b[static_cast<std::size_t>(c - 'a')];
    bucket.ids[bucket.size++] = static_cast<std::uint8_t>(i);
  }
  return b;
}
constexpr std::array<Bucket, 26> kBuckets = make_buckets();

// Case-insensitive compare against a canonical name, which holds only
// letters and "-". OR-ing 0x20 folds a letter's case and maps no non-letter
// onto a lower-case letter, so for letters it is exact; "-" is compared as is.
bool equals_folded(std::string_view canonical, std::string_view name) {
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = canonical[i];
    if (c == '-' ? name[i] != '-' : (c | 0x20) != (name[i] | 0x20)) return false;
  }
  return true;
}

}  // namespace

HeaderId header_id_from_name(std::string_view name) {
  if (name.empty()) return HeaderId::kOther;
  const char first = grammar::to_lower(name[0]);
  if (first < 'a' || first > 'z') return HeaderId::kOther;
  const std::size_t letter = static_cast<std::size_t>(first - 'a');
  if (name.size() == 1) return kCompact[letter];
  // Only the few names sharing the first letter are compared, and the length
  // check rejects most of those before the case-insensitive compare.
  const Bucket& bucket = kBuckets[letter];
  for (std::size_t i = 0; i < bucket.size; ++i) {
    const std::string_view cand = kEntries[bucket.ids[i]].name;
    if (cand.size() == name.size() && equals_folded(cand, name)) {
      return kEntries[bucket.ids[i]].id;
    }
  }
  return HeaderId::kOther;
}

std::string_view header_canonical_name(HeaderId id) {
  return kEntries[static_cast<std::size_t>(id)].name;
}

char header_compact_form(HeaderId id) {
  return kEntries[static_cast<std::size_t>(id)].compact;
}

}  // namespace switchboard::sip
