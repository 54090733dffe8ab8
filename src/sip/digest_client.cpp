#include "sip/digest_client.hpp"

#include <cstdio>

#include "sip/builder.hpp"

namespace switchboard::sip {
namespace {

bool offers(const DigestChallenge& c, std::string_view qop) {
  for (const std::string& q : c.qop) {
    if (q == qop) return true;
  }
  return false;
}

}  // namespace

const DigestChallenge* pick_digest_challenge(const std::vector<DigestChallenge>& challenges) {
  for (const DigestChallenge& c : challenges) {
    if (c.qop.empty() || offers(c, "auth")) return &c;
  }
  return nullptr;
}

Result<DigestCredentials> answer_digest_challenge(const DigestChallenge& challenge,
                                                  std::string_view username,
                                                  std::string_view password,
                                                  std::string_view method, std::string_view uri,
                                                  std::string_view cnonce, std::uint32_t nc) {
  const bool use_qop = offers(challenge, "auth");
  if (!use_qop && !challenge.qop.empty()) {
    return make_error(ErrorCode::kFailedPrecondition, "only auth-int offered");
  }
  const DigestAlgorithm alg = challenge.effective_algorithm();
  DigestCredentials cr;
  cr.username = std::string(username);
  cr.realm = challenge.realm;
  cr.nonce = challenge.nonce;
  cr.uri = std::string(uri);
  cr.algorithm = challenge.algorithm;
  cr.opaque = challenge.opaque;
  cr.has_opaque = challenge.has_opaque;
  if (use_qop) {
    char nc_hex[9];
    std::snprintf(nc_hex, sizeof(nc_hex), "%08x", nc);
    cr.qop = "auth";
    cr.nc = nc_hex;
    cr.cnonce = std::string(cnonce);
  }
  const std::string ha1 = compute_ha1(alg, username, challenge.realm, password);
  cr.response = digest_response_for(cr, alg, ha1, method);
  return cr;
}

std::string make_cnonce() {
  return random_hex(16);
}

}  // namespace switchboard::sip
