// Serializer: CRLF, RFC 4566 order, and parse → serialize → parse equality.
#include "sdp/serializer.hpp"

#include <gtest/gtest.h>

#include <string>

#include "sdp/parser.hpp"
#include "unit/sdp/samples.hpp"

namespace switchboard::sdp {
namespace {

class RoundTrip : public ::testing::TestWithParam<const char*> {};

TEST_P(RoundTrip, ParseSerializeParseIsEqual) {
  auto first = parse(GetParam());
  ASSERT_TRUE(first.ok()) << first.error().message;
  std::string text = serialize(*first);
  auto second = parse(text);
  ASSERT_TRUE(second.ok()) << second.error().message << "\n" << text;
  EXPECT_EQ(*first, *second) << text;
  EXPECT_EQ(serialize(*second), text);
}

INSTANTIATE_TEST_SUITE_P(Samples, RoundTrip,
                         ::testing::Values(samples::kDeskPhone, samples::kBaresip,
                                           samples::kLinphone, samples::kAudioVideo,
                                           samples::kLegacyHold, samples::kIpv6,
                                           "v=0\no=- 1 1 IN IP4 a\ns=\nb=AS:1\ni=x\nk=prompt\n"
                                           "c=IN IP4 a\nt=1 2\nt=3 4\nr=7d 1h 0 25h\n"
                                           "a=flag\na=x:\nm=audio 4/2 RTP/AVP 0\nb=TIAS:1\n"
                                           "i=voice\na=maxptime:40\na=fmtp:0\n"));

TEST(SdpSerializer, WritesCrlfInRfcOrder) {
  auto sd = parse(samples::kBaresip);
  ASSERT_TRUE(sd.ok());
  EXPECT_EQ(serialize(*sd),
            "v=0\r\n"
            "o=- 1712131803 1712131804 IN IP4 198.51.100.7\r\n"
            "s=-\r\n"
            "c=IN IP4 198.51.100.7\r\n"
            "t=0 0\r\n"
            "a=tool:baresip 1.0.0\r\n"
            "m=audio 10142 RTP/AVP 0 8 101\r\n"
            "b=AS:64\r\n"
            "a=rtpmap:0 PCMU/8000\r\n"
            "a=rtpmap:8 PCMA/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\n"
            "a=fmtp:101 0-15\r\n"
            "a=ptime:20\r\n"
            "a=rtcp:10143\r\n"
            "a=label:1\r\n"
            "a=ssrc:2839910 cname:a1b2c3d4@baresip\r\n"
            "a=sendrecv\r\n");
}

TEST(SdpSerializer, EmptySessionNameIsASpace) {
  SessionDescription sd;
  sd.origin = Origin{"-", "1", 2, AddressType::kIp6, "::1"};
  std::string text = serialize(sd);
  EXPECT_NE(text.find("o=- 1 2 IN IP6 ::1\r\ns= \r\nt=0 0\r\n"), std::string::npos) << text;
  auto back = parse(text);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, sd);
}

}  // namespace
}  // namespace switchboard::sdp
