#include "features/voicemail/pin.hpp"

#include <gtest/gtest.h>

namespace switchboard::features::voicemail {
namespace {

TEST(VoicemailPin, HashVerifiesOnlyTheSamePin) {
  std::string h = hash_pin("4711", 1000);
  EXPECT_EQ(h.rfind("pbkdf2-sha256$1000$", 0), 0U) << h;
  EXPECT_EQ(h.find("4711"), std::string::npos);
  EXPECT_TRUE(verify_pin("4711", h));
  EXPECT_FALSE(verify_pin("4712", h));
  EXPECT_FALSE(verify_pin("", h));
  EXPECT_FALSE(verify_pin("47110", h));
}

TEST(VoicemailPin, SaltedSoEqualPinsHashDifferently) {
  EXPECT_NE(hash_pin("4711", 1000), hash_pin("4711", 1000));
}

TEST(VoicemailPin, DefaultIsSlow) {
  EXPECT_GE(kDefaultPinIterations, 100000);
  std::string h = hash_pin("4711");
  EXPECT_EQ(h.rfind("pbkdf2-sha256$200000$", 0), 0U);
  EXPECT_TRUE(verify_pin("4711", h));
}

TEST(VoicemailPin, MalformedHashesNeverVerify) {
  for (const char* bad : {"", "4711", "pbkdf2-sha256$", "pbkdf2-sha256$x$aa$bb",
                          "md5$1000$aa$"
                          "0000000000000000000000000000000000000000000000000000000000000000",
                          "pbkdf2-sha256$0$aa$"
                          "0000000000000000000000000000000000000000000000000000000000000000",
                          "pbkdf2-sha256$99999999999$aa$"
                          "00"}) {
    EXPECT_FALSE(verify_pin("4711", bad)) << bad;
  }
}

TEST(VoicemailPin, WeakPinsAreRejected) {
  for (const char* weak : {"1111", "0000", "1234", "4321", "6789", "8901", "12345678", "98765",
                           "1001", "123", "12a4", "", "1234567890123"}) {
    EXPECT_TRUE(weak_pin_reason(weak, "1001", 4).has_value()) << weak;
  }
  for (const char* ok : {"4711", "2580", "13579", "90210", "1357"}) {
    EXPECT_FALSE(weak_pin_reason(ok, "1001", 4).has_value()) << ok;
  }
  EXPECT_TRUE(weak_pin_reason("4711", "1001", 6).has_value());
}

TEST(VoicemailPin, ConstantTimeCompare) {
  EXPECT_TRUE(same_pin("4711", "4711"));
  EXPECT_FALSE(same_pin("4711", "471"));
  EXPECT_FALSE(same_pin("4711", "4712"));
}

}  // namespace
}  // namespace switchboard::features::voicemail
