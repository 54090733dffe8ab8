#include "sip/digest_server.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <cstring>

#include "sip/grammar.hpp"

namespace switchboard::sip {
namespace {

constexpr std::size_t kStampLen = 8;
constexpr std::size_t kSaltLen = 8;
constexpr std::size_t kMacLen = 32;
constexpr std::size_t kRawLen = kStampLen + kSaltLen + kMacLen;  // 48: base64 without padding

void hmac_sha256(std::string_view key, const unsigned char* data, std::size_t len,
                 unsigned char out[kMacLen]) {
  unsigned int out_len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data, len, out, &out_len);
}

// MAC input: timestamp ‖ salt ‖ realm.
void nonce_mac(std::string_view secret, std::string_view realm, const unsigned char* stamp_salt,
               unsigned char out[kMacLen]) {
  std::string input(reinterpret_cast<const char*>(stamp_salt), kStampLen + kSaltLen);
  input.append(realm);
  hmac_sha256(secret, reinterpret_cast<const unsigned char*>(input.data()), input.size(), out);
}

std::string base64(const unsigned char* data, std::size_t len) {
  std::string out(4 * ((len + 2) / 3), '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(len));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

bool equal_constant_time(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// nc-value = 8LHEX (RFC 7616 §3.4).
bool parse_nc(std::string_view nc, std::uint32_t& out) {
  if (nc.size() != 8) return false;
  std::uint32_t v = 0;
  for (char c : nc) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return false;
    }
    v = v * 16 + static_cast<std::uint32_t>(d);
  }
  out = v;
  return true;
}

}  // namespace

std::string_view to_string(DigestVerdict verdict) {
  switch (verdict) {
    case DigestVerdict::kOk:
      return "ok";
    case DigestVerdict::kStale:
      return "stale nonce";
    case DigestVerdict::kBadResponse:
      return "bad response";
    case DigestVerdict::kBadNonce:
      return "bad nonce";
    case DigestVerdict::kReplay:
      return "replayed nonce count";
    case DigestVerdict::kMalformed:
      return "malformed credentials";
    case DigestVerdict::kWrongRealm:
      return "wrong realm";
    case DigestVerdict::kUnsupportedAlgorithm:
      return "unsupported algorithm";
    case DigestVerdict::kUriMismatch:
      return "digest-uri mismatch";
  }
  return "unknown";
}

DigestServer::DigestServer(DigestServerOptions options, Clock clock)
    : options_(std::move(options)), clock_(std::move(clock)) {}

std::string DigestServer::issue_nonce() {
  std::array<unsigned char, kRawLen> raw{};
  const auto now = static_cast<std::uint64_t>(clock_());
  for (std::size_t i = 0; i < kStampLen; ++i) {
    raw[i] = static_cast<unsigned char>(now >> (8 * (kStampLen - 1 - i)));
  }
  // The salt keeps two nonces issued in the same second apart, so that each
  // client's nc sequence is tracked on its own.
  if (RAND_bytes(raw.data() + kStampLen, kSaltLen) != 1) {
    std::memset(raw.data() + kStampLen, 0, kSaltLen);
  }
  nonce_mac(options_.secret, options_.realm, raw.data(), raw.data() + kStampLen + kSaltLen);
  return base64(raw.data(), raw.size());
}

bool DigestServer::decode_nonce(std::string_view nonce, std::int64_t& issued) const {
  if (nonce.size() != 4 * kRawLen / 3) return false;
  std::array<unsigned char, kRawLen> raw{};
  if (EVP_DecodeBlock(raw.data(), reinterpret_cast<const unsigned char*>(nonce.data()),
                      static_cast<int>(nonce.size())) != static_cast<int>(kRawLen)) {
    return false;
  }
  unsigned char mac[kMacLen];
  nonce_mac(options_.secret, options_.realm, raw.data(), mac);
  if (CRYPTO_memcmp(mac, raw.data() + kStampLen + kSaltLen, kMacLen) != 0) return false;
  std::uint64_t stamp = 0;
  for (std::size_t i = 0; i < kStampLen; ++i) stamp = (stamp << 8) | raw[i];
  issued = static_cast<std::int64_t>(stamp);
  return true;
}

std::string DigestServer::opaque() const {
  // Fixed per realm and secret: it only has to come back unchanged.
  const std::string input = "opaque:" + options_.realm;
  unsigned char mac[kMacLen];
  hmac_sha256(options_.secret, reinterpret_cast<const unsigned char*>(input.data()), input.size(),
              mac);
  return base64(mac, 24);
}

std::vector<DigestChallenge> DigestServer::make_challenges(bool stale) {
  std::vector<DigestChallenge> out;
  for (DigestAlgorithm alg : options_.algorithms) {
    DigestChallenge c;
    c.realm = options_.realm;
    c.nonce = issue_nonce();
    c.opaque = opaque();
    c.has_opaque = true;
    c.algorithm = alg;
    c.qop = {"auth"};
    c.stale = stale;
    out.push_back(std::move(c));
  }
  return out;
}

DigestVerdict DigestServer::verify(const DigestCredentials& cr, std::string_view method,
                                   std::string_view ha1_hex, std::string_view request_uri) {
  if (cr.realm != options_.realm) return DigestVerdict::kWrongRealm;
  const DigestAlgorithm alg = cr.effective_algorithm();
  bool offered = false;
  for (DigestAlgorithm a : options_.algorithms) offered = offered || a == alg;
  if (!offered) return DigestVerdict::kUnsupportedAlgorithm;

  std::int64_t issued = 0;
  if (!decode_nonce(cr.nonce, issued)) return DigestVerdict::kBadNonce;
  if (cr.has_opaque && !equal_constant_time(cr.opaque, opaque())) return DigestVerdict::kBadNonce;

  // Only qop=auth is offered, so RFC 2069-style answers are refused.
  std::uint32_t nc = 0;
  if (cr.qop != "auth" || cr.cnonce.empty() || !parse_nc(cr.nc, nc) || nc == 0) {
    return DigestVerdict::kMalformed;
  }
  if (!request_uri.empty() && cr.uri != request_uri) return DigestVerdict::kUriMismatch;

  const std::string expected = digest_response_for(cr, alg, ha1_hex, method);
  const std::string given = grammar::to_lower_copy(cr.response);
  if (!equal_constant_time(expected, given)) return DigestVerdict::kBadResponse;

  // The password was right; an old nonce only asks for a retry (stale=true).
  const std::int64_t now = clock_();
  if (issued < floor_ || now - issued > options_.nonce_lifetime_s || issued > now + 5) {
    return DigestVerdict::kStale;
  }
  auto it = seen_.find(cr.nonce);
  if (it != seen_.end()) {
    if (nc <= it->second.last_nc) return DigestVerdict::kReplay;
    it->second.last_nc = nc;
    return DigestVerdict::kOk;
  }
  forget_old_nonces(now);
  seen_.emplace(cr.nonce, NonceState{nc, issued});
  return DigestVerdict::kOk;
}

void DigestServer::forget_old_nonces(std::int64_t now) {
  if (seen_.size() < options_.max_tracked_nonces) return;
  for (auto it = seen_.begin(); it != seen_.end();) {
    it = (now - it->second.issued > options_.nonce_lifetime_s) ? seen_.erase(it) : std::next(it);
  }
  // Still full of live nonces: forget the oldest second's worth at a time
  // and declare everything issued up to then stale, so a forgotten nonce can
  // never be replayed as if new.
  while (!seen_.empty() && seen_.size() >= options_.max_tracked_nonces) {
    std::int64_t oldest = seen_.begin()->second.issued;
    for (const auto& [nonce, state] : seen_) oldest = std::min(oldest, state.issued);
    floor_ = oldest + 1;
    for (auto it = seen_.begin(); it != seen_.end();) {
      it = it->second.issued < floor_ ? seen_.erase(it) : std::next(it);
    }
  }
}

}  // namespace switchboard::sip
