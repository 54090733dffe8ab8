// The B2BUA through the real transaction layer in virtual time: a call's
// whole life, forking, CANCEL, no answer, rejections, re-INVITE hold,
// session timers and the maximum duration (issue 5 §1–2).
#include "call_fixture.hpp"
#include "sdp/parser.hpp"

namespace switchboard::core::testing {
namespace {

constexpr const char* kA = "198.51.100.1";
constexpr const char* kB1 = "198.51.100.21";
constexpr const char* kB2 = "198.51.100.22";

std::uint16_t audio_port(const sip::Message& m) {
  auto sd = sdp::parse(m.body());
  return sd.ok() && !sd->media.empty() ? sd->media[0].port : 0;
}

class B2buaTest : public CallFixture {};

TEST_F(B2buaTest, BasicCallThroughTheRelayAndCallerHangsUp) {
  register_phone("1002", kB1);
  feed(invite("1002"), from_ip(kA));
  ASSERT_TRUE(last_response(kA, 100));
  auto inv = last_request(kB1, "INVITE");
  ASSERT_TRUE(inv);
  // Leg B: our own Call-ID, the caller's identity, our media address and port B.
  EXPECT_NE(inv->value(sip::HeaderId::kCallId), std::optional<std::string_view>("call-1"));
  EXPECT_NE(inv->value(sip::HeaderId::kFrom)->find("<sip:1001@pbx.test>"), std::string::npos);
  EXPECT_EQ(inv->request_uri(), "sip:1002@198.51.100.21:5060");
  EXPECT_NE(inv->body().find("c=IN IP4 192.0.2.1"), std::string::npos);
  EXPECT_EQ(audio_port(*inv), 10006);  // FakeRelay: base 10004, side B = +2
  EXPECT_EQ(seen, (std::vector<CallEventKind>{CallEventKind::kStarted}));

  feed(answer(*inv, 180, "b1"), from_ip(kB1));
  ASSERT_TRUE(last_response(kA, 180));
  feed(answer(*inv, 200, "b1", sdp_body(kB1, 5000), kB1), from_ip(kB1));
  auto ok = last_response(kA, 200);
  ASSERT_TRUE(ok);
  EXPECT_EQ(audio_port(*ok), 10004);  // side A
  EXPECT_NE(ok->body().find("a=rtpmap:101 telephone-event/8000"), std::string::npos);
  ASSERT_TRUE(last_request(kB1, "ACK"));
  // The relay knows where each side's phone receives.
  auto& log = *relays.logs.at(0);
  EXPECT_EQ(log.configured[MediaSide::kA].remote_rtp, (sdp::RtpAddress{kA, 4000}));
  EXPECT_EQ(log.configured[MediaSide::kB].remote_rtp, (sdp::RtpAddress{kB1, 5000}));
  EXPECT_EQ(log.configured[MediaSide::kA].codec->name, "PCMU");
  EXPECT_EQ(last.codec, "PCMU/8000");
  EXPECT_EQ(last.callee_user_agent, "PhoneB");
  // Answered, then the two phones' media joined.
  EXPECT_EQ(seen, (std::vector<CallEventKind>{CallEventKind::kStarted, CallEventKind::kRinging,
                                              CallEventKind::kAnswered, CallEventKind::kBridged}));
  EXPECT_EQ(bridged, (std::vector<std::string>{"call-1 1001-1002 answer"}));

  const std::string tag = to_tag(*ok);
  feed(from_caller("ACK", 1, tag), from_ip(kA));
  timers.advance(5s);
  // The 2xx was ACKed: no retransmission to A after the ACK.
  size_t before = sent_to(kA).size();
  timers.advance(10s);
  EXPECT_EQ(sent_to(kA).size(), before);

  feed(from_caller("BYE", 2, tag), from_ip(kA));
  EXPECT_TRUE(last_response(kA, 200));
  auto bye = last_request(kB1, "BYE");
  ASSERT_TRUE(bye);
  EXPECT_EQ(to_tag(*bye), "b1");
  EXPECT_TRUE(log.closed);
  EXPECT_EQ(seen.back(), CallEventKind::kEnded);
  EXPECT_EQ(last.outcome, CallOutcome::kAnswered);
  EXPECT_EQ(last.hangup_side, Party::kCaller);
  EXPECT_EQ(last.quality.packets_from_a, 100u);
  ASSERT_TRUE(last.answer.has_value());
  EXPECT_EQ(*last.answer - last.start, std::chrono::milliseconds(0));
  EXPECT_EQ(last.end - *last.answer, std::chrono::milliseconds(15000));
  timers.advance(1s);
  EXPECT_EQ(b2bua.active_calls(), 0u);
}

TEST_F(B2buaTest, APhoneBehindNatIsLatchedFromAnyHost) {
  // The callee's SDP names its private address, its signalling comes from
  // the NAT's public one: its side latches onto the first packet from any
  // host. The caller's SDP matches its source: expected host only.
  register_phone("1002", kB1);
  feed(invite("1002"), from_ip(kA));
  auto inv = last_request(kB1, "INVITE");
  ASSERT_TRUE(inv);
  feed(answer(*inv, 200, "b1", sdp_body("10.0.0.7", 5000), kB1), from_ip(kB1));
  ASSERT_TRUE(last_response(kA, 200));
  auto& log = *relays.logs.at(0);
  EXPECT_EQ(log.configured[MediaSide::kB].remote_rtp, (sdp::RtpAddress{"10.0.0.7", 5000}));
  EXPECT_EQ(log.latch[MediaSide::kB], MediaLatch::kAnyHost);
  EXPECT_EQ(log.latch[MediaSide::kA], MediaLatch::kExpectedHost);
}

TEST_F(B2buaTest, CalleeHangsUp) {
  const std::string tag = establish();
  ASSERT_FALSE(tag.empty());
  // B's BYE: in B's dialog (our Call-ID and From tag).
  auto bye = sip::Message::request("BYE", "sip:switchboard@192.0.2.1:5060");
  bye.add_header(sip::HeaderId::kVia,
                 "SIP/2.0/UDP 198.51.100.21:5060;branch=" + sip::make_branch());
  bye.add_header(sip::HeaderId::kMaxForwards, "70");
  bye.add_header(sip::HeaderId::kFrom, "<sip:1002@pbx.test>;tag=b1");
  bye.add_header(sip::HeaderId::kTo, std::string(*b_invite.value(sip::HeaderId::kFrom)));
  bye.add_header(sip::HeaderId::kCallId, *b_invite.value(sip::HeaderId::kCallId));
  bye.add_header(sip::HeaderId::kCSeq, "7 BYE");
  feed(bye, from_ip(kB1));
  EXPECT_TRUE(last_response(kB1, 200));
  auto to_a = last_request(kA, "BYE");
  ASSERT_TRUE(to_a);
  EXPECT_EQ(to_a->request_uri(), "sip:1001@198.51.100.1:5060");
  EXPECT_EQ(last.hangup_side, Party::kCallee);
  // A request in the dead dialog: 481.
  feed(from_caller("BYE", 9, tag), from_ip(kA));
  EXPECT_TRUE(last_response(kA, 481));
}

TEST_F(B2buaTest, ParallelForkingFirstAnswerWinsOthersAreCancelled) {
  register_phone("1002", kB1);
  register_phone("1002", kB2);
  feed(invite("1002"), from_ip(kA));
  auto inv1 = last_request(kB1, "INVITE");
  auto inv2 = last_request(kB2, "INVITE");
  ASSERT_TRUE(inv1 && inv2);
  feed(answer(*inv1, 180, "x1"), from_ip(kB1));
  feed(answer(*inv2, 180, "x2"), from_ip(kB2));
  feed(answer(*inv2, 200, "x2", sdp_body(kB2, 6000), kB2), from_ip(kB2));
  ASSERT_TRUE(last_response(kA, 200));
  ASSERT_TRUE(last_request(kB1, "CANCEL"));
  EXPECT_FALSE(last_request(kB2, "CANCEL"));
  feed(answer(*inv1, 487, "x1"), from_ip(kB1));
  EXPECT_TRUE(last_request(kB1, "ACK"));  // the transaction ACKs the 487
  EXPECT_EQ(relays.logs[0]->configured[MediaSide::kB].remote_rtp, (sdp::RtpAddress{kB2, 6000}));
  // A late 200 from the cancelled phone is ACKed and ended with BYE.
  feed(answer(*inv1, 200, "x1b", sdp_body(kB1, 5000), kB1), from_ip(kB1));
  EXPECT_EQ(b2bua.stats().answered, 1u);
}

TEST_F(B2buaTest, CallerCancelsAllForks) {
  register_phone("1002", kB1);
  register_phone("1002", kB2);
  auto text = invite("1002");
  feed(text, from_ip(kA));
  auto inv1 = last_request(kB1, "INVITE");
  auto inv2 = last_request(kB2, "INVITE");
  feed(answer(*inv1, 180, "x1"), from_ip(kB1));
  feed(answer(*inv2, 180, "x2"), from_ip(kB2));
  auto a_inv = sip::parse_message(text);
  ASSERT_TRUE(a_inv.ok());
  feed(sip::make_cancel(*a_inv), from_ip(kA));
  EXPECT_TRUE(last_response(kA, 487));
  EXPECT_TRUE(last_request(kB1, "CANCEL"));
  EXPECT_TRUE(last_request(kB2, "CANCEL"));
  EXPECT_EQ(last.outcome, CallOutcome::kCancelled);
  EXPECT_EQ(last.hangup_side, Party::kCaller);
  EXPECT_TRUE(relays.logs[0]->closed);
}

TEST_F(B2buaTest, BusyWhenEveryForkIsBusy) {
  register_phone("1002", kB1);
  register_phone("1002", kB2);
  feed(invite("1002"), from_ip(kA));
  feed(answer(*last_request(kB1, "INVITE"), 480, "x1"), from_ip(kB1));
  EXPECT_FALSE(last_response(kA, 480));  // the other fork still rings
  feed(answer(*last_request(kB2, "INVITE"), 486, "x2"), from_ip(kB2));
  EXPECT_TRUE(last_response(kA, 486));  // busy beats temporarily unavailable
  EXPECT_EQ(last.outcome, CallOutcome::kBusy);
}

TEST_F(B2buaTest, NoAnswerTimeoutCancelsAndAnswers480WithoutVoicemail) {
  register_phone("1002", kB1);
  feed(invite("1002"), from_ip(kA));
  feed(answer(*last_request(kB1, "INVITE"), 180, "x1"), from_ip(kB1));
  timers.advance(19s);
  EXPECT_FALSE(last_response(kA, 480));
  timers.advance(1s);
  EXPECT_TRUE(last_response(kA, 480));
  EXPECT_TRUE(last_request(kB1, "CANCEL"));
  EXPECT_EQ(last.outcome, CallOutcome::kNoAnswer);
}

TEST_F(B2buaTest, RejectionsBeforeRinging) {
  feed(invite("1999"), from_ip(kA));
  EXPECT_TRUE(last_response(kA, 404));
  feed(invite("1003", "c2"), from_ip(kA));
  EXPECT_TRUE(last_response(kA, 480));  // exists, not registered
  EXPECT_EQ(last.hangup_cause, "not registered");
  feed(invite("0123456", "c3"), from_ip(kA));
  EXPECT_TRUE(last_response(kA, 403));  // 1001 may not dial out
  register_phone("1002", kB1);
  feed(invite("1002", "c4", "", sdp_body(kA, 4000, "sendrecv", "3")), from_ip(kA));
  auto r = last_response(kA, 488);
  ASSERT_TRUE(r);  // GSM only: no common codec
  EXPECT_TRUE(r->value("Warning").has_value());
  EXPECT_FALSE(last_request(kB1, "INVITE"));
  relays.exhausted = true;
  feed(invite("1002", "c5"), from_ip(kA));
  EXPECT_TRUE(last_response(kA, 503));
  // Not authenticated (authentication required): 403, nothing rings.
  relays.exhausted = false;
  authenticate_as.reset();
  feed(invite("1002", "c6"), from_ip(kA));
  EXPECT_TRUE(last_response(kA, 403));
  EXPECT_FALSE(last_request(kB1, "INVITE"));
  EXPECT_EQ(b2bua.active_calls(), 0u);
}

TEST_F(B2buaTest, ExtensionWithPermissionDialsOutToAFeatureHandler) {
  authenticate_as = "1002";
  bool handled = false;
  b2bua.set_target_handler(
      TargetKind::kExternal,
      [&](const sip::ServerTransactionPtr& t, const RouteDecision& d, const std::string& caller) {
        handled = d.target == "0123456" && caller == "1002";
        t->respond(sip::make_response(t->request(), 503, "Trunk Down"));
      });
  feed(invite("0123456"), from_ip(kA));
  EXPECT_TRUE(handled);
  EXPECT_TRUE(last_response(kA, 503));
}

TEST_F(B2buaTest, HoldAndResumeAreAnsweredByThePbxWithMusicTowardTheHeldParty) {
  const std::string tag = establish();
  feed(from_caller("ACK", 1, tag), from_ip(kA));
  size_t mark = sent.size();
  feed(from_caller("INVITE", 2, tag, sdp_body(kA, 4000, "sendonly")), from_ip(kA));
  EXPECT_TRUE(sent_to(kB1, mark).empty());  // the held phone is not re-INVITEd
  auto ok = last_response(kA, 200);
  ASSERT_TRUE(ok);
  EXPECT_NE(ok->body().find("a=recvonly"), std::string::npos);
  EXPECT_EQ(audio_port(*ok), 10004);
  auto& relay = *relays.logs.at(0);
  EXPECT_EQ(relay.music.at(MediaSide::kB), "default");  // B hears music
  EXPECT_EQ(relay.configured[MediaSide::kA].direction, sdp::Direction::kSendOnly);
  EXPECT_EQ(seen.back(), CallEventKind::kHeld);
  feed(from_caller("ACK", 2, tag), from_ip(kA));
  // Resume: the music stops, the phones hear each other again.
  feed(from_caller("INVITE", 3, tag, sdp_body(kA, 4000)), from_ip(kA));
  EXPECT_TRUE(sent_to(kB1, mark).empty());
  ok = last_response(kA, 200);
  ASSERT_TRUE(ok);
  EXPECT_NE(ok->body().find("a=sendrecv"), std::string::npos);
  EXPECT_EQ(relay.music.count(MediaSide::kB), 0u);
  EXPECT_EQ(seen.back(), CallEventKind::kResumed);
  feed(from_caller("ACK", 3, tag), from_ip(kA));
  // Any other re-offer (a new address) goes to the other phone; a second
  // one while it is pending gets 491.
  mark = sent.size();
  feed(from_caller("INVITE", 4, tag, sdp_body(kA, 4100)), from_ip(kA));
  auto reinvite = last_request(kB1, "INVITE");
  ASSERT_TRUE(reinvite && !sent_to(kB1, mark).empty());
  EXPECT_EQ(to_tag(*reinvite), "b1");
  EXPECT_EQ(audio_port(*reinvite), 10006);
  feed(from_caller("INVITE", 5, tag, sdp_body(kA, 4100)), from_ip(kA));
  EXPECT_TRUE(last_response(kA, 491));
  feed(answer(*reinvite, 200, "b1", sdp_body(kB1, 5000), kB1), from_ip(kB1));
  EXPECT_EQ(relay.configured[MediaSide::kA].remote_rtp, (sdp::RtpAddress{kA, 4100}));
}

TEST_F(B2buaTest, WithoutPbxHoldAHoldReInviteIsPassedToTheOtherPhone) {
  auto o = options();
  o.pbx_hold = false;  // features.music_on_hold: false
  b2bua.set_options(o);
  const std::string tag = establish();
  feed(from_caller("ACK", 1, tag), from_ip(kA));
  feed(from_caller("INVITE", 2, tag, sdp_body(kA, 4000, "sendonly")), from_ip(kA));
  auto reinvite = last_request(kB1, "INVITE");
  ASSERT_TRUE(reinvite);
  EXPECT_NE(reinvite->body().find("a=sendonly"), std::string::npos);
  feed(answer(*reinvite, 200, "b1", sdp_body(kB1, 5000, "recvonly"), kB1), from_ip(kB1));
  auto ok = last_response(kA, 200);
  ASSERT_TRUE(ok);
  EXPECT_NE(ok->body().find("a=recvonly"), std::string::npos);
  EXPECT_EQ(relays.logs.at(0)->music.count(MediaSide::kB), 0u);
  EXPECT_EQ(seen.back(), CallEventKind::kHeld);
}

TEST_F(B2buaTest, TheApiHoldsAPartyWithMusicAndResumes) {
  ASSERT_FALSE(establish().empty());
  EXPECT_EQ(b2bua.hold("nope", MediaSide::kB).error().code, ErrorCode::kNotFound);
  const size_t mark = sent.size();
  ASSERT_TRUE(b2bua.hold("call-1", MediaSide::kB).ok());
  EXPECT_EQ(relays.logs.at(0)->music.at(MediaSide::kB), "default");
  EXPECT_EQ(seen.back(), CallEventKind::kHeld);
  EXPECT_EQ(b2bua.hold("call-1", MediaSide::kA).error().code, ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(b2bua.resume("call-1").ok());
  EXPECT_EQ(relays.logs.at(0)->music.count(MediaSide::kB), 0u);
  EXPECT_EQ(seen.back(), CallEventKind::kResumed);
  EXPECT_EQ(b2bua.resume("call-1").error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(sent.size(), mark);  // no signalling at all
}

TEST_F(B2buaTest, TheCalleeHoldsWithInactiveAndTheCallerHearsMusic) {
  const std::string tag = establish();
  feed(from_caller("ACK", 1, tag), from_ip(kA));
  const size_t mark = sent.size();
  auto re = sip::Message::request("INVITE", "sip:switchboard@192.0.2.1:5060");
  re.add_header(sip::HeaderId::kVia, "SIP/2.0/UDP 198.51.100.21:5060;branch=" + sip::make_branch());
  re.add_header(sip::HeaderId::kMaxForwards, "70");
  re.add_header(sip::HeaderId::kFrom, "<sip:1002@pbx.test>;tag=b1");
  re.add_header(sip::HeaderId::kTo, std::string(*b_invite.value(sip::HeaderId::kFrom)));
  re.add_header(sip::HeaderId::kCallId, *b_invite.value(sip::HeaderId::kCallId));
  re.add_header(sip::HeaderId::kCSeq, "2 INVITE");
  re.add_header(sip::HeaderId::kContact, "<sip:1002@198.51.100.21:5060>");
  sip::set_body(re, "application/sdp", sdp_body(kB1, 5000, "inactive"));
  feed(re, from_ip(kB1));
  EXPECT_TRUE(sent_to(kA, mark).empty());
  auto ok = last_response(kB1, 200);
  ASSERT_TRUE(ok);
  EXPECT_NE(ok->body().find("a=inactive"), std::string::npos);
  EXPECT_EQ(relays.logs.at(0)->music.at(MediaSide::kA), "default");
  EXPECT_EQ(seen.back(), CallEventKind::kHeld);
}

TEST_F(B2buaTest, EarlyMediaIsRelayedWithTheAnswerTheCallerWillGetAgain) {
  register_phone("1002", kB1);
  feed(invite("1002"), from_ip(kA));
  auto inv = last_request(kB1, "INVITE");
  feed(answer(*inv, 183, "b1", sdp_body(kB1, 5000), kB1), from_ip(kB1));
  auto early = last_response(kA, 183);
  ASSERT_TRUE(early);
  EXPECT_EQ(audio_port(*early), 10004);
  EXPECT_EQ(relays.logs[0]->configured[MediaSide::kB].remote_rtp, (sdp::RtpAddress{kB1, 5000}));
  feed(answer(*inv, 200, "b1", sdp_body(kB1, 5000), kB1), from_ip(kB1));
  auto ok = last_response(kA, 200);
  ASSERT_TRUE(ok);
  // The same answer (same o= version) in the 200 as in the 183 (RFC 3261 §13.2.1).
  EXPECT_EQ(ok->body(), early->body());
}

TEST_F(B2buaTest, UpdateFromTheCalleeIsPassedToTheCaller) {
  const std::string tag = establish();
  feed(from_caller("ACK", 1, tag), from_ip(kA));
  auto upd = sip::Message::request("UPDATE", "sip:switchboard@192.0.2.1:5060");
  upd.add_header(sip::HeaderId::kVia,
                 "SIP/2.0/UDP 198.51.100.21:5060;branch=" + sip::make_branch());
  upd.add_header(sip::HeaderId::kMaxForwards, "70");
  upd.add_header(sip::HeaderId::kFrom, "<sip:1002@pbx.test>;tag=b1");
  upd.add_header(sip::HeaderId::kTo, std::string(*b_invite.value(sip::HeaderId::kFrom)));
  upd.add_header(sip::HeaderId::kCallId, *b_invite.value(sip::HeaderId::kCallId));
  upd.add_header(sip::HeaderId::kCSeq, "2 UPDATE");
  upd.add_header(sip::HeaderId::kContact, "<sip:phone@198.51.100.21:5060>");
  sip::set_body(upd, "application/sdp", sdp_body(kB1, 5002));
  feed(upd, from_ip(kB1));
  auto to_a = last_request(kA, "UPDATE");
  ASSERT_TRUE(to_a);
  EXPECT_EQ(audio_port(*to_a), 10004);  // A still sees port A
  feed(answer(*to_a, 200, tag, sdp_body(kA, 4000), kA), from_ip(kA));
  auto ok = last_response(kB1, 200);
  ASSERT_TRUE(ok);
  EXPECT_EQ(audio_port(*ok), 10006);
  // The relay follows B's new port.
  EXPECT_EQ(relays.logs[0]->configured[MediaSide::kB].remote_rtp, (sdp::RtpAddress{kB1, 5002}));
}

TEST_F(B2buaTest, PcmuCallerAndPcmaCalleeMeetThroughTheTranscodingRelay) {
  register_phone("1002", kB1);
  feed(invite("1002", "law", "", sdp_body(kA, 4000, "sendrecv", "0 101")), from_ip(kA));
  auto inv = last_request(kB1, "INVITE");
  ASSERT_TRUE(inv);
  EXPECT_NE(inv->body().find("a=rtpmap:8 PCMA/8000"), std::string::npos) << inv->body();
  feed(answer(*inv, 200, "b1", sdp_body(kB1, 5000, "sendrecv", "8 101"), kB1), from_ip(kB1));
  auto ok = last_response(kA, 200);
  ASSERT_TRUE(ok);
  EXPECT_NE(ok->body().find("m=audio 10004 RTP/AVP 0 101"), std::string::npos) << ok->body();
  auto& log = *relays.logs.at(0);
  EXPECT_EQ(log.configured[MediaSide::kA].codec->name, "PCMU");
  EXPECT_EQ(log.configured[MediaSide::kB].codec->name, "PCMA");
  EXPECT_EQ(log.configured[MediaSide::kB].codec->payload_type, 8);
  EXPECT_EQ(last.codec, "PCMU/8000 <-> PCMA/8000");
}

TEST_F(B2buaTest, InfoIsRelayedWithItsAnswer) {
  const std::string tag = establish();
  std::string info = from_caller("INFO", 2, tag);
  info.replace(info.find("Content-Length: 0"), 17,
               "Content-Type: application/dtmf-relay\r\nContent-Length: 10");
  info += "Signal=5\r\n";
  feed(info, from_ip(kA));
  auto r0 = last_response(kA);
  ASSERT_TRUE(r0);
  EXPECT_EQ(r0->status_code(), 200) << sip::serialize(*r0) << info;
  auto out = last_request(kB1, "INFO");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->body(), "Signal=5\r\n");
  feed(answer(*out, 200, "b1"), from_ip(kB1));
  auto r = last_response(kA, 200);
  ASSERT_TRUE(r);
  EXPECT_EQ(sip::get_cseq(*r)->method, "INFO");
}

TEST_F(B2buaTest, SessionTimerEndsACallTheCallerStopsRefreshing) {
  register_phone("1002", kB1);
  feed(invite("1002", "st", "Session-Expires: 60\r\nSupported: timer\r\n"), from_ip(kA));
  EXPECT_TRUE(last_response(kA, 422));  // below Min-SE 90
  feed(invite("1002", "st2", "Session-Expires: 120\r\nSupported: timer\r\n"), from_ip(kA));
  auto inv = last_request(kB1, "INVITE");
  feed(answer(*inv, 200, "b1", sdp_body(kB1, 5000), kB1), from_ip(kB1));
  auto ok = last_response(kA, 200);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->value(sip::HeaderId::kSessionExpires),
            std::optional<std::string_view>("120;refresher=uac"));
  const std::string tag = to_tag(*ok);
  feed(from_caller("ACK", 1, tag, "", "st2"), from_ip(kA));
  timers.advance(60s);
  feed(from_caller("UPDATE", 2, tag, "", "st2"), from_ip(kA));  // a refresh without SDP
  EXPECT_TRUE(last_response(kA, 200));
  timers.advance(80s);  // 140 s since the answer, 80 s since the refresh
  EXPECT_FALSE(last_request(kB1, "BYE"));
  timers.advance(10s);  // 120 - min(32, 40) = 88 s after the refresh
  EXPECT_TRUE(last_request(kB1, "BYE"));
  EXPECT_TRUE(last_request(kA, "BYE"));
  EXPECT_EQ(last.hangup_cause, "session timer expired");
  EXPECT_EQ(last.hangup_side, Party::kSystem);
}

TEST_F(B2buaTest, MaxCallDurationAndDeadMediaEndTheCall) {
  const std::string tag = establish();
  feed(from_caller("ACK", 1, tag), from_ip(kA));
  timers.advance(3599s);
  EXPECT_FALSE(last_request(kB1, "BYE"));
  timers.advance(1s);
  EXPECT_TRUE(last_request(kB1, "BYE"));
  EXPECT_TRUE(last_request(kA, "BYE"));
  EXPECT_EQ(last.hangup_cause, "max call duration");

  register_phone("1002", kB1);  // the first binding expired meanwhile
  feed(invite("1002", "call-2"), from_ip(kA));
  auto inv = last_request(kB1, "INVITE");
  feed(answer(*inv, 200, "b2", sdp_body(kB1, 5000), kB1), from_ip(kB1));
  ASSERT_TRUE(relays.dead_peer);
  relays.dead_peer(MediaSide::kB);
  EXPECT_EQ(last.hangup_cause, "media timeout");
}

TEST_F(B2buaTest, EndAllAtShutdownEndsRingingAndAnsweredCalls) {
  const std::string tag = establish();
  register_phone("1002", kB2);
  feed(invite("1002", "ringing"), from_ip(kA));
  b2bua.end_all("shutdown");
  EXPECT_TRUE(last_response(kA, 503));
  EXPECT_TRUE(last_request(kA, "BYE"));
  EXPECT_TRUE(last_request(kB1, "BYE"));
  EXPECT_EQ(std::count(seen.begin(), seen.end(), CallEventKind::kEnded), 2);
  EXPECT_EQ(last.hangup_cause, "shutdown");
}

}  // namespace
}  // namespace switchboard::core::testing
