// HTTP Digest as used by SIP (RFC 3261 §22.4, RFC 7616, RFC 8760): the
// algorithms, the hash computations and the challenge / credentials header
// syntax. The server and client sides live in digest_server.hpp and
// digest_client.hpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace switchboard::sip {

enum class DigestAlgorithm { kMd5, kMd5Sess, kSha256, kSha256Sess, kSha512_256, kSha512_256Sess };

/// "MD5", "SHA-256", "SHA-512-256" and their "-sess" forms, any case.
std::optional<DigestAlgorithm> parse_digest_algorithm(std::string_view name);
std::string_view to_string(DigestAlgorithm algorithm);
bool is_session_algorithm(DigestAlgorithm algorithm);

/// H(data) as lower-case hex (RFC 7616 §3.4.1).
std::string digest_hex(DigestAlgorithm algorithm, std::string_view data);

/// HA1 = H(username ":" realm ":" password): what a user store keeps per
/// algorithm instead of the password. For "-sess" algorithms this is the
/// base value; compute_digest_response adds nonce and cnonce.
std::string compute_ha1(DigestAlgorithm algorithm, std::string_view username,
                        std::string_view realm, std::string_view password);

struct DigestResponseInput {
  DigestAlgorithm algorithm = DigestAlgorithm::kMd5;
  std::string_view ha1;  ///< hex, from compute_ha1
  std::string_view nonce;
  std::string_view nc;      ///< 8 hex digits; empty without qop
  std::string_view cnonce;  ///< empty without qop
  std::string_view qop;     ///< "auth" or empty (RFC 2069 compatibility)
  std::string_view method;
  std::string_view uri;
};

/// The request-digest (RFC 7616 §3.4.1, qop=auth; RFC 2617 §3.2.2.1 without qop).
std::string compute_digest_response(const DigestResponseInput& in);

/// A WWW-Authenticate / Proxy-Authenticate Digest challenge.
struct DigestChallenge {
  std::string realm;
  std::string nonce;
  std::string opaque;
  std::string domain;
  std::optional<DigestAlgorithm> algorithm;  ///< absent means MD5
  std::vector<std::string> qop;              ///< offered qop values ("auth", "auth-int")
  bool stale = false;
  bool has_opaque = false;

  DigestAlgorithm effective_algorithm() const { return algorithm.value_or(DigestAlgorithm::kMd5); }
};

/// An Authorization / Proxy-Authorization Digest credential.
struct DigestCredentials {
  std::string username;
  std::string realm;
  std::string nonce;
  std::string uri;
  std::string response;
  std::string cnonce;
  std::string opaque;
  std::string qop;
  std::string nc;
  std::optional<DigestAlgorithm> algorithm;
  bool has_opaque = false;

  DigestAlgorithm effective_algorithm() const { return algorithm.value_or(DigestAlgorithm::kMd5); }
};

/// The request-digest for credentials `cr` (its nonce, nc, cnonce, qop, uri)
/// with `ha1` and `method`: what a client sends and a server expects.
std::string digest_response_for(const DigestCredentials& cr, DigestAlgorithm algorithm,
                                std::string_view ha1, std::string_view method);

/// Parses a header value with scheme "Digest"; other schemes are an error
/// with ErrorCode::kNotFound so callers can skip them (RFC 4475 §3.3.7).
/// An unknown algorithm is ErrorCode::kFailedPrecondition.
Result<DigestChallenge> parse_digest_challenge(std::string_view header_value);
Result<DigestCredentials> parse_digest_credentials(std::string_view header_value);

/// Header values ("Digest realm=\"...\", ..."), quoting per RFC 7616 §3.3/§3.4.
std::string serialize_digest_challenge(const DigestChallenge& c);
std::string serialize_digest_credentials(const DigestCredentials& c);

}  // namespace switchboard::sip
