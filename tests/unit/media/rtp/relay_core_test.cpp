// The relay's packet logic in virtual time: forwarding, payload-type
// renumbering (codec and telephone-event), PCMU -> PCMA transcoding,
// direction, SSRC changes, RTCP relay with the peer's report, counters and
// dead-peer detection (paused on hold).
#include "media/rtp/relay_core.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "media/rtp/g711.hpp"
#include "media/rtp/rtcp_packet.hpp"
#include "media/rtp/rtp_packet.hpp"

namespace switchboard::media::rtp {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

Endpoint ep(const char* a, std::uint16_t p) {
  return Endpoint(boost::asio::ip::make_address(a), p);
}

const PayloadFormat kPcmu{0, "PCMU", 8000, 1};
const PayloadFormat kPcma{8, "PCMA", 8000, 1};

SideParams side(const char* addr, std::uint16_t port, std::vector<PayloadFormat> codecs,
                std::optional<PayloadFormat> te = std::nullopt) {
  SideParams p;
  p.remote_address = addr;
  p.remote_rtp_port = port;
  p.codecs = std::move(codecs);
  p.telephone_event = te;
  return p;
}

std::vector<std::uint8_t> rtp(std::uint8_t pt, std::uint16_t seq, std::uint32_t ssrc = 0x1234,
                              std::vector<std::uint8_t> payload = std::vector<std::uint8_t>(160,
                                                                                            0xFF)) {
  RtpHeader h;
  h.payload_type = pt;
  h.sequence = seq;
  h.timestamp = 160u * seq;
  h.ssrc = ssrc;
  std::vector<std::uint8_t> out(12 + payload.size());
  out.resize(write_rtp(h, {}, payload, 0, out));
  return out;
}

struct RelayCoreTest : ::testing::Test {
  RelayOptions options{seconds(5), seconds(2)};
  RelayCore core{options};
  TimePoint now = TimePoint{} + std::chrono::hours(1);
  Endpoint a_src = ep("10.0.0.1", 4000);
  Endpoint b_src = ep("10.0.0.2", 6000);

  void both_pcmu() {
    core.configure(Side::kA, side("10.0.0.1", 4000, {kPcmu}), now);
    core.configure(Side::kB, side("10.0.0.2", 6000, {kPcmu}), now);
  }
  std::optional<Outbound> from(Side s, std::vector<std::uint8_t>& p) {
    return core.on_rtp(s, p, s == Side::kA ? a_src : b_src, now);
  }
};

TEST_F(RelayCoreTest, ForwardsUnchangedBothWays) {
  both_pcmu();
  auto p = rtp(0, 1);
  auto orig = p;
  auto out = from(Side::kA, p);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->to, Side::kB);
  EXPECT_EQ(out->destination, b_src);
  EXPECT_EQ(p, orig);
  core.on_sent(*out, p.size(), false);
  auto q = rtp(0, 7, 0x9999);
  auto back = from(Side::kB, q);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->destination, a_src);
  auto st = core.stats();
  EXPECT_EQ(st.a().rtp_packets_in, 1u);
  EXPECT_EQ(st.a().rtp_bytes_in, 172u);
  EXPECT_EQ(st.b().rtp_packets_out, 1u);
  EXPECT_EQ(st.b().rtp_packets_in, 1u);
  EXPECT_EQ(st.transcoded_packets, 0u);
}

TEST_F(RelayCoreTest, DropsUntilTheOtherSideIsConfigured) {
  core.configure(Side::kA, side("10.0.0.1", 4000, {kPcmu}), now);
  auto p = rtp(0, 1);
  EXPECT_FALSE(from(Side::kA, p));
  auto q = rtp(0, 1);
  EXPECT_FALSE(from(Side::kB, q));  // B not configured at all
  EXPECT_EQ(core.stats().a().dropped, 1u);
  EXPECT_EQ(core.stats().b().dropped, 1u);
}

TEST_F(RelayCoreTest, RenumbersCodecAndTelephoneEvent) {
  // A numbered opus 111 and events 101; B numbered them 96 and 100.
  PayloadFormat opus_a{111, "opus", 48000, 2}, opus_b{96, "OPUS", 48000, 2};
  core.configure(
      Side::kA,
      side("10.0.0.1", 4000, {opus_a, kPcmu}, PayloadFormat{101, "telephone-event", 8000, 1}), now);
  core.configure(
      Side::kB,
      side("10.0.0.2", 6000, {opus_b, kPcmu}, PayloadFormat{100, "telephone-event", 8000, 1}), now);
  auto p = rtp(111, 1);
  ASSERT_TRUE(from(Side::kA, p));
  EXPECT_EQ(parse_rtp(p).packet.header.payload_type, 96);
  auto e = rtp(101, 2, 0x1234, {1, 0x8A, 0, 160});
  ASSERT_TRUE(from(Side::kA, e));
  EXPECT_EQ(parse_rtp(e).packet.header.payload_type, 100);
  auto back = rtp(100, 5);
  ASSERT_TRUE(from(Side::kB, back));
  EXPECT_EQ(parse_rtp(back).packet.header.payload_type, 101);
  auto u = rtp(0, 6);
  ASSERT_TRUE(from(Side::kB, u));
  EXPECT_EQ(parse_rtp(u).packet.header.payload_type, 0);
}

TEST_F(RelayCoreTest, DropsTelephoneEventTheOtherLegDidNotNegotiate) {
  core.configure(Side::kA,
                 side("10.0.0.1", 4000, {kPcmu}, PayloadFormat{101, "telephone-event", 8000, 1}),
                 now);
  core.configure(Side::kB, side("10.0.0.2", 6000, {kPcmu}), now);
  auto e = rtp(101, 1);
  EXPECT_FALSE(from(Side::kA, e));
}

TEST_F(RelayCoreTest, TranscodesPcmuToPcmaAndBack) {
  core.configure(Side::kA, side("10.0.0.1", 4000, {kPcmu}), now);
  core.configure(Side::kB, side("10.0.0.2", 6000, {kPcma}), now);
  std::vector<std::uint8_t> payload;
  for (int i = 0; i < 160; ++i) payload.push_back(static_cast<std::uint8_t>(i));
  auto p = rtp(0, 1, 0x1234, payload);
  ASSERT_TRUE(from(Side::kA, p));
  auto parsed = parse_rtp(p);
  EXPECT_EQ(parsed.packet.header.payload_type, 8);
  EXPECT_EQ(parsed.packet.header.sequence, 1);  // seq/ts/ssrc untouched
  for (int i = 0; i < 160; ++i)
    EXPECT_EQ(parsed.packet.payload[i], g711::ulaw_to_alaw_table()[i]) << i;
  auto q = rtp(8, 1, 0x55, std::vector<std::uint8_t>(160, 0xD5));  // A-law +8 ("silence")
  ASSERT_TRUE(from(Side::kB, q));
  auto back = parse_rtp(q);
  EXPECT_EQ(back.packet.header.payload_type, 0);
  EXPECT_EQ(back.packet.payload[0], 0xFE);  // µ-law +8
  EXPECT_EQ(g711::ulaw_to_linear(back.packet.payload[0]), g711::alaw_to_linear(0xD5));
  EXPECT_EQ(core.stats().transcoded_packets, 2u);
}

TEST_F(RelayCoreTest, HonoursTheReceiversDirection) {
  both_pcmu();
  auto held = side("10.0.0.2", 6000, {kPcmu});
  held.direction = Direction::kSendOnly;  // B holds A: B does not want media
  core.configure(Side::kB, held, now);
  auto p = rtp(0, 1);
  EXPECT_FALSE(from(Side::kA, p));
  auto q = rtp(0, 1, 0x77);
  EXPECT_TRUE(from(Side::kB, q));  // music on hold still reaches A
}

TEST_F(RelayCoreTest, IgnoresStrangersAndLatchesToTheNatPort) {
  both_pcmu();
  auto p = rtp(0, 1);
  EXPECT_FALSE(core.on_rtp(Side::kA, p, ep("10.6.6.6", 4000), now));
  // A's packets arrive from its NAT's port: B->A traffic follows them.
  auto q = rtp(0, 2);
  EXPECT_TRUE(core.on_rtp(Side::kA, q, ep("10.0.0.1", 40123), now));
  auto events = core.take_latch_events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].side, Side::kA);
  auto r = rtp(0, 1, 0x2);
  auto out = from(Side::kB, r);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->destination, ep("10.0.0.1", 40123));
  EXPECT_EQ(core.stats().a().latched_port, 40123);
  EXPECT_EQ(core.stats().a().dropped, 1u);
}

TEST_F(RelayCoreTest, SsrcAndSequenceChangesKeepFlowing) {
  both_pcmu();
  for (std::uint16_t s = 1; s <= 5; ++s) {
    auto p = rtp(0, s, 0xAAAA);
    ASSERT_TRUE(from(Side::kA, p));
  }
  // Re-INVITE: new SSRC and sequence; every packet still goes through as is.
  for (std::uint16_t s = 50000; s < 50005; ++s) {
    auto p = rtp(0, s, 0xBBBB);
    auto orig = p;
    ASSERT_TRUE(from(Side::kA, p));
    EXPECT_EQ(p, orig);
  }
  auto st = core.stats().a();
  EXPECT_EQ(st.ssrc, 0xBBBBu);
  EXPECT_EQ(st.ssrc_changes, 1u);
  EXPECT_EQ(st.lost, 0u);
}

TEST_F(RelayCoreTest, CountsLossFromGaps) {
  both_pcmu();
  for (std::uint16_t s = 1; s <= 100; ++s) {
    if (s % 10 == 0) continue;
    auto p = rtp(0, s);
    from(Side::kA, p);
  }
  EXPECT_EQ(core.stats().a().lost, 9u);  // 100 itself was never seen
  EXPECT_EQ(core.stats().a().expected, 99u);
}

TEST_F(RelayCoreTest, RelaysRtcpAndReadsThePeersReport) {
  both_pcmu();
  ReceiverReport rr;
  rr.ssrc = 0x1234;
  ReportBlock b;
  b.ssrc = 0x9999;
  b.fraction_lost = 64;
  b.cumulative_lost = 12;
  b.jitter = 160;  // 20 ms at 8 kHz
  rr.blocks.push_back(b);
  auto wire = write_rtcp({rr});
  ASSERT_TRUE(wire.ok());
  auto out = core.on_rtcp(Side::kA, *wire, ep("10.0.0.1", 4001), now, false);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->to, Side::kB);
  EXPECT_EQ(out->destination, ep("10.0.0.2", 6001));
  EXPECT_FALSE(out->via_rtp_socket);
  auto st = core.stats().a();
  EXPECT_TRUE(st.peer_report);
  EXPECT_DOUBLE_EQ(st.peer_fraction_lost, 0.25);
  EXPECT_EQ(st.peer_cumulative_lost, 12);
  EXPECT_DOUBLE_EQ(st.peer_jitter_ms, 20.0);
  // Garbage is not relayed.
  std::vector<std::uint8_t> junk = {0x80, 201, 0, 9};
  EXPECT_FALSE(core.on_rtcp(Side::kA, junk, ep("10.0.0.1", 4001), now, false));
}

TEST_F(RelayCoreTest, RtcpToAMultiplexedSideGoesToItsRtpPort) {
  core.configure(Side::kA, side("10.0.0.1", 4000, {kPcmu}), now);
  auto b = side("10.0.0.2", 6000, {kPcmu});
  b.rtcp_mux = true;
  core.configure(Side::kB, b, now);
  auto wire = write_rtcp({ReceiverReport{1, {}, {}}});
  auto out = core.on_rtcp(Side::kA, *wire, ep("10.0.0.1", 4001), now, false);
  ASSERT_TRUE(out);
  EXPECT_TRUE(out->via_rtp_socket);
  EXPECT_EQ(out->destination, ep("10.0.0.2", 6000));
}

TEST_F(RelayCoreTest, RtcpArrivingOnAMultiplexedRtpPortIsRelayed) {
  auto a = side("10.0.0.1", 4000, {kPcmu});
  a.rtcp_mux = true;
  core.configure(Side::kA, a, now);
  core.configure(Side::kB, side("10.0.0.2", 6000, {kPcmu}), now);
  auto wire = write_rtcp({ReceiverReport{1, {}, {}}});
  // From A's RTP source (the RTP socket's latch decides), to B's RTCP port.
  auto out = core.on_rtcp(Side::kA, *wire, a_src, now, true);
  ASSERT_TRUE(out);
  EXPECT_FALSE(out->via_rtp_socket);
  EXPECT_EQ(out->destination, ep("10.0.0.2", 6001));
  EXPECT_FALSE(core.on_rtcp(Side::kA, *wire, ep("10.6.6.6", 4000), now, true));
}

TEST_F(RelayCoreTest, UnnegotiatedPayloadTypesPassUnlessTheyClash) {
  both_pcmu();
  auto cn = rtp(13, 1);  // comfort noise nobody negotiated
  ASSERT_TRUE(from(Side::kA, cn));
  EXPECT_EQ(parse_rtp(cn).packet.header.payload_type, 13);
  // B uses 96 for opus; an unnegotiated 96 from A must not reach B as opus.
  auto b = side("10.0.0.2", 6000, {kPcmu, {96, "opus", 48000, 2}});
  core.configure(Side::kB, b, now);
  auto clash = rtp(96, 2);
  EXPECT_FALSE(from(Side::kA, clash));
}

TEST_F(RelayCoreTest, DeadPeerFiresOnceAfterTheTimeout) {
  both_pcmu();
  auto p = rtp(0, 1);
  from(Side::kA, p);
  auto q = rtp(0, 1);
  from(Side::kB, q);
  now += seconds(3);
  auto p2 = rtp(0, 2);
  from(Side::kA, p2);  // A keeps talking, B falls silent
  EXPECT_TRUE(core.take_dead_sides(now).empty());
  now += seconds(2);
  auto dead = core.take_dead_sides(now);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0], Side::kB);
  now += seconds(10);
  auto later = core.take_dead_sides(now);  // A silent too now; B not again
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0], Side::kA);
  // B comes back, then stops again: reported again.
  auto q2 = rtp(0, 2);
  from(Side::kB, q2);
  now += seconds(6);
  dead = core.take_dead_sides(now);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0], Side::kB);
}

TEST_F(RelayCoreTest, DeadPeerPausedWhileOnHold) {
  both_pcmu();
  auto held = side("10.0.0.2", 6000, {kPcmu});
  held.direction = Direction::kRecvOnly;  // B answered a hold: it will not send
  core.configure(Side::kB, held, now);
  auto inactive = side("0.0.0.0", 4000, {kPcmu});
  inactive.direction = Direction::kInactive;
  core.configure(Side::kA, inactive, now);
  now += seconds(60);
  EXPECT_TRUE(core.take_dead_sides(now).empty());
  // Resume: the silence clock starts at the re-configuration.
  core.configure(Side::kB, side("10.0.0.2", 6000, {kPcmu}), now);
  now += seconds(4);
  EXPECT_TRUE(core.take_dead_sides(now).empty());
  now += seconds(1);
  auto dead = core.take_dead_sides(now);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0], Side::kB);
}

TEST_F(RelayCoreTest, DeadPeerOff) {
  RelayCore off(RelayOptions{milliseconds(0), seconds(2)});
  off.configure(Side::kA, side("10.0.0.1", 4000, {kPcmu}), now);
  EXPECT_TRUE(off.take_dead_sides(now + std::chrono::hours(5)).empty());
}

TEST_F(RelayCoreTest, MalformedRtpIsDropped) {
  both_pcmu();
  std::vector<std::uint8_t> junk = {0x80, 0, 0};
  EXPECT_FALSE(from(Side::kA, junk));
  EXPECT_EQ(core.stats().a().dropped, 1u);
  EXPECT_EQ(core.stats().a().rtp_packets_in, 0u);
}

}  // namespace
}  // namespace switchboard::media::rtp

namespace switchboard::media::rtp {
namespace {

// Issue 7 in virtual time: injection suppresses forwarding toward one side
// only and follows that side's direction; a recorder sees the packets
// before transcoding.
TEST_F(RelayCoreTest, InjectingTowardASideSuppressesOnlyThatDirection) {
  core.configure(Side::kA, side("10.0.0.1", 4000, {kPcmu}), now);
  core.configure(Side::kB, side("10.0.0.2", 6000, {kPcma}), now);
  core.set_injecting(Side::kB, true);
  auto a_pkt = rtp(0, 1);
  EXPECT_FALSE(core.on_rtp(Side::kA, a_pkt, a_src, now));
  auto b_pkt = rtp(8, 1);
  EXPECT_TRUE(core.on_rtp(Side::kB, b_pkt, b_src, now)) << "A still hears B";
  EXPECT_EQ(core.stats().a().suppressed, 1u);
  EXPECT_EQ(core.stats().a().dropped, 0u);
  EXPECT_EQ(core.injection_destination(Side::kB), b_src);
  core.on_injected(Side::kB, 172);
  EXPECT_EQ(core.stats().b().rtp_packets_injected, 1u);
  EXPECT_EQ(core.stats().b().rtp_packets_out, 1u);
  // B holds us (sendonly): nothing may be sent to it, injected or not.
  auto held = side("10.0.0.2", 6000, {kPcma});
  held.direction = Direction::kSendOnly;
  core.configure(Side::kB, held, now);
  EXPECT_FALSE(core.injection_destination(Side::kB));
  core.configure(Side::kB, side("10.0.0.2", 6000, {kPcma}), now);
  core.set_injecting(Side::kB, false);
  auto again = rtp(0, 2);
  EXPECT_TRUE(core.on_rtp(Side::kA, again, a_src, now)) << "forwarding resumes";
}

TEST_F(RelayCoreTest, TheRecorderGetsEachSidesPacketsBeforeTranscoding) {
  CallRecorder recorder(RecordingMode::kStereo, 8000);
  core.configure(Side::kA, side("10.0.0.1", 4000, {kPcmu}), now);
  core.set_recorder(&recorder);  // configured with A now, B when B comes
  core.configure(Side::kB, side("10.0.0.2", 6000, {kPcma}), now);
  // A loud PCMU payload (0x00 is the largest negative value in µ-law).
  auto a_pkt = rtp(0, 1, 0x1234, std::vector<std::uint8_t>(160, 0x00));
  ASSERT_TRUE(core.on_rtp(Side::kA, a_pkt, a_src, now));
  auto frame = recorder.tick();
  ASSERT_EQ(frame.size(), 320u);
  EXPECT_LT(frame[0], -30000) << "decoded as PCMU, A's channel";
  EXPECT_EQ(frame[1], 0) << "B sent nothing";
  core.set_recorder(nullptr);
  auto more = rtp(0, 2, 0x1234, std::vector<std::uint8_t>(160, 0x00));
  ASSERT_TRUE(core.on_rtp(Side::kA, more, a_src, now));
  EXPECT_EQ(recorder.tick()[0], 0) << "no longer recorded";
}

}  // namespace
}  // namespace switchboard::media::rtp
