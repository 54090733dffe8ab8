// Attended transfer and three-way calling by feature code through the
// B2BUA in virtual time (issue 7 §2, §6, b2bua_consult.cpp): the
// transferrer's phone is re-INVITEd into a consultation call of its own
// while the other party hears music; hanging up, the target hanging up or
// failing, the cancel, the held party hanging up, a transferrer hanging up
// while the target still rings, and the three-way merge into one room.
#include "app_fixture.hpp"
#include "transfer_fixture.hpp"

namespace switchboard::core::testing {
namespace {

using namespace app_fixture;  // NOLINT

class ConsultTest : public TransferTest {
 protected:
  /// B consults C: B's phone is re-INVITEd to the consultation's relay
  /// (answered), C rings. Returns the mark before the consultation.
  size_t start_consultation(bool three_way = false) {
    const size_t mark = sent.size();
    EXPECT_TRUE(b2bua.consult("call-1", MediaSide::kB, "1003", three_way).ok());
    auto reinv = requests_to(kB, "INVITE", mark);
    EXPECT_EQ(reinv.size(), 1u);
    if (reinv.empty()) return mark;
    EXPECT_EQ(reinv[0].value(sip::HeaderId::kCallId), std::optional<std::string_view>(b_call_id));
    // A relay of its own (each has ports 10004 + 4n, + 2).
    const size_t relays_now = relays.logs.size();
    EXPECT_GE(relays_now, 2u);
    EXPECT_EQ(audio_port(reinv[0]), 10004 + 4 * (relays_now - 1));
    feed(answer(reinv[0], 200, "b1", sdp_body(kB, 5002), kB), from_ip(kB));
    EXPECT_EQ(requests_to(kB, "ACK", mark).size(), 1u);
    return mark;
  }
  /// C's dialog with the PBX (after answer_c()).
  std::string from_c(const std::string& method, uint32_t cseq, const sip::Message& c_inv) {
    return request(method, kC, "1003", "c1", std::string(*sip::get_from(c_inv)->tag()),
                   std::string(*c_inv.value(sip::HeaderId::kCallId)), cseq);
  }
  FakeRelay::Log& held() { return *relays.logs.at(0); }
  FakeRelay::Log& consultation() { return *relays.logs.at(1); }
};

TEST_F(ConsultTest, TheHeldPartyHearsMusicAndTheTransferrerTalksToTheTarget) {
  const size_t mark = start_consultation();
  // A hears music; nothing goes toward B's old address in the held call.
  EXPECT_EQ(held().music.count(MediaSide::kA), 1u);
  EXPECT_EQ(held().configured[MediaSide::kB].direction, sdp::Direction::kInactive);
  EXPECT_TRUE(requests_to(kA, "INVITE", mark).empty());  // A's phone sees nothing
  EXPECT_EQ(consultation().configured[MediaSide::kA].remote_rtp, (sdp::RtpAddress{kB, 5002}));
  // C rings with B as the caller, offered B's codec on the consultation's side B.
  auto inv = last_request(kC, "INVITE");
  ASSERT_TRUE(inv);
  EXPECT_NE(inv->value(sip::HeaderId::kFrom)->find("sip:1002@"), std::string::npos);
  EXPECT_EQ(audio_port(*inv), 10010);
  answer_c();
  EXPECT_EQ(consultation().configured[MediaSide::kB].remote_rtp, (sdp::RtpAddress{kC, 6000}));
  EXPECT_TRUE(b2bua.is_consultation(last.call_id));
  EXPECT_EQ(last.caller, "1002");
  EXPECT_EQ(last.callee, "1003");
  EXPECT_EQ(b2bua.active_calls(), 2u);
}

TEST_F(ConsultTest, TheTransferrerHangingUpConnectsTheHeldPartyToTheTarget) {
  const size_t mark = start_consultation();
  auto c_inv = answer_c();
  // B hangs up in its (moved) dialog: C is re-INVITEd to the held call's side B.
  feed(from_b("BYE", 2), from_ip(kB));
  ASSERT_TRUE(last_response(kB, 200));
  auto reinv = requests_to(kC, "INVITE", mark);
  ASSERT_EQ(reinv.size(), 2u);  // the consultation's INVITE, then the move
  EXPECT_EQ(reinv[1].value(sip::HeaderId::kCallId), c_inv.value(sip::HeaderId::kCallId));
  EXPECT_EQ(audio_port(reinv[1]), 10006);
  feed(answer(reinv[1], 200, "c1", sdp_body(kC, 6002), kC), from_ip(kC));
  EXPECT_EQ(held().configured[MediaSide::kB].remote_rtp, (sdp::RtpAddress{kC, 6002}));
  EXPECT_TRUE(held().music.empty());
  EXPECT_TRUE(consultation().closed);
  EXPECT_FALSE(held().closed);
  EXPECT_TRUE(requests_to(kA, "INVITE", mark).empty());
  EXPECT_TRUE(requests_to(kC, "BYE", mark).empty());
  EXPECT_EQ(b2bua.active_calls(), 2u);  // the consultation is reaped later
  timers.advance(std::chrono::seconds(1));
  EXPECT_EQ(b2bua.active_calls(), 1u);

  // A hangs up: C gets the BYE; the held call's record names the transfer.
  feed(from_caller("BYE", 3, a_tag), from_ip(kA));
  ASSERT_EQ(requests_to(kC, "BYE", mark).size(), 1u);
  EXPECT_EQ(last.call_id, "call-1");
  EXPECT_EQ(last.callee, "1003");
  ASSERT_EQ(last.transfers.size(), 1u);
  EXPECT_EQ(last.transfers[0].kind, "attended");
  EXPECT_EQ(last.transfers[0].by, "1002");
  EXPECT_EQ(last.transfers[0].to, "1003");
}

TEST_F(ConsultTest, TheApiCompletesByReleasingTheTransferrer) {
  const size_t mark = start_consultation();
  answer_c();
  ASSERT_TRUE(b2bua.complete_consultation("call-1").ok());
  EXPECT_EQ(requests_to(kB, "BYE", mark).size(), 1u);
  auto reinv = requests_to(kC, "INVITE", mark);
  ASSERT_EQ(reinv.size(), 2u);
  EXPECT_EQ(audio_port(reinv[1]), 10006);
  feed(answer(reinv[1], 200, "c1", sdp_body(kC, 6002), kC), from_ip(kC));
  EXPECT_EQ(held().configured[MediaSide::kB].remote_rtp, (sdp::RtpAddress{kC, 6002}));
  EXPECT_TRUE(consultation().closed);
  EXPECT_FALSE(b2bua.complete_consultation("call-1").ok());
}

TEST_F(ConsultTest, TheTargetHangingUpBringsTheTransferrerBack) {
  const size_t mark = start_consultation();
  auto c_inv = answer_c();
  feed(from_c("BYE", 2, c_inv), from_ip(kC));
  auto reinv = requests_to(kB, "INVITE", mark);
  ASSERT_EQ(reinv.size(), 2u);
  EXPECT_EQ(audio_port(reinv[1]), 10006);  // back to the held call's relay
  feed(answer(reinv[1], 200, "b1", sdp_body(kB, 5004), kB), from_ip(kB));
  EXPECT_EQ(held().configured[MediaSide::kB].remote_rtp, (sdp::RtpAddress{kB, 5004}));
  EXPECT_EQ(held().configured[MediaSide::kB].direction, sdp::Direction::kSendRecv);
  EXPECT_TRUE(held().music.empty());
  EXPECT_TRUE(consultation().closed);
  EXPECT_TRUE(requests_to(kC, "BYE", mark).empty());  // it hung up itself
  EXPECT_TRUE(requests_to(kB, "BYE", mark).empty());
  // The call is as it was: B hangs up, A gets the BYE, nothing was transferred.
  feed(from_b("BYE", 2), from_ip(kB));
  EXPECT_EQ(requests_to(kA, "BYE", mark).size(), 1u);
  EXPECT_EQ(last.call_id, "call-1");
  EXPECT_TRUE(last.transfers.empty());
}

TEST_F(ConsultTest, ABusyTargetOrTheCancelBringsTheTransferrerBack) {
  size_t mark = start_consultation();
  auto inv = last_request(kC, "INVITE");
  ASSERT_TRUE(inv);
  feed(answer(*inv, 486, "c1"), from_ip(kC));
  auto reinv = requests_to(kB, "INVITE", mark);
  ASSERT_EQ(reinv.size(), 2u);
  feed(answer(reinv[1], 200, "b1", sdp_body(kB, 5004), kB), from_ip(kB));
  EXPECT_TRUE(held().music.empty());
  EXPECT_TRUE(consultation().closed);

  // Again, answered, then the cancel code (through the held call's id):
  // C gets BYE, B comes back.
  mark = start_consultation();
  EXPECT_EQ(relays.logs.size(), 3u);
  answer_c("c2");
  EXPECT_TRUE(b2bua.cancel_consultation("call-1").ok());
  reinv = requests_to(kB, "INVITE", mark);
  ASSERT_EQ(reinv.size(), 2u);
  feed(answer(reinv[1], 200, "b1", sdp_body(kB, 5006), kB), from_ip(kB));
  EXPECT_EQ(requests_to(kC, "BYE", mark).size(), 1u);
  EXPECT_EQ(held().configured[MediaSide::kB].remote_rtp, (sdp::RtpAddress{kB, 5006}));
  EXPECT_TRUE(relays.logs.at(2)->closed);
  EXPECT_FALSE(b2bua.cancel_consultation("call-1").ok());  // none any more
}

TEST_F(ConsultTest, HangingUpWhileTheTargetRingsHandsTheHeldPartyOn) {
  const size_t mark = start_consultation();
  feed(from_b("BYE", 2), from_ip(kB));
  // A is re-INVITEd to the consultation's side A (B's place), C still rings.
  auto reinv = requests_to(kA, "INVITE", mark);
  ASSERT_EQ(reinv.size(), 1u);
  EXPECT_EQ(audio_port(reinv[0]), 10008);
  feed(answer(reinv[0], 200, "a1", sdp_body(kA, 4002), kA), from_ip(kA));
  EXPECT_TRUE(held().closed);
  EXPECT_EQ(consultation().configured[MediaSide::kA].remote_rtp, (sdp::RtpAddress{kA, 4002}));
  answer_c();
  EXPECT_EQ(consultation().configured[MediaSide::kB].remote_rtp, (sdp::RtpAddress{kC, 6000}));
  EXPECT_EQ(last.caller, "1001");
  EXPECT_EQ(last.callee, "1003");
  ASSERT_EQ(last.transfers.size(), 1u);
  EXPECT_EQ(last.transfers[0].kind, "attended");
  EXPECT_EQ(last.transfers[0].to, "1001");
}

TEST_F(ConsultTest, TheHeldPartyHangingUpLeavesAnOrdinaryCall) {
  const size_t mark = start_consultation();
  auto c_inv = answer_c();
  feed(from_caller("BYE", 3, a_tag), from_ip(kA));
  EXPECT_TRUE(held().closed);
  EXPECT_TRUE(requests_to(kB, "BYE", mark).empty());  // B is in the consultation
  EXPECT_FALSE(b2bua.is_consultation(last.call_id));
  feed(from_c("BYE", 2, c_inv), from_ip(kC));
  EXPECT_EQ(requests_to(kB, "BYE", mark).size(), 1u);
  EXPECT_TRUE(consultation().closed);
}

TEST_F(ConsultTest, WhileConsultingTheHeldCallRefusesOtherChanges) {
  start_consultation();
  EXPECT_FALSE(b2bua.transfer("call-1", MediaSide::kA, "1003").ok());
  EXPECT_FALSE(b2bua.consult("call-1", MediaSide::kA, "1003").ok());
  feed(from_caller("REFER", 3, a_tag), from_ip(kA));
  EXPECT_TRUE(last_response(kA, 491));
  // Without a conference bridge there is no three-way calling.
  EXPECT_EQ(b2bua.merge_three_way("call-1").error().code, ErrorCode::kUnavailable);
}

/// A conference feature that hands out rooms and scripted party applications.
struct FakeBridge final : ConferenceBridge {
  std::string create_room() override { return "adhoc-" + std::to_string(++rooms); }
  CallAppPtr party_app(const std::string& room) override {
    joined.push_back(room);
    return std::make_unique<ScriptedApp>(std::make_shared<ScriptedApp::Seen>());
  }
  int rooms = 0;
  std::vector<std::string> joined;
};

class ThreeWayTest : public ConsultTest {
 protected:
  ThreeWayTest() {
    b2bua.set_app_media(&app_media);
    b2bua.set_conference_bridge(&bridge);
  }
  FakeAppMediaFactory app_media;
  FakeBridge bridge;
};

TEST_F(ThreeWayTest, TheMergePutsEachPhoneIntoOneRoom) {
  const size_t mark = start_consultation();
  auto c_inv = answer_c();
  ASSERT_TRUE(b2bua.merge_three_way("call-1").ok());
  // C gets a call of its own: re-INVITEd to a third relay.
  auto reinv = requests_to(kC, "INVITE", mark);
  ASSERT_EQ(reinv.size(), 2u);
  ASSERT_EQ(relays.logs.size(), 3u);
  EXPECT_EQ(audio_port(reinv[1]), 10012);
  feed(answer(reinv[1], 200, "c1", sdp_body(kC, 6002), kC), from_ip(kC));
  EXPECT_EQ(bridge.joined, (std::vector<std::string>{"adhoc-1", "adhoc-1", "adhoc-1"}));
  // Each relay's side B now goes to an application leg (the room); nobody
  // hears music; each phone kept its place on side A.
  for (auto& log : relays.logs) {
    EXPECT_EQ(log->configured[MediaSide::kB].remote_rtp.address, "127.0.0.1");
    EXPECT_TRUE(log->music.empty());
    EXPECT_FALSE(log->closed);
  }
  EXPECT_EQ(held().configured[MediaSide::kA].remote_rtp, (sdp::RtpAddress{kA, 4000}));
  EXPECT_EQ(consultation().configured[MediaSide::kA].remote_rtp, (sdp::RtpAddress{kB, 5002}));
  EXPECT_EQ(relays.logs[2]->configured[MediaSide::kA].remote_rtp, (sdp::RtpAddress{kC, 6002}));
  EXPECT_EQ(b2bua.active_calls(), 3u);
  EXPECT_TRUE(requests_to(kA, "INVITE", mark).empty());
  EXPECT_FALSE(b2bua.is_consultation("call-1"));
  // Anyone hanging up leaves the others in the room.
  feed(from_b("BYE", 2), from_ip(kB));
  EXPECT_TRUE(consultation().closed);
  EXPECT_FALSE(held().closed);
  EXPECT_FALSE(relays.logs[2]->closed);
}

TEST_F(ThreeWayTest, ThreeWayDialOutMergesWhenTheTargetAnswers) {
  const size_t mark = start_consultation(/*three_way=*/true);
  EXPECT_TRUE(bridge.joined.empty());
  answer_c();
  auto reinv = requests_to(kC, "INVITE", mark);
  ASSERT_EQ(reinv.size(), 2u);
  feed(answer(reinv[1], 200, "c1", sdp_body(kC, 6002), kC), from_ip(kC));
  EXPECT_EQ(bridge.joined.size(), 3u);
  EXPECT_EQ(b2bua.active_calls(), 3u);
}

}  // namespace
}  // namespace switchboard::core::testing
