// The registrar / UAS side of Digest: stateless nonces, verification against
// a stored HA1, staleness and nonce-count replay protection (RFC 7616 §3.3,
// §3.4, §5.5; RFC 8760 §2.3 for SHA-256 in SIP).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sip/digest.hpp"

namespace switchboard::sip {

struct DigestServerOptions {
  std::string realm;
  /// HMAC key for nonces and opaque; keep it secret and at least 16 bytes.
  std::string secret;
  std::int64_t nonce_lifetime_s = 300;
  /// Challenges are issued in this order; RFC 8760 §2.4 puts SHA-256 first.
  std::vector<DigestAlgorithm> algorithms{DigestAlgorithm::kSha256, DigestAlgorithm::kMd5};
  /// Upper bound of nonces whose nc is remembered; beyond it the oldest are
  /// forgotten and their nonces treated as stale, never as fresh.
  std::size_t max_tracked_nonces = 65536;
};

enum class DigestVerdict {
  kOk,
  kStale,        ///< response right but nonce expired: challenge with stale=true
  kBadResponse,  ///< wrong password (or HA1)
  kBadNonce,     ///< not a nonce we issued
  kReplay,       ///< nc not greater than the last one seen for this nonce
  kMalformed,    ///< missing qop/nc/cnonce, bad nc, ...
  kWrongRealm,
  kUnsupportedAlgorithm,
  kUriMismatch,  ///< digest-uri differs from the Request-URI
};

std::string_view to_string(DigestVerdict verdict);

/// One per realm; lives on the core thread (not thread-safe, no locks).
class DigestServer {
 public:
  /// Seconds since any fixed epoch; injected so tests control expiry.
  using Clock = std::function<std::int64_t()>;

  DigestServer(DigestServerOptions options, Clock clock);

  /// One challenge per configured algorithm, each with a fresh nonce,
  /// qop="auth" and opaque; `stale` marks a re-challenge after kStale.
  std::vector<DigestChallenge> make_challenges(bool stale = false);

  /// Verifies credentials for `method`, using the HA1 the user store keeps
  /// for `credentials.effective_algorithm()`. If `request_uri` is non-empty
  /// the digest-uri must equal it (RFC 3261 §22.4 item 3's check).
  DigestVerdict verify(const DigestCredentials& credentials, std::string_view method,
                       std::string_view ha1_hex, std::string_view request_uri = {});

  /// A nonce: base64(timestamp ‖ salt ‖ HMAC-SHA256(secret, timestamp ‖ salt ‖ realm)).
  std::string issue_nonce();

 private:
  struct NonceState {
    std::uint32_t last_nc = 0;
    std::int64_t issued = 0;
  };

  bool decode_nonce(std::string_view nonce, std::int64_t& issued) const;
  std::string opaque() const;
  void forget_old_nonces(std::int64_t now);

  DigestServerOptions options_;
  Clock clock_;
  std::unordered_map<std::string, NonceState> seen_;
  std::int64_t floor_ = 0;  ///< nonces issued before this are stale
};

}  // namespace switchboard::sip
