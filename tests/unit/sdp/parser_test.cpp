// Parser: real-world descriptions, leniency where phones deviate, and the
// malformed inputs that must be refused with a clear error.
#include "sdp/parser.hpp"

#include <gtest/gtest.h>

#include <string>

#include "unit/sdp/samples.hpp"

namespace switchboard::sdp {
namespace {

SessionDescription must_parse(const std::string& text) {
  auto sd = parse(text);
  EXPECT_TRUE(sd.ok()) << (sd.ok() ? "" : sd.error().message);
  return sd.ok() ? *sd : SessionDescription{};
}

std::string error_of(const std::string& text) {
  auto sd = parse(text);
  EXPECT_FALSE(sd.ok()) << text;
  return sd.ok() ? "" : sd.error().message;
}

TEST(SdpParser, DeskPhoneOffer) {
  SessionDescription sd = must_parse(samples::kDeskPhone);
  EXPECT_EQ(sd.origin.session_id, "20518");
  EXPECT_EQ(sd.origin.version, 0u);
  EXPECT_EQ(sd.origin.address, "192.0.2.31");
  EXPECT_EQ(sd.session_name, "SDP data");
  ASSERT_TRUE(sd.connection);
  EXPECT_EQ(sd.connection->address, "192.0.2.31");
  ASSERT_EQ(sd.media.size(), 1u);
  const MediaDescription& m = sd.media[0];
  EXPECT_EQ(m.media, "audio");
  EXPECT_EQ(m.port, 11780);
  EXPECT_EQ(m.protocol, "RTP/AVP");
  EXPECT_EQ(m.formats, (std::vector<std::string>{"9", "0", "8", "18", "101"}));
  EXPECT_EQ(m.rtpmaps.size(), 5u);
  ASSERT_NE(m.fmtp("101"), nullptr);
  EXPECT_EQ(*m.fmtp("101"), "0-15");
  EXPECT_EQ(*m.fmtp("18"), "annexb=no");
  EXPECT_EQ(m.ptime, 20u);
  EXPECT_EQ(m.direction, Direction::kSendRecv);
}

TEST(SdpParser, BaresipWithLfOnlyAndRtcp) {
  SessionDescription sd = must_parse(samples::kBaresip);
  EXPECT_EQ(sd.origin.version, 1712131804u);
  ASSERT_EQ(sd.attributes.size(), 1u);
  EXPECT_EQ(sd.attributes[0].name, "tool");
  EXPECT_EQ(sd.attributes[0].value, "baresip 1.0.0");
  const MediaDescription& m = sd.media[0];
  ASSERT_TRUE(m.rtcp);
  EXPECT_EQ(m.rtcp->port, 10143);
  EXPECT_FALSE(m.rtcp->connection);
  ASSERT_EQ(m.lines.size(), 1u);
  EXPECT_EQ(m.lines[0].type, 'b');
  EXPECT_EQ(m.lines[0].value, "AS:64");
  ASSERT_EQ(m.attributes.size(), 2u);  // label, ssrc kept verbatim
  EXPECT_EQ(m.attributes[1].value, "2839910 cname:a1b2c3d4@baresip");
}

TEST(SdpParser, LinphoneOpus) {
  SessionDescription sd = must_parse(samples::kLinphone);
  const MediaDescription& m = sd.media[0];
  ASSERT_TRUE(m.connection);
  const RtpMap* opus = m.rtpmap(96);
  ASSERT_NE(opus, nullptr);
  EXPECT_EQ(opus->encoding, "opus");
  EXPECT_EQ(opus->clock_rate, 48000u);
  EXPECT_EQ(opus->channels, 2u);
  EXPECT_EQ(*m.fmtp("96"), "useinbandfec=1");
  EXPECT_EQ(sd.attributes.size(), 3u);
  EXPECT_EQ(m.attributes.size(), 3u);  // candidate, two rtcp-fb
}

TEST(SdpParser, AudioAndVideo) {
  SessionDescription sd = must_parse(samples::kAudioVideo);
  ASSERT_EQ(sd.media.size(), 2u);
  EXPECT_EQ(sd.media[1].media, "video");
  EXPECT_EQ(sd.media[1].rtpmap(99)->clock_rate, 90000u);
  EXPECT_EQ(sd.media[1].lines[0].value, "AS:512");
}

TEST(SdpParser, Ipv6AndRtcpMux) {
  SessionDescription sd = must_parse(samples::kIpv6);
  EXPECT_EQ(sd.origin.type, AddressType::kIp6);
  EXPECT_EQ(sd.connection->type, AddressType::kIp6);
  EXPECT_EQ(sd.connection->address, "2001:db8::10");
  const MediaDescription& m = sd.media[0];
  EXPECT_TRUE(m.rtcp_mux);
  ASSERT_TRUE(m.rtcp->connection);
  EXPECT_EQ(m.rtcp->connection->type, AddressType::kIp6);
  EXPECT_EQ(m.ptime, 30u);
}

TEST(SdpParser, LenientWhereRealPhonesDeviate) {
  // Trailing whitespace, blank lines, attributes before c= in the media
  // section, upper-case attribute names, "20.0" ptime, empty s=, no t=.
  SessionDescription sd = must_parse(
      "v=0 \r\no=- 1 1 IN IP4 192.0.2.1\t\r\ns=\r\n\r\n"
      "m=audio 4000 RTP/AVP 0\r\na=SENDONLY\r\na=PTime:20.0\r\nc=IN IP4 192.0.2.1  \r\n\r\n");
  EXPECT_EQ(sd.session_name, "");
  EXPECT_EQ(sd.timing, std::vector<std::string>{"0 0"});
  EXPECT_EQ(sd.media[0].direction, Direction::kSendOnly);
  EXPECT_EQ(sd.media[0].ptime, 20u);
  EXPECT_EQ(sd.media[0].connection->address, "192.0.2.1");
}

TEST(SdpParser, SessionLevelDirectionApplies) {
  SessionDescription sd = must_parse(
      "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\na=inactive\n"
      "m=audio 4000 RTP/AVP 0\n");
  EXPECT_EQ(sd.direction, Direction::kInactive);
  EXPECT_EQ(sd.effective_direction(sd.media[0]), Direction::kInactive);
}

TEST(SdpParser, RejectedStreamNeedsNoConnection) {
  SessionDescription sd =
      must_parse("v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nt=0 0\nm=video 0 RTP/AVP 31\n");
  EXPECT_EQ(sd.media[0].port, 0);
}

TEST(SdpParser, NonRtpFormatsAreTokens) {
  SessionDescription sd = must_parse(
      "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\n"
      "m=image 4002 udptl t38\n");
  EXPECT_EQ(sd.media[0].formats, std::vector<std::string>{"t38"});
}

TEST(SdpParser, Errors) {
  const std::string head = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\n";
  EXPECT_EQ(error_of(""), "empty description");
  EXPECT_NE(error_of("o=- 1 1 IN IP4 1.2.3.4\r\n").find("starts with v=0"), std::string::npos);
  EXPECT_NE(error_of("v=1\r\n").find("version 0"), std::string::npos);
  EXPECT_NE(error_of("v=0\r\ns=-\r\n").find("o= must follow"), std::string::npos);
  EXPECT_EQ(error_of("v=0\r\n"), "no o= line");
  EXPECT_NE(error_of("v=0\r\no=- 1 IN IP4 x\r\n").find("six fields"), std::string::npos);
  EXPECT_NE(error_of("v=0\r\no=- 1 x IN IP4 a\r\n").find("version is not"), std::string::npos);
  EXPECT_NE(error_of(head + "m=audio 70000 RTP/AVP 0\r\n").find("port"), std::string::npos);
  EXPECT_NE(error_of(head + "m=audio 4000 RTP/AVP\r\n").find("no formats"), std::string::npos);
  EXPECT_NE(error_of(head + "m=audio 4000 RTP/AVP 128\r\n").find("0-127"), std::string::npos);
  // Found by fuzz_sdp: a repeated format made our answer list it twice.
  EXPECT_NE(error_of(head + "m=audio 4000 RTP/AVP 8 0 8\r\n").find("format 8 twice"),
            std::string::npos);
  EXPECT_NE(error_of(head + "m=audio 4000 RTP/AVP 0 000\r\n").find("format 000 twice"),
            std::string::npos);
  EXPECT_NE(error_of(head + "m=audio 4000 RTP/AVP 0\r\na=rtpmap:96 opus\r\n").find("clock rate"),
            std::string::npos);
  EXPECT_NE(error_of(head + "m=audio 4000 RTP/AVP 96\r\na=rtpmap:96 a/1\r\na=rtpmap:96 b/1\r\n")
                .find("two rtpmaps"),
            std::string::npos);
  EXPECT_NE(error_of(head + "m=audio 4000 RTP/AVP 0\r\na=ptime:0\r\n").find("packet time"),
            std::string::npos);
  EXPECT_NE(error_of(head + "m=audio 4000 RTP/AVP 0\r\na=sendonly\r\na=recvonly\r\n")
                .find("conflicting direction"),
            std::string::npos);
  EXPECT_NE(error_of(head + "m=audio 4000 RTP/AVP 0\r\na=rtcp:x\r\n").find("rtcp port"),
            std::string::npos);
  EXPECT_NE(error_of(head + "c=IN IP4 192.0.2.2\r\n").find("repeated c="), std::string::npos);
  EXPECT_NE(error_of(head + "m=audio 4000 RTP/AVP 0\r\nc=IN IPX 1.2.3.4\r\n").find("IP4 or IP6"),
            std::string::npos);
  EXPECT_NE(error_of(head + "m=audio 4000 RTP/AVP 0\r\nc=ATM NSAP 1\r\n").find("network type"),
            std::string::npos);
  EXPECT_NE(error_of(head + "garbage\r\n").find("line 5 is not"), std::string::npos);
  EXPECT_NE(error_of(head + "a=x\x01y\r\n").find("control character"), std::string::npos);
  EXPECT_NE(error_of(head + "m=audio 4000 RTP/AVP 0\r\ns=again\r\n").find("inside a media"),
            std::string::npos);
  EXPECT_NE(error_of("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nm=audio 4000 RTP/AVP 0\r\n")
                .find("no connection address"),
            std::string::npos);
  EXPECT_NE(error_of(head + "a=\r\n").find("without a name"), std::string::npos);
}

TEST(SdpParser, ErrorsNameTheLine) {
  EXPECT_EQ(error_of("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nm=audio x RTP/AVP 0\r\n"),
            "line 4 (m=): m= port must be 0-65535");
}

TEST(SdpParser, Limits) {
  std::string text = "v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 a\r\n";
  for (int i = 0; i < 65; ++i) text += "m=audio 4000 RTP/AVP 0\r\n";
  EXPECT_EQ(error_of(text), "too many m= lines");
  EXPECT_EQ(error_of(std::string(70000, 'a')), "description is too large");
}

}  // namespace
}  // namespace switchboard::sdp
