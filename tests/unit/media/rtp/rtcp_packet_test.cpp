// RTCP (RFC 3550 §6): SR, RR, SDES, BYE and compound packets, both ways, and
// strict rejection of bad lengths, counts and padding.
#include "media/rtp/rtcp_packet.hpp"

#include <gtest/gtest.h>

namespace switchboard::media::rtp {
namespace {

std::vector<RtcpPacket> sample() {
  SenderReport sr;
  sr.ssrc = 0x11223344;
  sr.ntp_timestamp = 0x0123456789ABCDEFull;
  sr.rtp_timestamp = 160000;
  sr.packet_count = 1000;
  sr.octet_count = 160000;
  ReportBlock b;
  b.ssrc = 0x55667788;
  b.fraction_lost = 25;
  b.cumulative_lost = -3;  // duplicates make it negative
  b.highest_sequence = 70000;
  b.jitter = 80;
  b.last_sr = 0xAABBCCDD;
  b.delay_since_last_sr = 65536;
  sr.blocks.push_back(b);
  Sdes sdes;
  sdes.chunks.push_back({0x11223344, {{1, "alice@example.com"}, {2, "Alice"}}});
  sdes.chunks.push_back({0x99, {{1, "abc"}}});  // item ends exactly at a word boundary
  Bye bye;
  bye.ssrcs = {0x11223344};
  bye.reason = "call ended";
  return {sr, sdes, bye};
}

TEST(RtcpPacket, CompoundRoundTrip) {
  auto packets = sample();
  auto wire = write_rtcp(packets);
  ASSERT_TRUE(wire.ok()) << wire.error().message;
  EXPECT_EQ(wire->size() % 4, 0u);
  auto back = parse_rtcp(*wire);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, packets);
  EXPECT_TRUE(starts_with_report(*back));
  const ReportBlock* rb = first_report_block(*back);
  ASSERT_NE(rb, nullptr);
  EXPECT_EQ(rb->cumulative_lost, -3);
  EXPECT_EQ(rb->fraction_lost, 25);
}

TEST(RtcpPacket, ParsesReceiverReportFromTheWire) {
  // RR, 1 block, as a phone sends it: V=2 RC=1 PT=201 length=7.
  std::vector<std::uint8_t> rr = {0x81, 201, 0, 7,    0, 0, 0, 1,  0, 0, 0, 2, 0x40, 0, 0, 10,
                                  0,    0,   1, 0x2C, 0, 0, 0, 40, 0, 0, 0, 0, 0,    0, 0, 0};
  auto r = parse_rtcp(rr);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& report = std::get<ReceiverReport>(r->at(0));
  EXPECT_EQ(report.ssrc, 1u);
  ASSERT_EQ(report.blocks.size(), 1u);
  EXPECT_EQ(report.blocks[0].ssrc, 2u);
  EXPECT_EQ(report.blocks[0].fraction_lost, 0x40);
  EXPECT_EQ(report.blocks[0].cumulative_lost, 10);
  EXPECT_EQ(report.blocks[0].highest_sequence, 300u);
  EXPECT_EQ(report.blocks[0].jitter, 40u);
}

TEST(RtcpPacket, KeepsUnknownTypesAndPaddingOnLast) {
  // RR without blocks, then an APP packet with 4 bytes of padding.
  std::vector<std::uint8_t> p = {0x80, 201, 0, 1, 0,   0,   0,   5,   0xA0, 204, 0, 3,
                                 0,    0,   0, 5, 'n', 'a', 'm', 'e', 0,    0,   0, 4};
  auto r = parse_rtcp(p);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  const auto& app = std::get<RtcpOther>(r->at(1));
  EXPECT_EQ(app.packet_type, 204);
  EXPECT_EQ(app.body.size(), 8u);
}

TEST(RtcpPacket, RejectsMalformed) {
  EXPECT_FALSE(parse_rtcp(std::vector<std::uint8_t>{}).ok());
  EXPECT_FALSE(parse_rtcp(std::vector<std::uint8_t>{0x80, 201, 0}).ok());           // header cut
  EXPECT_FALSE(parse_rtcp(std::vector<std::uint8_t>{0x40, 201, 0, 0}).ok());        // version 1
  EXPECT_FALSE(parse_rtcp(std::vector<std::uint8_t>{0x80, 201, 0, 1, 0, 0}).ok());  // length
  // RC=1 but no report block.
  EXPECT_FALSE(parse_rtcp(std::vector<std::uint8_t>{0x81, 201, 0, 1, 0, 0, 0, 1}).ok());
  // SR shorter than its sender info.
  EXPECT_FALSE(parse_rtcp(std::vector<std::uint8_t>{0x80, 200, 0, 1, 0, 0, 0, 1}).ok());
  // Padding on a packet that is not the last.
  EXPECT_FALSE(parse_rtcp(std::vector<std::uint8_t>{0xA0, 201, 0, 1, 0, 0, 0, 4, 0x80, 201, 0, 1, 0,
                                                    0, 0, 1})
                   .ok());
  // Padding count 0 / larger than the body.
  EXPECT_FALSE(parse_rtcp(std::vector<std::uint8_t>{0xA0, 201, 0, 1, 0, 0, 0, 0}).ok());
  EXPECT_FALSE(parse_rtcp(std::vector<std::uint8_t>{0xA0, 201, 0, 1, 0, 0, 0, 9}).ok());
  // SDES: item overflowing its packet; items not terminated; bad chunk padding.
  EXPECT_FALSE(
      parse_rtcp(std::vector<std::uint8_t>{0x81, 202, 0, 2, 0, 0, 0, 1, 1, 9, 'a', 'b'}).ok());
  EXPECT_FALSE(
      parse_rtcp(std::vector<std::uint8_t>{0x81, 202, 0, 2, 0, 0, 0, 1, 1, 2, 'a', 'b'}).ok());
  EXPECT_FALSE(
      parse_rtcp(std::vector<std::uint8_t>{0x81, 202, 0, 2, 0, 0, 0, 1, 1, 1, 'a', 0, 7, 0, 0, 0})
          .ok());
  // BYE: SC=2 with one SSRC; reason longer than the packet.
  EXPECT_FALSE(parse_rtcp(std::vector<std::uint8_t>{0x82, 203, 0, 1, 0, 0, 0, 1}).ok());
  EXPECT_FALSE(
      parse_rtcp(std::vector<std::uint8_t>{0x81, 203, 0, 2, 0, 0, 0, 1, 9, 'x', 0, 0}).ok());
}

TEST(RtcpPacket, WriteRefusesUnrepresentable) {
  ReceiverReport rr;
  rr.blocks.resize(32);  // RC is 5 bits
  EXPECT_FALSE(write_rtcp({rr}).ok());
  RtcpOther other{205, 1, {1, 2, 3}};  // not a multiple of 4
  EXPECT_FALSE(write_rtcp({other}).ok());
  Sdes sdes;
  sdes.chunks.push_back({1, {{1, std::string(256, 'x')}}});
  EXPECT_FALSE(write_rtcp({sdes}).ok());
}

TEST(RtcpPacket, CompoundMustStartWithAReport) {
  Bye bye{{1}, ""};
  EXPECT_FALSE(starts_with_report({bye}));
  EXPECT_FALSE(starts_with_report({}));
  EXPECT_EQ(first_report_block({bye}), nullptr);
}

}  // namespace
}  // namespace switchboard::media::rtp
