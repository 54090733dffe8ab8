#include "core/security/request_authenticator.hpp"

#include "common/log.hpp"
#include "sip/builder.hpp"
#include "sip/message_headers.hpp"

namespace switchboard::core {

const char* to_string(RequestAuthenticator::Outcome o) {
  switch (o) {
    case RequestAuthenticator::Outcome::kPassed:
      return "passed";
    case RequestAuthenticator::Outcome::kAuthenticated:
      return "authenticated";
    case RequestAuthenticator::Outcome::kChallenged:
      return "challenged";
    case RequestAuthenticator::Outcome::kRejected:
      return "rejected";
  }
  return "?";
}

RequestAuthenticator::RequestAuthenticator(sip::DigestServer& digest, AccessGuard& guard,
                                           std::shared_ptr<const CredentialStore> credentials,
                                           bool require_authentication)
    : digest_(digest), guard_(guard), credentials_(std::move(credentials)),
      require_(require_authentication) {}

RequestAuthenticator::Outcome RequestAuthenticator::check(const sip::ServerTransactionPtr& txn,
                                                          std::string* user) {
  const sip::Message& req = txn->request();
  const bool is_register = req.method_id() == sip::Method::kRegister;
  if (!is_register) {
    // In-dialog requests carry a To tag; their dialog vouches for them.
    auto to = sip::get_to(req);
    if (to.ok() && to->tag()) return Outcome::kPassed;
  }
  if (!require_) return Outcome::kPassed;
  if (req.method_id() == sip::Method::kOptions && guard_.allow_listed(txn->source().remote_ip)) {
    return Outcome::kPassed;
  }

  // The credentials for our realm, from whichever header the client used.
  std::optional<sip::DigestCredentials> cred;
  for (auto id : {sip::HeaderId::kAuthorization, sip::HeaderId::kProxyAuthorization}) {
    for (auto value : req.values(id)) {
      auto c = sip::parse_digest_credentials(value);
      if (c.ok() && c->realm == credentials_->realm()) {
        cred = std::move(*c);
        break;
      }
    }
    if (cred) break;
  }
  if (!cred) {
    challenge(txn, false);
    return Outcome::kChallenged;
  }

  const ExtensionCredential* known = credentials_->find(cred->username);
  const ExtensionCredential& use = known ? *known : credentials_->dummy();
  const auto verdict =
      digest_.verify(*cred, req.method(), use.ha1(cred->effective_algorithm()), req.request_uri());
  switch (verdict) {
    case sip::DigestVerdict::kOk:
      break;
    case sip::DigestVerdict::kStale:
      challenge(txn, true);
      return Outcome::kChallenged;
    case sip::DigestVerdict::kBadResponse:
      // Unknown user or wrong password: the same answer after the same work.
      guard_.record_failure(txn->source().remote_ip, cred->username);
      reject(txn, 403, "Forbidden");
      return Outcome::kRejected;
    case sip::DigestVerdict::kBadNonce:
    case sip::DigestVerdict::kReplay:
    case sip::DigestVerdict::kUnsupportedAlgorithm:
    case sip::DigestVerdict::kWrongRealm:
      // Not a guess at the password (an old server's nonce, a retransmitted
      // nc): ask again without counting a failure.
      challenge(txn, false);
      return Outcome::kChallenged;
    case sip::DigestVerdict::kMalformed:
    case sip::DigestVerdict::kUriMismatch:
      log::get("security")->info("{} from {}: {}", req.method(),
                                 txn->source().remote_ip.to_string(), to_string(verdict));
      reject(txn, 400, "Bad Authorization");
      return Outcome::kRejected;
  }
  if (!known) {  // cannot happen (nobody knows the dummy password); stay safe
    guard_.record_failure(txn->source().remote_ip, cred->username);
    reject(txn, 403, "Forbidden");
    return Outcome::kRejected;
  }
  if (is_register) {
    // An extension registers its own address-of-record only.
    auto to = sip::get_to(req);
    if (!to.ok() || to->uri.user != cred->username) {
      log::get("security")->warn("REGISTER from {}: user {} may not register {}",
                                 txn->source().remote_ip.to_string(), cred->username,
                                 to.ok() ? std::string(to->uri.user) : std::string("?"));
      reject(txn, 403, "Forbidden");
      return Outcome::kRejected;
    }
  }
  guard_.record_success(txn->source().remote_ip);
  if (user) *user = cred->username;
  return Outcome::kAuthenticated;
}

void RequestAuthenticator::challenge(const sip::ServerTransactionPtr& txn, bool stale) {
  const bool is_register = txn->request().method_id() == sip::Method::kRegister;
  auto r = is_register ? sip::make_response(txn->request(), 401, "Unauthorized", sip::random_hex(6))
                       : sip::make_response(txn->request(), 407,
                                            "Proxy Authentication Required", sip::random_hex(6));
  for (const auto& c : digest_.make_challenges(stale)) {
    r.add_header(is_register ? sip::HeaderId::kWwwAuthenticate : sip::HeaderId::kProxyAuthenticate,
                 sip::serialize_digest_challenge(c));
  }
  ++guard_.stats().challenges;
  txn->respond(std::move(r));
}

void RequestAuthenticator::reject(const sip::ServerTransactionPtr& txn, int code,
                                  std::string_view reason) {
  txn->respond(sip::make_response(txn->request(), code, reason, sip::random_hex(6)));
}

}  // namespace switchboard::core
