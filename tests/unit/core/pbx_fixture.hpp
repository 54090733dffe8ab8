// A registrar with authentication and access control on virtual time, over
// an in-memory network that records what the PBX sends: the pipeline of
// SipEndpoint (source filter → transaction layer → request filter →
// REGISTER handler) without sockets.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/timers.hpp"
#include "core/registrar/registrar.hpp"
#include "core/security/access_guard.hpp"
#include "core/security/credentials.hpp"
#include "core/security/request_authenticator.hpp"
#include "sip/builder.hpp"
#include "sip/digest_client.hpp"
#include "sip/digest_server.hpp"
#include "sip/message_headers.hpp"
#include "sip/parser.hpp"
#include "sip/transaction/transaction_layer.hpp"

namespace switchboard::core::testing {

using namespace std::chrono_literals;

inline constexpr const char* kRealm = "pbx.test";

inline sip::Source udp_from(const std::string& ip = "198.51.100.7", uint16_t port = 5062) {
  return sip::Source{sip::Protocol::kUdp, boost::asio::ip::make_address(ip), port,
                     boost::asio::ip::make_address("192.0.2.1"), 5060, 0};
}
inline sip::Source tcp_from(uint64_t connection, const std::string& ip = "198.51.100.7",
                            uint16_t port = 40000) {
  return sip::Source{sip::Protocol::kTcp, boost::asio::ip::make_address(ip), port,
                     boost::asio::ip::make_address("192.0.2.1"), 5060, connection};
}

/// A request as a phone writes it; `contacts` are full Contact values.
struct Req {
  std::string method = "REGISTER";
  std::string user = "1001";       ///< To (and From) user
  std::vector<std::string> contacts = {"<sip:1001@198.51.100.7:5062>"};
  std::optional<uint32_t> expires;
  std::string call_id = "reg-call-1";
  uint32_t cseq = 1;
  std::string extra;          ///< more header lines, each ending in \r\n
  std::string authorization;  ///< header line without CRLF
  std::string to_tag;
  std::string request_uri;    ///< default sip:pbx.test (REGISTER) or sip:USER@pbx.test

  std::string ruri() const {
    if (!request_uri.empty()) return request_uri;
    return method == "REGISTER" ? std::string("sip:") + kRealm : "sip:" + user + "@" + kRealm;
  }

  std::string text() const {
    std::string m = method + " " + ruri() + " SIP/2.0\r\n";
    m += "Via: SIP/2.0/UDP 198.51.100.7:5062;branch=" + sip::make_branch() + ";rport\r\n";
    m += "Max-Forwards: 70\r\n";
    m += "From: <sip:" + user + "@" + kRealm + ">;tag=ft" + call_id + "\r\n";
    m += "To: <sip:" + user + "@" + kRealm + ">" + (to_tag.empty() ? "" : ";tag=" + to_tag) +
         "\r\n";
    m += "Call-ID: " + call_id + "\r\n";
    m += "CSeq: " + std::to_string(cseq) + " " + method + "\r\n";
    for (const auto& c : contacts) m += "Contact: " + c + "\r\n";
    if (expires) m += "Expires: " + std::to_string(*expires) + "\r\n";
    if (!authorization.empty()) m += authorization + "\r\n";
    m += extra;
    m += "Content-Length: 0\r\n\r\n";
    return m;
  }
};

class PbxFixture : public ::testing::Test {
 protected:
  PbxFixture()
      : layer_(timers, sender(), layer_options()),
        guard(timers, policy()),
        digest(digest_options(), [this] {
          return std::chrono::duration_cast<std::chrono::seconds>(
                     timers.now().time_since_epoch())
              .count();
        }),
        credentials(make_credentials()),
        auth(digest, guard, credentials, true),
        registrar(timers, RegistrarOptions{}, [this] { return wall_now(); },
                  [this](std::string_view n) { return credentials->contains(n); }) {
    sip::TransactionUser tu;
    tu.request = [this](const sip::ServerTransactionPtr& t) {
      if (auth.screen(t)) return;
      if (t->request().method_id() == sip::Method::kRegister) return registrar.on_register(t);
      t->respond(sip::make_response(t->request(), 200, "OK", "pbx"));
    };
    layer_.set_user(tu);
  }

  static AccessPolicy policy() {
    AccessPolicy p;
    p.max_failed_attempts = 3;
    p.failure_window = 60s;
    p.ban_duration = 300s;
    p.rate_limit_per_second = 0;
    p.allow_list = *IpAllowList::parse({"10.0.0.0/8", "2001:db8::/32"});
    return p;
  }
  static sip::DigestServerOptions digest_options() {
    sip::DigestServerOptions o;
    o.realm = kRealm;
    o.secret = "0123456789abcdef0123456789abcdef";
    return o;
  }
  static std::shared_ptr<CredentialStore> make_credentials() {
    auto c = std::make_shared<CredentialStore>(kRealm);
    c->add("1001", "Secret-1001-pw", false);
    c->add("1002", "Secret-1002-pw", true);
    return c;
  }
  sip::TransactionLayerOptions layer_options() {
    sip::TransactionLayerOptions o;
    o.sent_by = [](sip::Protocol) { return std::string("192.0.2.1:5060"); };
    o.policy.registrar = true;
    return o;
  }
  sip::TransactionLayer::Sender sender() {
    return [this](const sip::Destination& d, std::string b, sip::TransportLayer::SendDone done) {
      sent.push_back({d, std::move(b)});
      if (done) done(Status());
    };
  }

  store::Timestamp wall_now() const {
    return store::Timestamp{} + std::chrono::hours(24 * 365 * 50) +
           std::chrono::duration_cast<std::chrono::milliseconds>(timers.now() - start_);
  }

  /// Feeds bytes through the source filter and the layer; returns the
  /// response the PBX sent, or nullopt (dropped, or nothing answered).
  std::optional<sip::Message> send(const std::string& bytes,
                                   const sip::Source& from = udp_from()) {
    const size_t before = sent.size();
    if (guard.admit(from.remote_ip) != AccessGuard::Verdict::kAdmit) return std::nullopt;
    layer_.receive(bytes, from);
    for (size_t i = sent.size(); i-- > before;) {
      auto m = sip::parse_message(sent[i].second);
      if (m.ok() && m->is_response() && m->status_code() >= 200) return std::move(*m);
    }
    return std::nullopt;
  }

  /// The challenge for `alg` in a 401/407.
  static std::optional<sip::DigestChallenge> challenge_of(const sip::Message& r,
                                                          sip::DigestAlgorithm alg) {
    auto id = r.status_code() == 401 ? sip::HeaderId::kWwwAuthenticate
                                     : sip::HeaderId::kProxyAuthenticate;
    for (auto v : r.values(id)) {
      auto c = sip::parse_digest_challenge(v);
      if (c.ok() && c->effective_algorithm() == alg) return *c;
    }
    return std::nullopt;
  }

  /// Sends `req` unauthenticated, answers the challenge with `password`
  /// and returns the final answer to the second request.
  std::optional<sip::Message> authed(Req req, const std::string& password,
                                     const sip::Source& from = udp_from(),
                                     sip::DigestAlgorithm alg = sip::DigestAlgorithm::kMd5,
                                     std::string username = "") {
    auto first = send(req.text(), from);
    if (!first) return std::nullopt;
    if (first->status_code() != 401 && first->status_code() != 407) return first;
    auto ch = challenge_of(*first, alg);
    EXPECT_TRUE(ch.has_value());
    if (!ch) return std::nullopt;
    auto cred = sip::answer_digest_challenge(*ch, username.empty() ? req.user : username,
                                             password, req.method, req.ruri(),
                                             sip::make_cnonce(), 1);
    EXPECT_TRUE(cred.ok());
    req.cseq += 1;
    req.authorization = std::string(first->status_code() == 401 ? "Authorization: "
                                                                : "Proxy-Authorization: ") +
                        sip::serialize_digest_credentials(*cred);
    return send(req.text(), from);
  }

  std::vector<std::string> contacts_in(const sip::Message& r) {
    std::vector<std::string> out;
    for (auto v : r.values(sip::HeaderId::kContact)) out.emplace_back(v);
    return out;
  }

  VirtualTimers timers;
  std::vector<std::pair<sip::Destination, std::string>> sent;

 private:
  TimePoint start_ = timers.now();
  sip::TransactionLayer layer_;

 protected:
  AccessGuard guard;
  sip::DigestServer digest;
  std::shared_ptr<CredentialStore> credentials;
  RequestAuthenticator auth;
  Registrar registrar;
};

inline const std::string kPw1001 = "Secret-1001-pw";

}  // namespace switchboard::core::testing
