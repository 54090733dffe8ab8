// Digest authentication of every out-of-dialog request from a phone
// (issue 4 §5–7): REGISTER is challenged with 401/WWW-Authenticate, the
// rest (INVITE, SUBSCRIBE, MESSAGE, REFER, PUBLISH, OPTIONS …) with
// 407/Proxy-Authenticate; MD5 and SHA-256 are offered, qop=auth. In-dialog
// requests are covered by their dialog and pass. OPTIONS from an
// allow-listed source (Kamailio, trunks) passes without credentials.
//
// An unknown user is verified against a dummy HA1 and answered exactly like
// a wrong password (403 after the same work), and every challenge has the
// same realm and nonce format, so a scanner cannot tell which extensions
// exist. Failures feed the AccessGuard, which bans the source.
#pragma once

#include <memory>
#include <string>

#include "core/security/access_guard.hpp"
#include "core/security/credentials.hpp"
#include "sip/digest_server.hpp"
#include "sip/transaction/transaction_layer.hpp"

namespace switchboard::core {

class RequestAuthenticator {
 public:
  enum class Outcome {
    kPassed,         ///< in-dialog, allow-listed OPTIONS or authentication off
    kAuthenticated,  ///< credentials verified
    kChallenged,     ///< 401/407 sent
    kRejected,       ///< 403/400 sent
  };

  RequestAuthenticator(sip::DigestServer& digest, AccessGuard& guard,
                       std::shared_ptr<const CredentialStore> credentials,
                       bool require_authentication);

  /// Decides on `txn` and answers it unless the outcome is kPassed or
  /// kAuthenticated; `user` receives the authenticated extension.
  Outcome check(const sip::ServerTransactionPtr& txn, std::string* user = nullptr);

  /// For SipEndpoint::set_request_filter: true when the request was answered.
  bool screen(const sip::ServerTransactionPtr& txn) {
    auto o = check(txn);
    return o == Outcome::kChallenged || o == Outcome::kRejected;
  }

  void set_credentials(std::shared_ptr<const CredentialStore> c) { credentials_ = std::move(c); }
  void set_require_authentication(bool on) { require_ = on; }
  const CredentialStore& credentials() const { return *credentials_; }

 private:
  void challenge(const sip::ServerTransactionPtr& txn, bool stale);
  void reject(const sip::ServerTransactionPtr& txn, int code, std::string_view reason);

  sip::DigestServer& digest_;
  AccessGuard& guard_;
  std::shared_ptr<const CredentialStore> credentials_;
  bool require_;
};

const char* to_string(RequestAuthenticator::Outcome o);

}  // namespace switchboard::core
