#include "api/auth.hpp"

#include <gtest/gtest.h>

#include "api/auth_crypto.hpp"
#include "api/rbac.hpp"

namespace switchboard::api {
namespace {

TEST(AuthCrypto, TokensAreRandomAndHashedWithSha256) {
  const auto a = random_token(), b = random_token();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 4u + 64u);
  EXPECT_EQ(a.substr(0, 4), "sbt_");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(AuthCrypto, PasswordsAreSaltedPbkdf2) {
  const auto h1 = hash_password("Correct-horse-1", 1000),
             h2 = hash_password("Correct-horse-1", 1000);
  EXPECT_NE(h1, h2);  // salted
  EXPECT_EQ(h1.substr(0, 19), "pbkdf2-sha256$1000$");
  EXPECT_TRUE(verify_password("Correct-horse-1", h1));
  EXPECT_FALSE(verify_password("correct-horse-1", h1));
  EXPECT_FALSE(verify_password("Correct-horse-1", ""));
  EXPECT_FALSE(verify_password("Correct-horse-1", "pbkdf2-sha256$1$aa$bb"));  // too few rounds
  EXPECT_FALSE(verify_password("x", "plain-text"));
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
}

TEST(Rbac, TheMatrix) {
  using P = Permission;
  struct Row {
    P p;
    bool user, op, admin;
  };
  const Row rows[] = {
      {P::kPublic, true, true, true},         {P::kStatusRead, true, true, true},
      {P::kExtensionsRead, true, true, true}, {P::kRegistrationsRead, true, true, true},
      {P::kCallsRead, true, true, true},      {P::kCdrRead, true, true, true},
      {P::kEventsRead, true, true, true},     {P::kPresenceRead, true, true, true},
      {P::kPresenceWrite, true, true, true},  {P::kVoicemailRead, true, true, true},
      {P::kVoicemailWrite, true, true, true}, {P::kQueuesRead, true, true, true},
      {P::kCallsOriginate, true, true, true}, {P::kVoicemailAdmin, false, true, true},
      {P::kCallsRecord, true, true, true},    {P::kCallsControl, false, true, true},
      {P::kCallsTransfer, true, true, true},  {P::kStatsRead, false, true, true},
      {P::kMetricsRead, false, true, true},   {P::kExtensionsWrite, false, false, true},
      {P::kConfigRead, false, false, true},   {P::kAuditRead, false, false, true},
  };
  for (const auto& r : rows) {
    EXPECT_EQ(allowed(Role::kUser, r.p), r.user) << to_string(r.p);
    EXPECT_EQ(allowed(Role::kOperator, r.p), r.op) << to_string(r.p);
    EXPECT_EQ(allowed(Role::kAdmin, r.p), r.admin) << to_string(r.p);
  }
  EXPECT_EQ((Principal{"u", Role::kUser, "1001"}.scope()), "1001");
  EXPECT_EQ((Principal{"u", Role::kUser, std::nullopt}.scope()), "");  // sees nothing
  EXPECT_FALSE((Principal{"o", Role::kOperator, "1001"}.scope()));
  EXPECT_EQ(role_from("operator"), Role::kOperator);
  EXPECT_FALSE(role_from("root"));
}

TEST(LoginLimiter, LocksOutAfterTheLimitWithinTheWindowAndExpires) {
  LoginPolicy p;
  p.max_failures = 3;
  p.window = std::chrono::seconds(60);
  p.lockout = std::chrono::seconds(300);
  LoginLimiter l(p);
  const auto t0 = Clock::time_point{} + std::chrono::hours(1);
  EXPECT_FALSE(l.record_failure("ip:1", t0));
  EXPECT_FALSE(l.record_failure("ip:1", t0 + std::chrono::seconds(1)));
  EXPECT_EQ(l.locked_for("ip:1", t0), 0);
  EXPECT_TRUE(l.record_failure("ip:1", t0 + std::chrono::seconds(2)));
  EXPECT_GT(l.locked_for("ip:1", t0 + std::chrono::seconds(3)), 290);
  EXPECT_EQ(l.locked_for("ip:1", t0 + std::chrono::seconds(303)), 0);
  // Failures further apart than the window do not add up.
  EXPECT_FALSE(l.record_failure("ip:2", t0));
  EXPECT_FALSE(l.record_failure("ip:2", t0 + std::chrono::seconds(61)));
  EXPECT_FALSE(l.record_failure("ip:2", t0 + std::chrono::seconds(62)));
  EXPECT_EQ(l.locked_for("ip:2", t0 + std::chrono::seconds(62)), 0);
}

TEST(Credentials, BearerOrSessionCookie) {
  Request r{boost::beast::http::verb::get, "/", 11};
  EXPECT_EQ(credential_of(r), "");
  r.set(boost::beast::http::field::cookie, "theme=dark; sb_session=sbt_abc; x=y");
  EXPECT_EQ(credential_of(r), "sbt_abc");
  r.set(boost::beast::http::field::authorization, "Bearer sbt_tok");
  EXPECT_EQ(credential_of(r), "sbt_tok");  // the header wins
  r.set(boost::beast::http::field::authorization, "Basic eDp5");
  EXPECT_EQ(credential_of(r), "sbt_abc");
}

TEST(SessionStore, ExpiresAndRemoves) {
  SessionStore s;
  const auto now = Clock::now();
  auto tok = s.create({"ada", Role::kOperator, "1001"}, now + std::chrono::seconds(10));
  ASSERT_TRUE(s.find(tok, now));
  EXPECT_EQ(s.find(tok, now)->actor, "ada");
  EXPECT_FALSE(s.find(tok, now + std::chrono::seconds(11)));
  EXPECT_FALSE(s.find(tok + "x", now));
  s.remove(tok);
  EXPECT_FALSE(s.find(tok, now));
}

}  // namespace
}  // namespace switchboard::api
