// Transfers through the B2BUA in virtual time (issue 7 §2): blind transfer
// by REFER from either party and from the API, NOTIFY sipfrag progress, a
// failing target handing the transferee back (or ringing the transferrer
// back), attended transfer by REFER with Replaces, INVITE with Replaces.
#include "transfer_fixture.hpp"

namespace switchboard::core::testing {
namespace {

TEST_F(TransferTest, BlindReferFromTheCalleeConnectsTheCallerToTheTarget) {
  const size_t mark = sent.size();
  feed(from_b("REFER", 2, "Refer-To: <sip:1003@pbx.test>\r\nReferred-By: <sip:1002@pbx.test>\r\n"),
       from_ip(kB));
  ASSERT_TRUE(last_response(kB, 202));
  auto notifies = requests_to(kB, "NOTIFY", mark);
  ASSERT_EQ(notifies.size(), 1u);
  EXPECT_EQ(sipfrag(notifies[0]), "SIP/2.0 100 Trying\r\n");
  EXPECT_EQ(notifies[0].value(sip::HeaderId::kEvent), std::optional<std::string_view>("refer"));
  EXPECT_EQ(notifies[0].value(sip::HeaderId::kCallId), std::optional<std::string_view>(b_call_id));

  // C rings with the caller's identity, offered the caller's codec at side B.
  auto inv = last_request(kC, "INVITE");
  ASSERT_TRUE(inv);
  EXPECT_NE(inv->value(sip::HeaderId::kFrom)->find("sip:1001@"), std::string::npos);
  EXPECT_EQ(audio_port(*inv), 10006);
  EXPECT_FALSE(last_request(kA, "INVITE"));  // the caller's phone sees nothing
  answer_c();
  notifies = requests_to(kB, "NOTIFY", mark);
  ASSERT_EQ(notifies.size(), 2u);
  EXPECT_EQ(sipfrag(notifies[1]), "SIP/2.0 200 OK\r\n");
  EXPECT_NE(notifies[1].value(sip::HeaderId::kSubscriptionState)->find("terminated"),
            std::string::npos);
  EXPECT_EQ(requests_to(kB, "BYE", mark).size(), 1u);
  auto& relay = *relays.logs.at(0);
  EXPECT_EQ(relay.configured[MediaSide::kB].remote_rtp, (sdp::RtpAddress{kC, 6000}));
  // The transfer, then the caller and the target bridged.
  ASSERT_GE(seen.size(), 2u);
  EXPECT_EQ(seen[seen.size() - 2], CallEventKind::kTransferred);
  EXPECT_EQ(seen.back(), CallEventKind::kBridged);
  EXPECT_EQ(bridged,
            (std::vector<std::string>{"call-1 1001-1002 answer", "call-1 1001-1003 transfer"}));
  ASSERT_EQ(last.transfers.size(), 1u);
  EXPECT_EQ(last.transfers[0].kind, "blind");
  EXPECT_EQ(last.transfers[0].by, "1002");
  EXPECT_EQ(last.transfers[0].to, "1003");
  EXPECT_EQ(last.callee, "1003");

  // The caller hangs up: the BYE goes to C.
  feed(from_caller("BYE", 3, a_tag), from_ip(kA));
  EXPECT_EQ(requests_to(kC, "BYE").size(), 1u);
  EXPECT_EQ(seen.back(), CallEventKind::kEnded);
  EXPECT_EQ(last.transfers.size(), 1u);
}

TEST_F(TransferTest, BlindReferFromTheCallerKeepsTheCalleeAndSwapsSides) {
  const size_t mark = sent.size();
  feed(from_a("REFER", 2, "Refer-To: <sip:1003@pbx.test>\r\n"), from_ip(kA));
  ASSERT_TRUE(last_response(kA, 202));
  auto inv = last_request(kC, "INVITE");
  ASSERT_TRUE(inv);
  // C sees the party that stays (1002) as its caller; the offer names the
  // relay port that faced A.
  EXPECT_NE(inv->value(sip::HeaderId::kFrom)->find("sip:1002@"), std::string::npos);
  EXPECT_EQ(audio_port(*inv), 10004);
  answer_c();
  auto notifies = requests_to(kA, "NOTIFY", mark);
  ASSERT_EQ(notifies.size(), 2u);
  EXPECT_EQ(sipfrag(notifies[1]), "SIP/2.0 200 OK\r\n");
  EXPECT_EQ(requests_to(kA, "BYE", mark).size(), 1u);
  EXPECT_TRUE(requests_to(kB, "INVITE", mark).empty());  // B's phone sees nothing
  auto& relay = *relays.logs.at(0);
  EXPECT_EQ(relay.configured[MediaSide::kA].remote_rtp, (sdp::RtpAddress{kC, 6000}));
  EXPECT_EQ(relay.configured[MediaSide::kB].remote_rtp, (sdp::RtpAddress{kB, 5000}));
  EXPECT_EQ(last.caller, "1002");
  EXPECT_EQ(last.callee, "1003");

  // B (still in its own dialog) hangs up: C gets the BYE; A's old dialog is gone.
  feed(from_b("BYE", 2), from_ip(kB));
  EXPECT_TRUE(last_response(kB, 200));
  EXPECT_EQ(requests_to(kC, "BYE").size(), 1u);
  EXPECT_EQ(seen.back(), CallEventKind::kEnded);
  feed(from_a("BYE", 3), from_ip(kA));
  EXPECT_TRUE(last_response(kA, 481));
}

TEST_F(TransferTest, ATargetThatIsBusyHandsTheCallerBackToTheTransferrer) {
  const size_t mark = sent.size();
  feed(from_b("REFER", 2, "Refer-To: <sip:1003@pbx.test>\r\n"), from_ip(kB));
  auto inv = last_request(kC, "INVITE");
  ASSERT_TRUE(inv);
  feed(answer(*inv, 486, "c1"), from_ip(kC));
  auto notifies = requests_to(kB, "NOTIFY", mark);
  ASSERT_EQ(notifies.size(), 2u);
  EXPECT_EQ(sipfrag(notifies[1]), "SIP/2.0 486 Busy Here\r\n");
  EXPECT_TRUE(requests_to(kB, "BYE", mark).empty());
  // Side B is B's phone again.
  auto& relay = *relays.logs.at(0);
  EXPECT_EQ(relay.configured[MediaSide::kB].remote_rtp, (sdp::RtpAddress{kB, 5000}));
  EXPECT_TRUE(last.transfers.empty());
  feed(from_caller("BYE", 3, a_tag), from_ip(kA));
  EXPECT_EQ(requests_to(kB, "BYE", mark).size(), 1u);
  EXPECT_TRUE(requests_to(kC, "BYE").empty());
}

TEST_F(TransferTest, AFailedTransferByTheCallerRestoresTheSides) {
  const size_t mark = sent.size();
  feed(from_a("REFER", 2, "Refer-To: <sip:1003@pbx.test>\r\n"), from_ip(kA));
  auto inv = last_request(kC, "INVITE");
  ASSERT_TRUE(inv);
  feed(answer(*inv, 486, "c1"), from_ip(kC));
  auto notifies = requests_to(kA, "NOTIFY", mark);
  ASSERT_EQ(notifies.size(), 2u);
  EXPECT_EQ(sipfrag(notifies[1]), "SIP/2.0 486 Busy Here\r\n");
  auto& relay = *relays.logs.at(0);
  EXPECT_EQ(relay.configured[MediaSide::kA].remote_rtp, (sdp::RtpAddress{kA, 4000}));
  EXPECT_EQ(relay.configured[MediaSide::kB].remote_rtp, (sdp::RtpAddress{kB, 5000}));
  // A hangs up as the caller it was: the BYE reaches B, the record is unchanged.
  feed(from_a("BYE", 3), from_ip(kA));
  EXPECT_TRUE(last_response(kA, 200));
  EXPECT_EQ(requests_to(kB, "BYE", mark).size(), 1u);
  EXPECT_EQ(last.caller, "1001");
  EXPECT_EQ(last.callee, "1002");
  EXPECT_EQ(last.hangup_side, Party::kCaller);
}

TEST_F(TransferTest, ATransferrerThatHungUpIsRungBackWhenTheTargetFails) {
  const size_t mark = sent.size();
  feed(from_b("REFER", 2, "Refer-To: <sip:1003@pbx.test>\r\n"), from_ip(kB));
  feed(from_b("BYE", 3), from_ip(kB));
  EXPECT_TRUE(last_response(kB, 200));
  auto inv = last_request(kC, "INVITE");
  ASSERT_TRUE(inv);
  feed(answer(*inv, 486, "c1"), from_ip(kC));
  // The recall: a new INVITE to B's phone, from the caller.
  auto recall = requests_to(kB, "INVITE", mark);
  ASSERT_EQ(recall.size(), 1u);
  EXPECT_NE(recall[0].value(sip::HeaderId::kCallId), std::optional<std::string_view>(b_call_id));
  feed(answer(recall[0], 200, "b2", sdp_body(kB, 5002), kB), from_ip(kB));
  auto& relay = *relays.logs.at(0);
  EXPECT_EQ(relay.configured[MediaSide::kB].remote_rtp, (sdp::RtpAddress{kB, 5002}));
  ASSERT_EQ(last.transfers.size(), 1u);
  EXPECT_EQ(last.transfers[0].kind, "recall");
  EXPECT_EQ(last.callee, "1002");
}

TEST_F(TransferTest, ATargetThatDoesNotAnswerIsCancelledAndTheCallGoesBack) {
  const size_t mark = sent.size();
  feed(from_b("REFER", 2, "Refer-To: <sip:1003@pbx.test>\r\n"), from_ip(kB));
  auto inv = last_request(kC, "INVITE");
  ASSERT_TRUE(inv);
  feed(answer(*inv, 180, "c1"), from_ip(kC));
  timers.advance(21s);  // no_answer_timeout = 20 s
  EXPECT_TRUE(last_request(kC, "CANCEL"));
  auto notifies = requests_to(kB, "NOTIFY", mark);
  ASSERT_EQ(notifies.size(), 2u);
  EXPECT_EQ(sipfrag(notifies[1]), "SIP/2.0 480 Temporarily Unavailable\r\n");
  EXPECT_EQ(relays.logs.at(0)->configured[MediaSide::kB].remote_rtp, (sdp::RtpAddress{kB, 5000}));
}

TEST_F(TransferTest, AReferToWhatTheDialplanRefusesGetsAFailureNotify) {
  const size_t mark = sent.size();
  // 1001 may not dial external numbers.
  feed(from_a("REFER", 2, "Refer-To: <sip:0049301234@pbx.test>\r\n"), from_ip(kA));
  ASSERT_TRUE(last_response(kA, 202));
  auto notifies = requests_to(kA, "NOTIFY", mark);
  ASSERT_EQ(notifies.size(), 2u);
  EXPECT_EQ(sipfrag(notifies[1]).substr(0, 11), "SIP/2.0 403");
  EXPECT_TRUE(requests_to(kA, "BYE", mark).empty());
  // Nothing moved: a REFER without Refer-To is a 400.
  feed(from_a("REFER", 3), from_ip(kA));
  EXPECT_TRUE(last_response(kA, 400));
}

TEST_F(TransferTest, TheApiTransfersWithoutNotifies) {
  const size_t mark = sent.size();
  ASSERT_TRUE(b2bua.transfer("call-1", MediaSide::kA, "1003").ok());
  EXPECT_FALSE(b2bua.transfer("call-1", MediaSide::kA, "1003").ok());  // already transferring
  answer_c();
  EXPECT_TRUE(requests_to(kB, "NOTIFY", mark).empty());
  EXPECT_EQ(requests_to(kB, "BYE", mark).size(), 1u);
  ASSERT_EQ(last.transfers.size(), 1u);
  EXPECT_EQ(last.transfers[0].by, "api");
  EXPECT_EQ(bridged.back(), "call-1 1001-1003 transfer");
  EXPECT_EQ(b2bua.transfer("nope", MediaSide::kA, "1003").error().code, ErrorCode::kNotFound);
}

TEST_F(TransferTest, AttendedReferWithReplacesJoinsTheTwoFarParties) {
  // B's consultation call to C (call-2): B is its caller.
  authenticate_as = "1002";
  std::string inv2 = "INVITE sip:1003@pbx.test SIP/2.0\r\n";
  inv2 += "Via: SIP/2.0/UDP 198.51.100.21:5060;branch=" + sip::make_branch() + ";rport\r\n";
  inv2 += "Max-Forwards: 70\r\nFrom: <sip:1002@pbx.test>;tag=bx\r\nTo: <sip:1003@pbx.test>\r\n";
  inv2 += "Call-ID: call-2\r\nCSeq: 1 INVITE\r\nContact: <sip:1002@198.51.100.21:5060>\r\n";
  const std::string body = sdp_body(kB, 5010);
  inv2 += "Content-Type: application/sdp\r\nContent-Length: " + std::to_string(body.size()) +
          "\r\n\r\n" + body;
  feed(inv2, from_ip(kB));
  auto c_inv = answer_c();
  auto ok2 = last_response(kB, 200);
  ASSERT_TRUE(ok2);
  const std::string pbx_tag_b2 = to_tag(*ok2);
  ASSERT_EQ(relays.logs.size(), 2u);

  const size_t mark = sent.size();
  // B transfers A to C: REFER in call-1, replacing its dialog of call-2.
  feed(from_b("REFER", 2,
              "Refer-To: <sip:1003@pbx.test?Replaces=call-2%3Bto-tag%3D" + pbx_tag_b2 +
                  "%3Bfrom-tag%3Dbx>\r\n"),
       from_ip(kB));
  ASSERT_TRUE(last_response(kB, 202));
  // C is re-INVITEd toward call-1's relay (side B port), in its own dialog.
  auto reinv = requests_to(kC, "INVITE", mark);
  ASSERT_EQ(reinv.size(), 1u);
  EXPECT_EQ(reinv[0].value(sip::HeaderId::kCallId), c_inv.value(sip::HeaderId::kCallId));
  EXPECT_EQ(audio_port(reinv[0]), 10006);
  feed(answer(reinv[0], 200, "c1", sdp_body(kC, 6002), kC), from_ip(kC));
  EXPECT_EQ(requests_to(kC, "ACK", mark).size(), 1u);
  auto notifies = requests_to(kB, "NOTIFY", mark);
  ASSERT_EQ(notifies.size(), 2u);
  EXPECT_EQ(sipfrag(notifies[1]), "SIP/2.0 200 OK\r\n");
  // B leaves both calls; call-2's relay is closed, call-1's side B is C.
  auto byes = requests_to(kB, "BYE", mark);
  ASSERT_EQ(byes.size(), 2u);
  EXPECT_TRUE(relays.logs[1]->closed);
  EXPECT_EQ(relays.logs[0]->configured[MediaSide::kB].remote_rtp, (sdp::RtpAddress{kC, 6002}));
  EXPECT_FALSE(relays.logs[0]->closed);
  // Both calls' answers, then A and C joined in call-1.
  EXPECT_EQ(bridged, (std::vector<std::string>{"call-1 1001-1002 answer", "call-2 1002-1003 answer",
                                               "call-1 1001-1003 attended"}));
  EXPECT_TRUE(requests_to(kA, "INVITE", mark).empty());

  // A hangs up: C gets the BYE in the dialog it knows.
  feed(from_caller("BYE", 3, a_tag), from_ip(kA));
  auto c_bye = requests_to(kC, "BYE", mark);
  ASSERT_EQ(c_bye.size(), 1u);
  EXPECT_EQ(c_bye[0].value(sip::HeaderId::kCallId), c_inv.value(sip::HeaderId::kCallId));
  EXPECT_EQ(to_tag(c_bye[0]), "c1");
  EXPECT_EQ(last.callee, "1003");
  ASSERT_EQ(last.transfers.size(), 1u);
  EXPECT_EQ(last.transfers[0].kind, "attended");
}

TEST_F(TransferTest, InviteWithReplacesTakesOverAConnectedCall) {
  const size_t mark = sent.size();
  authenticate_as = "1003";
  auto replacing = [&](const std::string& call_id, const std::string& replaced) {
    std::string m = "INVITE sip:1002@pbx.test SIP/2.0\r\n";
    m += "Via: SIP/2.0/UDP 198.51.100.23:5060;branch=" + sip::make_branch() + ";rport\r\n";
    m += "Max-Forwards: 70\r\nFrom: <sip:1003@pbx.test>;tag=w1\r\nTo: <sip:1002@pbx.test>\r\n";
    m += "Call-ID: " + call_id + "\r\nCSeq: 1 INVITE\r\nContact: <sip:1003@198.51.100.23:5060>\r\n";
    m += "Replaces: " + replaced + ";to-tag=" + pbx_tag_b + ";from-tag=b1\r\n";
    const std::string body = sdp_body(kC, 6004, "sendrecv", "8 0 101");
    m += "Content-Type: application/sdp\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
    return m;
  };
  const std::string m = replacing("call-w", b_call_id);
  feed(m, from_ip(kC));
  auto ok = last_response(kC, 200);
  ASSERT_TRUE(ok);
  EXPECT_EQ(audio_port(*ok), 10006);
  // Only the codec the caller uses (and the other G.711 law) is accepted.
  EXPECT_EQ(requests_to(kB, "BYE", mark).size(), 1u);
  EXPECT_EQ(relays.logs[0]->configured[MediaSide::kB].remote_rtp, (sdp::RtpAddress{kC, 6004}));
  EXPECT_EQ(last.callee, "1003");
  ASSERT_EQ(last.transfers.size(), 1u);
  EXPECT_EQ(last.transfers[0].kind, "replaces");
  EXPECT_EQ(last.transfers[0].from, "1002");
  EXPECT_EQ(bridged.back(), "call-1 1001-1003 replaces");

  // An unknown dialog is 481.
  feed(replacing("call-v", "nope"), from_ip(kC));
  EXPECT_TRUE(last_response(kC, 481));

  // A hangs up: W (C's phone) gets the BYE.
  feed(from_caller("BYE", 3, a_tag), from_ip(kA));
  auto byes = requests_to(kC, "BYE", mark);
  ASSERT_EQ(byes.size(), 1u);
  EXPECT_EQ(byes[0].value(sip::HeaderId::kCallId), std::optional<std::string_view>("call-w"));
}

}  // namespace
}  // namespace switchboard::core::testing
