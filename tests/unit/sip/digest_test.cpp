// Digest authentication: RFC 7616 §3.9.1 vectors, header syntax, the server
// (nonces, staleness, nc replay) in virtual time, and the client.
#include "sip/digest.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>

#include "sip/digest_client.hpp"
#include "sip/digest_server.hpp"

namespace switchboard::sip {
namespace {

// RFC 7616 §3.9.1 (errata 4495: "Circle of Life", lower-case "of").
constexpr std::string_view kUser = "Mufasa";
constexpr std::string_view kPassword = "Circle of Life";
constexpr std::string_view kRealm = "http-auth@example.org";
constexpr std::string_view kNonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
constexpr std::string_view kCnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
constexpr std::string_view kOpaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";

std::string rfc7616_response(DigestAlgorithm alg) {
  const std::string ha1 = compute_ha1(alg, kUser, kRealm, kPassword);
  DigestResponseInput in;
  in.algorithm = alg;
  in.ha1 = ha1;
  in.nonce = kNonce;
  in.nc = "00000001";
  in.cnonce = kCnonce;
  in.qop = "auth";
  in.method = "GET";
  in.uri = "/dir/index.html";
  return compute_digest_response(in);
}

TEST(Digest, Rfc7616Section391Vectors) {
  EXPECT_EQ(rfc7616_response(DigestAlgorithm::kMd5), "8ca523f5e9506fed4657c9700eebdbec");
  EXPECT_EQ(rfc7616_response(DigestAlgorithm::kSha256),
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

TEST(Digest, ClientAnswersTheRfc7616Challenge) {
  // The SHA-256 challenge of §3.9.1, as a header.
  const std::string header = std::string("Digest realm=\"") + std::string(kRealm) +
                             "\", qop=\"auth, auth-int\", algorithm=SHA-256, nonce=\"" +
                             std::string(kNonce) + "\", opaque=\"" + std::string(kOpaque) + "\"";
  Result<DigestChallenge> ch = parse_digest_challenge(header);
  ASSERT_TRUE(ch.ok());
  EXPECT_EQ(ch->effective_algorithm(), DigestAlgorithm::kSha256);
  ASSERT_EQ(ch->qop.size(), 2u);
  Result<DigestCredentials> cr =
      answer_digest_challenge(*ch, kUser, kPassword, "GET", "/dir/index.html", kCnonce, 1);
  ASSERT_TRUE(cr.ok());
  EXPECT_EQ(cr->response, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
  EXPECT_EQ(cr->nc, "00000001");
  EXPECT_EQ(cr->opaque, kOpaque);
  // The Authorization value parses back to the same credentials.
  Result<DigestCredentials> back = parse_digest_credentials(serialize_digest_credentials(*cr));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->username, "Mufasa");
  EXPECT_EQ(back->realm, kRealm);
  EXPECT_EQ(back->uri, "/dir/index.html");
  EXPECT_EQ(back->response, cr->response);
  EXPECT_EQ(back->qop, "auth");
  EXPECT_EQ(back->nc, "00000001");
  EXPECT_EQ(back->cnonce, kCnonce);
  EXPECT_EQ(back->effective_algorithm(), DigestAlgorithm::kSha256);
}

TEST(Digest, ParsesAndSerializesHeaders) {
  DigestChallenge c;
  c.realm = "pbx \"main\"";
  c.nonce = "n1";
  c.opaque = "o1";
  c.has_opaque = true;
  c.algorithm = DigestAlgorithm::kSha256;
  c.qop = {"auth"};
  c.stale = true;
  const std::string text = serialize_digest_challenge(c);
  EXPECT_EQ(text,
            "Digest realm=\"pbx \\\"main\\\"\", nonce=\"n1\", opaque=\"o1\", stale=true, "
            "algorithm=SHA-256, qop=\"auth\"");
  Result<DigestChallenge> back = parse_digest_challenge(text);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->realm, "pbx \"main\"");
  EXPECT_TRUE(back->stale);
  EXPECT_EQ(parse_digest_challenge("Basic realm=\"x\"").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(parse_digest_challenge("Digest realm=\"x\", nonce=\"y\", algorithm=SHA-1").error().code,
            ErrorCode::kFailedPrecondition);
  EXPECT_FALSE(parse_digest_challenge("Digest realm=\"x\"").ok());  // no nonce
  EXPECT_FALSE(parse_digest_credentials("Digest username=\"a\", nonce=\"b\"").ok());
  EXPECT_EQ(parse_digest_algorithm("sha-512-256-SESS"), DigestAlgorithm::kSha512_256Sess);
}

TEST(Digest, SessionAlgorithmsAndRfc2069) {
  DigestChallenge c;
  c.realm = "r";
  c.nonce = "n";
  c.algorithm = DigestAlgorithm::kMd5Sess;
  c.qop = {"auth"};
  Result<DigestCredentials> sess = answer_digest_challenge(c, "u", "p", "INVITE", "sip:x", "cn", 7);
  ASSERT_TRUE(sess.ok());
  // MD5-sess: HA1 = H(H(u:r:p):nonce:cnonce).
  const std::string base = compute_ha1(DigestAlgorithm::kMd5, "u", "r", "p");
  const std::string ha1 = digest_hex(DigestAlgorithm::kMd5, base + ":n:cn");
  const std::string ha2 = digest_hex(DigestAlgorithm::kMd5, "INVITE:sip:x");
  EXPECT_EQ(sess->response, digest_hex(DigestAlgorithm::kMd5, ha1 + ":n:00000007:cn:auth:" + ha2));
  // No qop offered: RFC 2069 form H(HA1:nonce:HA2), no nc/cnonce sent.
  DigestChallenge old;
  old.realm = "r";
  old.nonce = "n";
  Result<DigestCredentials> legacy =
      answer_digest_challenge(old, "u", "p", "INVITE", "sip:x", "cn", 1);
  ASSERT_TRUE(legacy.ok());
  EXPECT_TRUE(legacy->nc.empty());
  EXPECT_EQ(legacy->response, digest_hex(DigestAlgorithm::kMd5, base + ":n:" + ha2));
  // Only auth-int offered: refused.
  DigestChallenge int_only = old;
  int_only.qop = {"auth-int"};
  EXPECT_FALSE(answer_digest_challenge(int_only, "u", "p", "INVITE", "sip:x", "cn", 1).ok());
  const std::vector<DigestChallenge> both{int_only, c};
  EXPECT_EQ(pick_digest_challenge(both), &both[1]);
}

class DigestServerTest : public ::testing::Test {
 protected:
  DigestServerTest() : server_(options(), [this] { return now_; }) {}

  static DigestServerOptions options() {
    DigestServerOptions o;
    o.realm = "pbx.example.com";
    o.secret = "0123456789abcdef0123456789abcdef";
    o.nonce_lifetime_s = 300;
    o.max_tracked_nonces = 4;
    return o;
  }

  DigestCredentials answer(const DigestChallenge& ch, std::uint32_t nc,
                           std::string_view password = "secret") {
    return *answer_digest_challenge(ch, "1001", password, "REGISTER", "sip:pbx.example.com",
                                    make_cnonce(), nc);
  }
  std::string ha1(DigestAlgorithm alg) {
    return compute_ha1(alg, "1001", "pbx.example.com", "secret");
  }
  DigestVerdict verify(const DigestCredentials& cr) {
    return server_.verify(cr, "REGISTER", ha1(cr.effective_algorithm()), "sip:pbx.example.com");
  }

  std::int64_t now_ = 1'700'000'000;
  DigestServer server_;
};

TEST_F(DigestServerTest, ChallengesSha256FirstThenMd5) {
  const std::vector<DigestChallenge> chs = server_.make_challenges();
  ASSERT_EQ(chs.size(), 2u);
  EXPECT_EQ(chs[0].algorithm, DigestAlgorithm::kSha256);
  EXPECT_EQ(chs[1].algorithm, DigestAlgorithm::kMd5);
  EXPECT_NE(chs[0].nonce, chs[1].nonce);  // salted even within one second
  EXPECT_EQ(chs[0].nonce.size(), 64u);
  EXPECT_EQ(chs[0].qop, std::vector<std::string>{"auth"});
  EXPECT_TRUE(chs[0].has_opaque);
  EXPECT_EQ(pick_digest_challenge(chs), &chs[0]);
}

TEST_F(DigestServerTest, AcceptsCorrectCredentialsForEachAlgorithm) {
  for (const DigestChallenge& ch : server_.make_challenges()) {
    EXPECT_EQ(verify(answer(ch, 1)), DigestVerdict::kOk);
  }
}

TEST_F(DigestServerTest, RejectsWrongPasswordAndForeignNonces) {
  const DigestChallenge ch = server_.make_challenges()[0];
  EXPECT_EQ(verify(answer(ch, 1, "wrong")), DigestVerdict::kBadResponse);
  DigestChallenge forged = ch;
  forged.nonce[10] = forged.nonce[10] == 'A' ? 'B' : 'A';
  EXPECT_EQ(verify(answer(forged, 1)), DigestVerdict::kBadNonce);
  forged.nonce = "short";
  EXPECT_EQ(verify(answer(forged, 1)), DigestVerdict::kBadNonce);
  // A nonce of another server (other secret) is not ours.
  DigestServerOptions other = options();
  other.secret = "another secret, another server!";
  DigestServer stranger(other, [this] { return now_; });
  EXPECT_EQ(verify(answer(stranger.make_challenges()[0], 1)), DigestVerdict::kBadNonce);
}

TEST_F(DigestServerTest, ExpiredNonceIsStaleOnlyIfResponseIsRight) {
  const DigestChallenge ch = server_.make_challenges()[0];
  now_ += 301;
  EXPECT_EQ(verify(answer(ch, 1)), DigestVerdict::kStale);
  EXPECT_EQ(verify(answer(ch, 1, "wrong")), DigestVerdict::kBadResponse);
  // The re-challenge carries stale=true.
  EXPECT_TRUE(server_.make_challenges(true)[0].stale);
  now_ -= 2;  // within the lifetime again
  EXPECT_EQ(verify(answer(ch, 1)), DigestVerdict::kOk);
}

TEST_F(DigestServerTest, NonceCountReplayIsRejected) {
  const DigestChallenge ch = server_.make_challenges()[0];
  const DigestCredentials first = answer(ch, 1);
  EXPECT_EQ(verify(first), DigestVerdict::kOk);
  EXPECT_EQ(verify(first), DigestVerdict::kReplay);  // same nc again
  EXPECT_EQ(verify(answer(ch, 3)), DigestVerdict::kOk);
  EXPECT_EQ(verify(answer(ch, 2)), DigestVerdict::kReplay);  // decreasing nc
  EXPECT_EQ(verify(answer(ch, 4)), DigestVerdict::kOk);
}

TEST_F(DigestServerTest, ForgottenNoncesBecomeStaleNotFresh) {
  const DigestChallenge old = server_.make_challenges()[0];
  EXPECT_EQ(verify(answer(old, 1)), DigestVerdict::kOk);
  now_ += 1;
  for (int i = 0; i < 4; ++i) {  // fill the table (max 4) with newer nonces
    EXPECT_EQ(verify(answer(server_.make_challenges()[0], 1)), DigestVerdict::kOk);
  }
  // The oldest entry was evicted: its nonce must not accept nc=1 again.
  EXPECT_EQ(verify(answer(old, 1)), DigestVerdict::kStale);
}

TEST_F(DigestServerTest, MalformedRealmAlgorithmUriAndOpaque) {
  const DigestChallenge ch = server_.make_challenges()[0];
  DigestCredentials cr = answer(ch, 1);
  DigestCredentials no_qop = cr;
  no_qop.qop.clear();
  EXPECT_EQ(verify(no_qop), DigestVerdict::kMalformed);
  DigestCredentials bad_nc = cr;
  bad_nc.nc = "1";
  EXPECT_EQ(verify(bad_nc), DigestVerdict::kMalformed);
  DigestCredentials realm = cr;
  realm.realm = "other";
  EXPECT_EQ(verify(realm), DigestVerdict::kWrongRealm);
  DigestCredentials alg = cr;
  alg.algorithm = DigestAlgorithm::kSha512_256;
  EXPECT_EQ(verify(alg), DigestVerdict::kUnsupportedAlgorithm);
  DigestCredentials opaque = cr;
  opaque.opaque = "tampered";
  EXPECT_EQ(verify(opaque), DigestVerdict::kBadNonce);
  EXPECT_EQ(server_.verify(cr, "REGISTER", ha1(DigestAlgorithm::kSha256), "sip:elsewhere"),
            DigestVerdict::kUriMismatch);
  // Upper-case hex in the response is the same digest.
  DigestCredentials upper = cr;
  for (char& c : upper.response) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(verify(upper), DigestVerdict::kOk);
  EXPECT_EQ(to_string(DigestVerdict::kReplay), "replayed nonce count");
}

}  // namespace
}  // namespace switchboard::sip
