// Offer/answer for legs the PBX terminates (RFC 3264 §5, §6, §8), hold
// detection, rewriting, o= versions and the 488 rejection.
#include "sdp/negotiation.hpp"

#include <gtest/gtest.h>

#include <string>

#include "sdp/hold.hpp"
#include "sdp/parser.hpp"
#include "sdp/rejection.hpp"
#include "sdp/rewrite.hpp"
#include "sdp/serializer.hpp"
#include "unit/sdp/samples.hpp"

namespace switchboard::sdp {
namespace {

SessionDescription sdp(const std::string& text) {
  auto sd = parse(text);
  EXPECT_TRUE(sd.ok()) << (sd.ok() ? "" : sd.error().message);
  return sd.ok() ? *sd : SessionDescription{};
}

std::string with_direction(const char* base, const char* direction) {
  return std::string(base) + "a=" + direction + "\r\n";
}

class Negotiation : public ::testing::Test {
 protected:
  MediaConfig config_ = [] {
    MediaConfig c;
    c.address = "203.0.113.1";
    c.rtp_ports = PortRange{10000, 10999};
    c.codecs = terminated_leg_codecs();
    return c;
  }();
  LocalSession session_{"4242", "203.0.113.1"};
};

TEST_F(Negotiation, OwnOfferForIvr) {
  auto offer = make_offer(config_, 10000, session_);
  ASSERT_TRUE(offer.ok()) << offer.error().message;
  EXPECT_EQ(serialize(*offer),
            "v=0\r\n"
            "o=switchboard 4242 1 IN IP4 203.0.113.1\r\n"
            "s=switchboard\r\n"
            "c=IN IP4 203.0.113.1\r\n"
            "t=0 0\r\n"
            "m=audio 10000 RTP/AVP 0 8 101\r\n"
            "a=rtpmap:0 PCMU/8000\r\n"
            "a=rtpmap:8 PCMA/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\n"
            "a=fmtp:101 0-16\r\n"
            "a=ptime:20\r\n"
            "a=sendrecv\r\n");
}

TEST_F(Negotiation, ReOfferIncrementsVersionOnlyWhenChanged) {
  auto first = make_offer(config_, 10000, session_);
  auto same = make_offer(config_, 10000, session_);
  auto hold = make_offer(config_, 10000, session_, Direction::kSendOnly);
  auto resume = make_offer(config_, 10000, session_);
  ASSERT_TRUE(first.ok() && same.ok() && hold.ok() && resume.ok());
  EXPECT_EQ(first->origin.version, 1u);
  EXPECT_EQ(same->origin.version, 1u);
  EXPECT_EQ(hold->origin.version, 2u);
  EXPECT_TRUE(is_hold(*hold));
  EXPECT_EQ(resume->origin.version, 3u);
  EXPECT_FALSE(is_hold(*resume));
  EXPECT_EQ(resume->origin.session_id, "4242");
}

TEST_F(Negotiation, DynamicPayloadTypesForOwnOffer) {
  config_.codecs = default_codecs();
  auto offer = make_offer(config_, 10002, session_);
  ASSERT_TRUE(offer.ok());
  EXPECT_EQ(offer->media[0].formats, (std::vector<std::string>{"96", "9", "0", "8", "18", "101"}));
  EXPECT_EQ(*offer->media[0].fmtp("18"), "annexb=no");
}

TEST_F(Negotiation, AnswerToDeskPhone) {
  auto answer = answer_offer(sdp(samples::kDeskPhone), config_, {10010}, session_);
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  const MediaDescription& m = answer->sdp.media[0];
  EXPECT_EQ(m.port, 10010);
  // Offerer's order among what we support: 0 before 8; G722/G729 dropped.
  EXPECT_EQ(m.formats, (std::vector<std::string>{"0", "8", "101"}));
  EXPECT_EQ(*m.fmtp("101"), "0-15");  // the offerer's events
  EXPECT_EQ(m.ptime, 20u);
  EXPECT_EQ(m.direction, Direction::kSendRecv);
  EXPECT_EQ(answer->sdp.connection->address, "203.0.113.1");
  const StreamParams& s = answer->streams[0];
  EXPECT_TRUE(s.active);
  EXPECT_EQ(s.codec->name, "PCMU");
  EXPECT_EQ(s.telephone_event->payload_type, 101);
  EXPECT_EQ(s.remote_rtp, (RtpAddress{"192.0.2.31", 11780}));
  EXPECT_EQ(s.remote_rtcp, (RtpAddress{"192.0.2.31", 11781}));
  EXPECT_FALSE(s.held);
}

TEST_F(Negotiation, TelephoneEventUsesTheOfferersPayloadType) {
  config_.codecs = default_codecs();
  auto answer = answer_offer(sdp(samples::kLinphone), config_, {10020}, session_);
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  const MediaDescription& m = answer->sdp.media[0];
  // opus chosen; telephone-event/48000 is PT 101 in Linphone's offer.
  EXPECT_EQ(m.formats, (std::vector<std::string>{"96", "0", "8", "101"}));
  EXPECT_EQ(m.rtpmap(101)->clock_rate, 48000u);
  EXPECT_EQ(*m.fmtp("96"), "useinbandfec=1");
  EXPECT_EQ(answer->streams[0].telephone_event->payload_type, 101);
  EXPECT_EQ(m.ptime, 20u);  // the offer had none: ours
  // The media-level c= of the offer is where we send.
  EXPECT_EQ(answer->streams[0].remote_rtp, (RtpAddress{"203.0.113.50", 7078}));
}

TEST_F(Negotiation, RejectedVideoKeepsItsLine) {
  auto answer = answer_offer(sdp(samples::kAudioVideo), config_, {10030, 10032}, session_);
  ASSERT_TRUE(answer.ok());
  ASSERT_EQ(answer->sdp.media.size(), 2u);  // same number of m= lines, same order
  EXPECT_EQ(answer->sdp.media[0].media, "audio");
  EXPECT_EQ(answer->sdp.media[0].port, 10030);
  const MediaDescription& video = answer->sdp.media[1];
  EXPECT_EQ(video.media, "video");
  EXPECT_EQ(video.port, 0);
  EXPECT_EQ(video.formats, std::vector<std::string>{"99"});
  EXPECT_TRUE(video.rtpmaps.empty());
  EXPECT_FALSE(answer->streams[1].active);
  // And the rejected line survives serialization.
  auto back = parse(serialize(answer->sdp));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->media[1].port, 0);
}

TEST_F(Negotiation, DirectionMapping) {
  struct Case {
    const char* offered;
    Direction answered;
  };
  for (const Case& c :
       {Case{"sendonly", Direction::kRecvOnly}, Case{"recvonly", Direction::kSendOnly},
        Case{"inactive", Direction::kInactive}, Case{"sendrecv", Direction::kSendRecv}}) {
    auto answer = answer_offer(sdp(with_direction(samples::kLinphone, c.offered)), config_, {10000},
                               session_);
    ASSERT_TRUE(answer.ok());
    EXPECT_EQ(answer->sdp.media[0].direction, c.answered) << c.offered;
  }
  EXPECT_EQ(answer_direction(Direction::kSendRecv, Direction::kSendOnly), Direction::kSendOnly);
  EXPECT_EQ(answer_direction(Direction::kSendOnly, Direction::kSendOnly), Direction::kInactive);
}

TEST_F(Negotiation, HoldAndResumeDetection) {
  SessionDescription active = sdp(samples::kDeskPhone);
  EXPECT_FALSE(is_hold(active));
  SessionDescription sendonly = active;
  sendonly.media[0].direction = Direction::kSendOnly;
  EXPECT_TRUE(is_hold(sendonly));
  SessionDescription inactive = active;
  inactive.media[0].direction = Direction::kInactive;
  EXPECT_TRUE(is_hold(inactive));
  SessionDescription recvonly = active;
  recvonly.media[0].direction = Direction::kRecvOnly;
  EXPECT_FALSE(is_hold(recvonly));
  SessionDescription legacy = sdp(samples::kLegacyHold);
  EXPECT_TRUE(is_hold(legacy));
  EXPECT_EQ(declared_direction(legacy, legacy.media[0]), Direction::kSendOnly);
  auto answer = answer_offer(legacy, config_, {10040}, session_);
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->sdp.media[0].direction, Direction::kRecvOnly);
  EXPECT_TRUE(answer->streams[0].held);
  SessionDescription no_audio = sdp("v=0\no=- 1 1 IN IP4 a\ns=-\nm=audio 0 RTP/AVP 0\n");
  EXPECT_FALSE(is_hold(no_audio));
}

TEST_F(Negotiation, NoCommonCodecIs488) {
  std::string g729_only =
      "v=0\r\no=- 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\n"
      "m=audio 5000 RTP/AVP 18 101\r\na=rtpmap:101 telephone-event/8000\r\n"
      "m=video 5002 RTP/AVP 31\r\n";
  auto answer = answer_offer(sdp(g729_only), config_, {10000, 10002}, session_);
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code, ErrorCode::kFailedPrecondition);
  Rejection r = rejection_for(answer.error());
  EXPECT_EQ(r.status, 488);
  EXPECT_EQ(r.warning_code, 305);
  auto bad = parse("v=0\r\n");
  EXPECT_EQ(rejection_for(bad.error()).warning_code, 399);
  EXPECT_EQ(session_.version(), 0u);  // nothing was sent
}

TEST_F(Negotiation, SrtpIsRejectedForNow) {
  std::string savp =
      "v=0\r\no=- 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\n"
      "m=audio 5000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:x\r\n";
  EXPECT_FALSE(answer_offer(sdp(savp), config_, {10000}, session_).ok());
}

TEST_F(Negotiation, Ipv6OfferAndRtcpMux) {
  config_.address = "2001:db8::1";
  LocalSession v6("7", "2001:db8::1");
  auto answer = answer_offer(sdp(samples::kIpv6), config_, {10050}, v6);
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(answer->sdp.connection->type, AddressType::kIp6);
  EXPECT_EQ(answer->sdp.origin.type, AddressType::kIp6);
  const MediaDescription& m = answer->sdp.media[0];
  EXPECT_EQ(m.formats, (std::vector<std::string>{"8", "0", "101"}));
  EXPECT_TRUE(m.rtcp_mux);
  ASSERT_TRUE(m.rtcp);
  EXPECT_EQ(m.rtcp->port, 10050);  // muxed: the RTP port
  EXPECT_EQ(m.ptime, 30u);
  const StreamParams& s = answer->streams[0];
  EXPECT_TRUE(s.rtcp_mux);
  EXPECT_EQ(s.remote_rtp, (RtpAddress{"2001:db8::10", 30000}));
  EXPECT_EQ(s.remote_rtcp, (RtpAddress{"2001:db8::10", 30000}));
  EXPECT_NE(serialize(answer->sdp).find("c=IN IP6 2001:db8::1\r\n"), std::string::npos);
}

TEST_F(Negotiation, RewriteToLocal) {
  SessionDescription sd = sdp(samples::kLinphone);
  sd.media[0].rtcp = RtcpAttribute{7079, Connection{AddressType::kIp4, "203.0.113.50"}};
  ASSERT_TRUE(rewrite_to_local(sd, config_, {10060}).ok());
  EXPECT_EQ(sd.connection->address, "203.0.113.1");
  EXPECT_FALSE(sd.media[0].connection);
  EXPECT_EQ(sd.media[0].port, 10060);
  EXPECT_EQ(sd.media[0].rtcp->port, 10061);
  EXPECT_EQ(sd.media[0].rtcp->connection->address, "203.0.113.1");
  EXPECT_FALSE(rewrite_to_local(sd, config_, {20000}).ok());  // outside the range
  EXPECT_FALSE(rewrite_to_local(sd, config_, {}).ok());
}

TEST_F(Negotiation, ApplyAnswer) {
  auto offer = make_offer(config_, 10000, session_);
  ASSERT_TRUE(offer.ok());
  SessionDescription answer =
      sdp("v=0\r\no=- 9 9 IN IP4 192.0.2.20\r\ns=-\r\nc=IN IP4 192.0.2.20\r\nt=0 0\r\n"
          "m=audio 6000 RTP/AVP 8 96\r\na=rtpmap:96 telephone-event/8000\r\na=ptime:30\r\n"
          "a=recvonly\r\n");
  auto streams = apply_answer(*offer, answer);
  ASSERT_TRUE(streams.ok()) << streams.error().message;
  const StreamParams& s = (*streams)[0];
  EXPECT_EQ(s.codec->name, "PCMA");
  EXPECT_EQ(s.telephone_event->payload_type, 96);  // as answered
  EXPECT_EQ(s.ptime, 30u);
  EXPECT_EQ(s.direction, Direction::kRecvOnly);
  EXPECT_EQ(s.remote_rtp, (RtpAddress{"192.0.2.20", 6000}));

  SessionDescription wrong = answer;
  wrong.media.push_back(answer.media[0]);
  EXPECT_FALSE(apply_answer(*offer, wrong).ok());
  SessionDescription unoffered =
      sdp("v=0\r\no=- 9 9 IN IP4 192.0.2.20\r\ns=-\r\nc=IN IP4 192.0.2.20\r\nt=0 0\r\n"
          "m=audio 6000 RTP/AVP 9\r\n");
  auto none = apply_answer(*offer, unoffered);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kFailedPrecondition);
}

}  // namespace
}  // namespace switchboard::sdp
