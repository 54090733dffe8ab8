// The UAC side of Digest, for trunks registering to a provider and for
// outgoing requests a provider challenges (RFC 3261 §22.2, §22.3).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "sip/digest.hpp"

namespace switchboard::sip {

/// The first challenge whose algorithm and qop this client supports (RFC
/// 8760 §2.4: a UAC uses the topmost one it supports), or nullptr.
const DigestChallenge* pick_digest_challenge(const std::vector<DigestChallenge>& challenges);

/// Credentials answering `challenge` for a request with `method` and
/// Request-URI `uri`. Uses qop=auth when offered (with `cnonce` and
/// nonce-count `nc`), RFC 2069 style when no qop is offered; a challenge
/// offering only auth-int is refused.
Result<DigestCredentials> answer_digest_challenge(const DigestChallenge& challenge,
                                                  std::string_view username,
                                                  std::string_view password,
                                                  std::string_view method, std::string_view uri,
                                                  std::string_view cnonce, std::uint32_t nc);

/// A fresh client nonce (random, base64-free hex).
std::string make_cnonce();

}  // namespace switchboard::sip
