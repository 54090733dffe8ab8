#include "core/security/credentials.hpp"

#include <gtest/gtest.h>

namespace switchboard::core {
namespace {

TEST(Credentials, KeepsHa1sNotPasswords) {
  CredentialStore c("pbx.test");
  c.add("1001", "Secret-1001-pw", false);
  const auto* e = c.find("1001");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->ha1_md5,
            sip::compute_ha1(sip::DigestAlgorithm::kMd5, "1001", "pbx.test", "Secret-1001-pw"));
  EXPECT_EQ(e->ha1_sha256,
            sip::compute_ha1(sip::DigestAlgorithm::kSha256, "1001", "pbx.test", "Secret-1001-pw"));
  EXPECT_EQ(c.find("1009"), nullptr);
  // The dummy looks like a real entry (same lengths) and is nobody's.
  EXPECT_EQ(c.dummy().ha1_md5.size(), e->ha1_md5.size());
  EXPECT_EQ(c.dummy().ha1_sha256.size(), e->ha1_sha256.size());
  EXPECT_NE(c.dummy().ha1_md5, e->ha1_md5);
}

TEST(Credentials, MayCallExternalFollowsTheExtensionPermission) {
  CredentialStore c("pbx.test");
  c.add("1001", "Secret-1001-pw", false);
  c.add("1002", "Secret-1002-pw", true);
  EXPECT_FALSE(may_call_external(c, "1001"));
  EXPECT_TRUE(may_call_external(c, "1002"));
  EXPECT_FALSE(may_call_external(c, "1003"));  // unknown: never
  EXPECT_FALSE(may_call_external(c, ""));
}

}  // namespace
}  // namespace switchboard::core
