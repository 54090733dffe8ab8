// The B2BUA relay: A's offer → offer to B → B's answer → answer to A, with
// both legs' negotiated parameters.
#include "sdp/relay.hpp"

#include <gtest/gtest.h>

#include <string>

#include "sdp/hold.hpp"
#include "sdp/parser.hpp"
#include "sdp/serializer.hpp"
#include "unit/sdp/samples.hpp"

namespace switchboard::sdp {
namespace {

SessionDescription sdp(const std::string& text) {
  auto sd = parse(text);
  EXPECT_TRUE(sd.ok()) << (sd.ok() ? "" : sd.error().message);
  return sd.ok() ? *sd : SessionDescription{};
}

class Relay : public ::testing::Test {
 protected:
  MediaConfig config_ = [] {
    MediaConfig c;
    c.address = "203.0.113.1";
    c.rtp_ports = PortRange{10000, 10999};
    return c;
  }();
  LocalSession leg_a_{"100", "203.0.113.1"};
  LocalSession leg_b_{"200", "203.0.113.1"};
};

TEST_F(Relay, DeskPhoneToBaresip) {
  SessionDescription offer_a = sdp(samples::kDeskPhone);
  auto offer_b = relay_offer(offer_a, config_, {10100}, leg_b_);
  ASSERT_TRUE(offer_b.ok()) << offer_b.error().message;
  const MediaDescription& ob = offer_b->media[0];
  // A's codecs we support, A's order and payload types, telephone-event kept.
  EXPECT_EQ(ob.formats, (std::vector<std::string>{"9", "0", "8", "18", "101"}));
  EXPECT_EQ(*ob.fmtp("101"), "0-15");
  EXPECT_EQ(ob.ptime, 20u);
  EXPECT_EQ(ob.direction, Direction::kSendRecv);
  EXPECT_EQ(ob.port, 10100);
  EXPECT_EQ(offer_b->connection->address, "203.0.113.1");
  EXPECT_EQ(offer_b->origin.session_id, "200");

  // B answers PCMA first, with its own telephone-event PT.
  SessionDescription answer_b =
      sdp("v=0\no=- 1 2 IN IP4 198.51.100.7\ns=-\nc=IN IP4 198.51.100.7\nt=0 0\n"
          "m=audio 10142 RTP/AVP 8 0 100\na=rtpmap:100 telephone-event/8000\n"
          "a=fmtp:100 0-15\na=rtcp:10143\na=ptime:20\na=sendrecv\n");
  auto relayed = relay_answer(offer_a, *offer_b, answer_b, config_, {10200}, leg_a_);
  ASSERT_TRUE(relayed.ok()) << relayed.error().message;
  const MediaDescription& aa = relayed->answer_a.media[0];
  EXPECT_EQ(aa.formats, (std::vector<std::string>{"8", "0", "101"}));
  EXPECT_EQ(aa.port, 10200);
  EXPECT_EQ(aa.direction, Direction::kSendRecv);
  EXPECT_EQ(relayed->answer_a.connection->address, "203.0.113.1");
  EXPECT_EQ(relayed->answer_a.origin.session_id, "100");

  const StreamParams& a = relayed->leg_a[0];
  EXPECT_EQ(a.codec->payload_type, 8);
  EXPECT_EQ(a.telephone_event->payload_type, 101);
  EXPECT_EQ(a.remote_rtp, (RtpAddress{"192.0.2.31", 11780}));
  const StreamParams& b = relayed->leg_b[0];
  EXPECT_EQ(b.codec->payload_type, 8);
  EXPECT_EQ(b.telephone_event->payload_type, 100);
  EXPECT_EQ(b.remote_rtp, (RtpAddress{"198.51.100.7", 10142}));
  EXPECT_EQ(b.remote_rtcp, (RtpAddress{"198.51.100.7", 10143}));
}

TEST_F(Relay, LinphoneOpusDropsTransportAttributesAndUnsupportedCodecs) {
  SessionDescription offer_a = sdp(samples::kLinphone);
  auto offer_b = relay_offer(offer_a, config_, {10100}, leg_b_);
  ASSERT_TRUE(offer_b.ok());
  const MediaDescription& ob = offer_b->media[0];
  EXPECT_EQ(ob.formats, (std::vector<std::string>{"96", "0", "8", "101", "99", "100"}));
  EXPECT_FALSE(ob.connection);  // media-level c= replaced by ours at session level
  for (const Attribute& a : ob.attributes) EXPECT_NE(a.name, "candidate");
  for (const Attribute& a : offer_b->attributes) EXPECT_NE(a.name.rfind("ice-", 0), 0u);
  EXPECT_EQ(ob.attributes.size(), 2u);        // rtcp-fb kept
  EXPECT_EQ(offer_b->attributes.size(), 1u);  // rtcp-xr kept
}

TEST_F(Relay, TelephoneEventAddedWhenTheOffererHadNone) {
  SessionDescription offer_a =
      sdp("v=0\no=- 1 1 IN IP4 192.0.2.5\ns=-\nc=IN IP4 192.0.2.5\nt=0 0\n"
          "m=audio 4000 RTP/AVP 0 101\na=rtpmap:101 X-foo/8000\n");
  auto offer_b = relay_offer(offer_a, config_, {10100}, leg_b_);
  ASSERT_TRUE(offer_b.ok());
  const MediaDescription& ob = offer_b->media[0];
  // 101 is taken by a codec we do not carry, but it is left out, so 101 is free.
  EXPECT_EQ(ob.formats, (std::vector<std::string>{"0", "101"}));
  EXPECT_EQ(ob.rtpmap(101)->encoding, "telephone-event");
  config_.telephone_event_payload_type = 0;  // invalid: the first free dynamic one
  auto again = relay_offer(offer_a, config_, {10100}, leg_b_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->media[0].formats, (std::vector<std::string>{"0", "96"}));
}

TEST_F(Relay, VideoRejectedOnBothLegs) {
  SessionDescription offer_a = sdp(samples::kAudioVideo);
  auto offer_b = relay_offer(offer_a, config_, {10100, 10102}, leg_b_);
  ASSERT_TRUE(offer_b.ok());
  ASSERT_EQ(offer_b->media.size(), 2u);
  EXPECT_EQ(offer_b->media[1].port, 0);
  SessionDescription answer_b =
      sdp("v=0\no=- 1 2 IN IP4 198.51.100.7\ns=-\nc=IN IP4 198.51.100.7\nt=0 0\n"
          "m=audio 10142 RTP/AVP 0 101\na=rtpmap:101 telephone-event/8000\n"
          "m=video 0 RTP/AVP 99\n");
  auto relayed = relay_answer(offer_a, *offer_b, answer_b, config_, {10200, 10202}, leg_a_);
  ASSERT_TRUE(relayed.ok()) << relayed.error().message;
  ASSERT_EQ(relayed->answer_a.media.size(), 2u);
  EXPECT_EQ(relayed->answer_a.media[1].port, 0);
  EXPECT_EQ(relayed->answer_a.media[1].media, "video");
  EXPECT_FALSE(relayed->leg_a[1].active);
  EXPECT_FALSE(relayed->leg_b[1].active);
}

TEST_F(Relay, HoldReOfferKeepsDirectionAndRaisesVersion) {
  SessionDescription offer_a = sdp(samples::kDeskPhone);
  auto first = relay_offer(offer_a, config_, {10100}, leg_b_);
  SessionDescription hold_a = offer_a;
  hold_a.media[0].direction = Direction::kSendOnly;
  hold_a.origin.version = 1;
  auto hold = relay_offer(hold_a, config_, {10100}, leg_b_);
  ASSERT_TRUE(first.ok() && hold.ok());
  EXPECT_EQ(hold->media[0].direction, Direction::kSendOnly);
  EXPECT_TRUE(is_hold(*hold));
  EXPECT_EQ(hold->origin.version, first->origin.version + 1);

  SessionDescription answer_b =
      sdp("v=0\no=- 1 3 IN IP4 198.51.100.7\ns=-\nc=IN IP4 198.51.100.7\nt=0 0\n"
          "m=audio 10142 RTP/AVP 0\na=recvonly\n");
  auto relayed = relay_answer(hold_a, *hold, answer_b, config_, {10200}, leg_a_);
  ASSERT_TRUE(relayed.ok()) << relayed.error().message;
  EXPECT_EQ(relayed->answer_a.media[0].direction, Direction::kRecvOnly);
  EXPECT_TRUE(relayed->leg_a[0].held);
  // A offered telephone-event; the PBX keeps it on A's leg even though B dropped it.
  EXPECT_EQ(relayed->leg_a[0].telephone_event->payload_type, 101);
  EXPECT_FALSE(relayed->leg_b[0].telephone_event);
}

TEST_F(Relay, LegacyHoldBecomesSendonlyTowardsB) {
  auto offer_b = relay_offer(sdp(samples::kLegacyHold), config_, {10100}, leg_b_);
  ASSERT_TRUE(offer_b.ok());
  EXPECT_EQ(offer_b->connection->address, "203.0.113.1");
  EXPECT_EQ(offer_b->media[0].direction, Direction::kSendOnly);
}

TEST_F(Relay, NoCommonCodecFailsBeforeAnythingIsSent) {
  config_.codecs = {{"PCMA", 8000, 1, ""}};
  auto offer_b = relay_offer(sdp(samples::kAudioVideo), config_, {10100, 10102}, leg_b_);
  ASSERT_FALSE(offer_b.ok());
  EXPECT_EQ(offer_b.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(leg_b_.version(), 0u);
}

TEST_F(Relay, BadAnswerFromB) {
  SessionDescription offer_a = sdp(samples::kDeskPhone);
  auto offer_b = relay_offer(offer_a, config_, {10100}, leg_b_);
  ASSERT_TRUE(offer_b.ok());
  SessionDescription two_lines =
      sdp("v=0\no=- 1 2 IN IP4 198.51.100.7\ns=-\nc=IN IP4 198.51.100.7\nt=0 0\n"
          "m=audio 10142 RTP/AVP 0\nm=audio 10144 RTP/AVP 0\n");
  EXPECT_FALSE(relay_answer(offer_a, *offer_b, two_lines, config_, {10200}, leg_a_).ok());
  EXPECT_FALSE(relay_answer(offer_a, *offer_b, *offer_b, config_, {}, leg_a_).ok());
}

TEST_F(Relay, Ipv6CallerToIpv4Callee) {
  SessionDescription offer_a = sdp(samples::kIpv6);
  auto offer_b = relay_offer(offer_a, config_, {10100}, leg_b_);
  ASSERT_TRUE(offer_b.ok());
  EXPECT_EQ(offer_b->connection->type, AddressType::kIp4);
  EXPECT_TRUE(offer_b->media[0].rtcp_mux);
  EXPECT_EQ(offer_b->media[0].rtcp->port, 10100);
  EXPECT_EQ(offer_b->media[0].rtcp->connection->address, "203.0.113.1");
  std::string text = serialize(*offer_b);
  EXPECT_NE(text.find("a=rtcp:10100 IN IP4 203.0.113.1\r\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace switchboard::sdp
