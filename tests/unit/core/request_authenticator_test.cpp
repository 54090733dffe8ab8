// Digest authentication of phones' requests, no enumeration, bans.
#include <regex>

#include "pbx_fixture.hpp"

namespace switchboard::core::testing {
namespace {

class AuthTest : public PbxFixture {};

TEST_F(AuthTest, RegisterIsChallengedWithSha256AndMd5) {
  auto r = send(Req{}.text());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code(), 401);
  auto values = r->values(sip::HeaderId::kWwwAuthenticate);
  ASSERT_EQ(values.size(), 2u);
  auto first = sip::parse_digest_challenge(values[0]);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->effective_algorithm(), sip::DigestAlgorithm::kSha256);  // RFC 8760 order
  for (auto alg : {sip::DigestAlgorithm::kSha256, sip::DigestAlgorithm::kMd5}) {
    auto c = challenge_of(*r, alg);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->realm, kRealm);
    EXPECT_EQ(c->qop, std::vector<std::string>{"auth"});
  }
  EXPECT_EQ(guard.stats().challenges, 1u);
  EXPECT_EQ(registrar.binding_count(), 0u);
}

TEST_F(AuthTest, RegisterWithMd5AndWithSha256) {
  auto r = authed(Req{}, kPw1001, udp_from(), sip::DigestAlgorithm::kMd5);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code(), 200);
  Req second;
  second.call_id = "other";
  second.contacts = {"<sip:1001@198.51.100.7:5070>"};
  r = authed(second, kPw1001, udp_from(), sip::DigestAlgorithm::kSha256);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code(), 200);
  EXPECT_EQ(registrar.binding_count(), 2u);
  EXPECT_EQ(guard.stats().auth_ok, 2u);
}

TEST_F(AuthTest, WrongPasswordIsForbiddenAndCounted) {
  auto r = authed(Req{}, "not-the-password");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code(), 403);
  EXPECT_EQ(guard.stats().auth_failures, 1u);
  EXPECT_EQ(registrar.binding_count(), 0u);
}

TEST_F(AuthTest, CannotRegisterSomeoneElsesExtension) {
  Req req;
  req.user = "1002";  // To: 1002, credentials of 1001
  auto r = authed(req, kPw1001, udp_from(), sip::DigestAlgorithm::kMd5, "1001");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code(), 403);
  EXPECT_EQ(registrar.binding_count(), 0u);
}

// Issue 4 §5: a scanner sees the same thing for 1001 (exists) and 1999 (not).
TEST_F(AuthTest, UnknownExtensionLooksExactlyLikeAKnownOne) {
  auto shape = [](const sip::Message& r) {
    std::string s = std::to_string(r.status_code()) + " " + std::string(r.reason());
    for (auto v : r.values(sip::HeaderId::kWwwAuthenticate)) {
      // Nonces differ per challenge; their format may not.
      s += "|" +
           std::regex_replace(std::string(v), std::regex("nonce=\"[A-Za-z0-9+/]{64}\""), "nonce=N");
    }
    return s;
  };
  Req known;
  Req unknown;
  unknown.user = "1999";
  unknown.contacts = {"<sip:1999@198.51.100.7:5062>"};
  auto a = send(known.text());
  auto b = send(unknown.text());
  ASSERT_TRUE(a && b);
  EXPECT_EQ(shape(*a), shape(*b));
  EXPECT_NE(shape(*a).find("nonce=N"), std::string::npos) << shape(*a);

  // Guessing a password: the same 403 whether the extension exists or not,
  // and both count as failures of the source.
  auto wrong_known = authed(known, "guess-1");
  auto wrong_unknown = authed(unknown, "guess-1");
  ASSERT_TRUE(wrong_known && wrong_unknown);
  EXPECT_EQ(wrong_known->status_code(), 403);
  EXPECT_EQ(wrong_unknown->status_code(), 403);
  EXPECT_EQ(wrong_known->reason(), wrong_unknown->reason());
  EXPECT_EQ(guard.stats().auth_failures, 2u);

  // And an INVITE to or from an unknown extension is challenged the same way.
  Req inv_known, inv_unknown;
  inv_known.method = inv_unknown.method = "INVITE";
  inv_unknown.user = "1999";
  inv_known.call_id = "i1";
  inv_unknown.call_id = "i2";
  auto c = send(inv_known.text());
  auto d = send(inv_unknown.text());
  ASSERT_TRUE(c && d);
  EXPECT_EQ(c->status_code(), 407);
  EXPECT_EQ(d->status_code(), 407);
}

TEST_F(AuthTest, BruteForceEndsInABanAndPacketsAreDropped) {
  for (int i = 0; i < 3; ++i) {
    Req req;
    req.call_id = "bf" + std::to_string(i);
    auto r = authed(req, "guess-" + std::to_string(i));
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->status_code(), 403);
  }
  EXPECT_EQ(guard.stats().bans, 1u);
  const size_t before = sent.size();
  EXPECT_FALSE(send(Req{}.text()));  // dropped without reply
  EXPECT_EQ(sent.size(), before);
  // Even the right password is not heard while banned …
  EXPECT_FALSE(authed(Req{}, kPw1001));
  // … but another source is.
  auto other = authed(Req{}, kPw1001, udp_from("198.51.100.99"));
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status_code(), 200);
  timers.advance(301s);
  Req late;
  late.call_id = "late";
  auto after = authed(late, kPw1001);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status_code(), 200);
}

TEST_F(AuthTest, AllowListedSourceIsNotBanned) {
  for (int i = 0; i < 5; ++i) {
    Req req;
    req.call_id = "al" + std::to_string(i);
    auto r = authed(req, "guess", udp_from("10.1.1.1"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status_code(), 403);
  }
  EXPECT_EQ(guard.stats().bans, 0u);
  auto ok = authed(Req{}, kPw1001, udp_from("10.1.1.1"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status_code(), 200);
}

TEST_F(AuthTest, EveryOutOfDialogMethodIsAuthenticated) {
  for (const char* method : {"INVITE", "SUBSCRIBE", "MESSAGE", "REFER", "PUBLISH", "OPTIONS"}) {
    Req req;
    req.method = method;
    req.call_id = std::string("ood-") + method;
    req.contacts = {"<sip:1001@198.51.100.7:5062>"};
    std::string extra;
    if (req.method == "SUBSCRIBE" || req.method == "PUBLISH") extra = "Event: presence\r\n";
    if (req.method == "REFER") extra = "Refer-To: <sip:1002@pbx.test>\r\n";
    req.extra = extra;
    auto r = send(req.text());
    ASSERT_TRUE(r) << method;
    EXPECT_EQ(r->status_code(), 407) << method;
    EXPECT_EQ(r->count(sip::HeaderId::kProxyAuthenticate), 2u) << method;
    auto ok = authed(req, kPw1001);
    ASSERT_TRUE(ok) << method;
    EXPECT_EQ(ok->status_code(), 200) << method;  // reached the handler
  }
}

TEST_F(AuthTest, InDialogRequestsAndTrustedOptionsPass) {
  Req bye;
  bye.method = "BYE";
  bye.to_tag = "dialog-tag";
  bye.contacts.clear();
  auto r = send(bye.text());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code(), 200);

  Req ping;
  ping.method = "OPTIONS";
  ping.request_uri = std::string("sip:") + kRealm;
  ping.contacts.clear();
  auto trusted = send(ping.text(), udp_from("10.0.0.5"));
  ASSERT_TRUE(trusted);
  EXPECT_EQ(trusted->status_code(), 200);  // Kamailio's keep-alive
  ping.call_id = "phone-ping";
  auto phone = send(ping.text(), udp_from("198.51.100.7"));
  ASSERT_TRUE(phone);
  EXPECT_EQ(phone->status_code(), 407);
}

TEST_F(AuthTest, StaleNonceIsRechallengedWithStaleTrue) {
  auto first = send(Req{}.text());
  ASSERT_TRUE(first);
  auto ch = challenge_of(*first, sip::DigestAlgorithm::kMd5);
  ASSERT_TRUE(ch);
  timers.advance(std::chrono::seconds(400));  // past the 300 s nonce lifetime
  Req req;
  req.cseq = 2;
  auto cred = sip::answer_digest_challenge(*ch, "1001", kPw1001, "REGISTER", req.ruri(),
                                           sip::make_cnonce(), 1);
  req.authorization = "Authorization: " + sip::serialize_digest_credentials(*cred);
  auto r = send(req.text());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code(), 401);
  auto again = challenge_of(*r, sip::DigestAlgorithm::kMd5);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->stale);
  EXPECT_EQ(guard.stats().auth_failures, 0u);  // the password was right
}

TEST_F(AuthTest, WithoutRequireAuthenticationNothingIsChallenged) {
  auth.set_require_authentication(false);
  auto r = send(Req{}.text());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code(), 200);
  Req unknown;
  unknown.user = "1999";
  unknown.call_id = "u";
  r = send(unknown.text());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code(), 404);  // still only extensions that exist
}

}  // namespace
}  // namespace switchboard::core::testing
