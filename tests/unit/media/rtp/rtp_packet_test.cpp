// RTP fixed header (RFC 3550 §5.1): every field, CSRC, extension, padding,
// and each malformed shape rejected without reading past the buffer.
#include "media/rtp/rtp_packet.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace switchboard::media::rtp {
namespace {

std::vector<std::uint8_t> bytes(std::initializer_list<int> v) {
  std::vector<std::uint8_t> out;
  for (int b : v) out.push_back(static_cast<std::uint8_t>(b));
  return out;
}

TEST(RtpPacket, ParsesFixedHeader) {
  auto p = bytes({0x80, 0x88, 0x12, 0x34, 0, 0, 0x01, 0x40, 0xDE, 0xAD, 0xBE, 0xEF, 1, 2, 3});
  auto r = parse_rtp(p);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.packet.header.marker);
  EXPECT_EQ(r.packet.header.payload_type, 8);
  EXPECT_EQ(r.packet.header.sequence, 0x1234);
  EXPECT_EQ(r.packet.header.timestamp, 320u);
  EXPECT_EQ(r.packet.header.ssrc, 0xDEADBEEFu);
  EXPECT_EQ(r.packet.header_size, 12u);
  ASSERT_EQ(r.packet.payload.size(), 3u);
  EXPECT_EQ(r.packet.payload[2], 3);
}

TEST(RtpPacket, CsrcExtensionAndPaddingRoundTrip) {
  RtpHeader h;
  h.payload_type = 0;
  h.sequence = 65535;
  h.timestamp = 0xFFFFFFF0;
  h.ssrc = 7;
  h.csrc_count = 2;
  h.csrc[0] = 11;
  h.csrc[1] = 22;
  h.extension = true;
  h.extension_profile = 0xBEDE;
  std::vector<std::uint8_t> ext = {1, 2, 3, 4, 5, 6, 7, 8};
  std::vector<std::uint8_t> payload(160, 0xFF);
  std::vector<std::uint8_t> buf(400);
  std::size_t n = write_rtp(h, ext, payload, 4, buf);
  ASSERT_EQ(n, 12u + 8 + 4 + 8 + 160 + 4);
  buf.resize(n);
  auto r = parse_rtp(buf);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.packet.header.padding);
  h.padding = true;
  EXPECT_EQ(r.packet.header, h);
  EXPECT_EQ(r.packet.padding_size, 4);
  EXPECT_EQ(
      std::vector<std::uint8_t>(r.packet.extension_data.begin(), r.packet.extension_data.end()),
      ext);
  EXPECT_EQ(r.packet.payload.size(), 160u);
}

TEST(RtpPacket, RejectsMalformed) {
  EXPECT_EQ(parse_rtp(bytes({0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0})).error, RtpParseError::kTooShort);
  EXPECT_EQ(parse_rtp(bytes({0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0})).error,
            RtpParseError::kBadVersion);
  // CC=2 but only one CSRC present.
  EXPECT_EQ(parse_rtp(bytes({0x82, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4})).error,
            RtpParseError::kCsrcOverflow);
  // X set, extension header claims 2 words, 1 present.
  EXPECT_EQ(
      parse_rtp(bytes({0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xBE, 0xDE, 0, 2, 1, 2, 3, 4})).error,
      RtpParseError::kExtensionOverflow);
  EXPECT_EQ(parse_rtp(bytes({0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xBE})).error,
            RtpParseError::kExtensionOverflow);
  // P set: padding 0, and padding longer than the payload.
  EXPECT_EQ(parse_rtp(bytes({0xA0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0})).error,
            RtpParseError::kBadPadding);
  EXPECT_EQ(parse_rtp(bytes({0xA0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 9, 3})).error,
            RtpParseError::kBadPadding);
  // Padding that covers exactly the payload is fine: empty payload.
  auto ok = parse_rtp(bytes({0xA0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}));
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok.packet.payload.empty());
}

TEST(RtpPacket, WriteRefusesWhatDoesNotFit) {
  RtpHeader h;
  std::vector<std::uint8_t> small(11);
  EXPECT_EQ(write_rtp(h, {}, {}, 0, small), 0u);
  h.extension = true;
  std::vector<std::uint8_t> ext(3), buf(100);
  EXPECT_EQ(write_rtp(h, ext, {}, 0, buf), 0u);  // not a multiple of 4
  h.payload_type = 200;
  EXPECT_EQ(write_rtp(h, {}, {}, 0, buf), 0u);
}

TEST(RtpPacket, SetPayloadTypeKeepsMarker) {
  auto p = bytes({0x80, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0});
  set_payload_type(p, 101);
  EXPECT_EQ(p[1], 0x80 | 101);
  auto r = parse_rtp(p);
  EXPECT_TRUE(r.packet.header.marker);
  EXPECT_EQ(r.packet.header.payload_type, 101);
}

TEST(RtpPacket, RtcpMultiplexingRange) {
  EXPECT_TRUE(looks_like_rtcp(bytes({0x80, 200})));
  EXPECT_TRUE(looks_like_rtcp(bytes({0x80, 201})));
  EXPECT_FALSE(looks_like_rtcp(bytes({0x80, 0})));
  EXPECT_FALSE(looks_like_rtcp(bytes({0x80, 0x80 | 8})));  // PCMA with marker
  EXPECT_FALSE(looks_like_rtcp(bytes({0x80})));
}

}  // namespace
}  // namespace switchboard::media::rtp
