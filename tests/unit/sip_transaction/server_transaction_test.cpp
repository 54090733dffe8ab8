// Server transactions (RFC 3261 §17.2, RFC 6026) in virtual time.
#include "sip/builder.hpp"

#include "fixture.hpp"

namespace switchboard::sip::testing {
namespace {

using ServerTxn = TransactionFixture;

TEST_F(ServerTxn, InviteGets100AtOnceAndRetransmissionsAreAbsorbed) {
  layer.receive(request("INVITE"), udp_from());
  ASSERT_EQ(requests.size(), 1u);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].msg().status_code(), 100);
  layer.receive(request("INVITE"), udp_from());  // retransmission
  EXPECT_EQ(requests.size(), 1u);                // the TU sees it once
  EXPECT_EQ(sent.size(), 2u);                    // the last response is repeated
  EXPECT_EQ(sent[1].msg().status_code(), 100);
  EXPECT_EQ(layer.stats().retransmissions_absorbed, 1u);
}

TEST_F(ServerTxn, Non2xxRetransmitsOnTimerGUntilTimerH) {
  layer.receive(request("INVITE"), udp_from());
  auto txn = requests.at(0);
  sent.clear();
  ASSERT_TRUE(txn->respond(make_response(txn->request(), 486, "Busy Here", "t1")));
  EXPECT_EQ(txn->state(), ServerTransaction::State::kCompleted);
  EXPECT_EQ(sent.size(), 1u);
  // G: .5, 1, 2, 4, 4, … → retransmissions at .5, 1.5, 3.5, 7.5, 11.5, …, 31.5.
  timers.advance(31999ms);
  EXPECT_EQ(sent.size(), 11u);
  EXPECT_EQ(ack_timeouts, 0);
  timers.advance(1ms);  // Timer H = 64*T1
  EXPECT_EQ(ack_timeouts, 1);
  EXPECT_EQ(txn->state(), ServerTransaction::State::kTerminated);
  EXPECT_EQ(layer.server_count(), 0u);
  EXPECT_EQ(sent.size(), 11u);
}

TEST_F(ServerTxn, AckConfirmsThenTimerIAbsorbsAckRetransmissions) {
  layer.receive(request("INVITE"), udp_from());
  auto txn = requests.at(0);
  txn->respond(make_response(txn->request(), 404, "Not Found", "t1"));
  timers.advance(600ms);  // one G retransmission
  size_t before = sent.size();
  layer.receive(request("ACK"), udp_from());  // same branch: matches the INVITE
  EXPECT_EQ(txn->state(), ServerTransaction::State::kConfirmed);
  EXPECT_TRUE(acks.empty());  // absorbed, not passed to the TU
  timers.advance(10s);
  EXPECT_EQ(sent.size(), before);  // no more retransmissions
  EXPECT_EQ(txn->state(), ServerTransaction::State::kTerminated);  // Timer I = T4
  EXPECT_EQ(ack_timeouts, 0);
}

TEST_F(ServerTxn, TwoHundredEntersAcceptedAckGoesToTheTu) {
  layer.receive(request("INVITE"), udp_from());
  auto txn = requests.at(0);
  txn->respond(make_response(txn->request(), 200, "OK", "t1"));
  EXPECT_EQ(txn->state(), ServerTransaction::State::kAccepted);
  size_t before = sent.size();
  layer.receive(request("INVITE"), udp_from());  // absorbed; the TU retransmits 2xx itself
  EXPECT_EQ(sent.size(), before);
  EXPECT_EQ(requests.size(), 1u);
  EXPECT_TRUE(txn->respond(make_response(txn->request(), 200, "OK", "t1")));  // TU's retransmit
  layer.receive(request("ACK", "z9hG4bKnew"), udp_from());  // 2xx ACK: its own branch
  EXPECT_EQ(acks.size(), 1u);
  timers.advance(32s);  // Timer L
  EXPECT_EQ(txn->state(), ServerTransaction::State::kTerminated);
}

TEST_F(ServerTxn, SecondFinalResponseIsRefused) {
  layer.receive(request("INVITE"), udp_from());
  auto txn = requests.at(0);
  EXPECT_TRUE(txn->respond(make_response(txn->request(), 480, "Unavailable", "t")));
  EXPECT_FALSE(txn->respond(make_response(txn->request(), 200, "OK", "t")));
}

TEST_F(ServerTxn, NonInviteCompletedRepeatsFinalUntilTimerJ) {
  layer.receive(request("OPTIONS"), udp_from());
  auto txn = requests.at(0);
  EXPECT_TRUE(sent.empty());  // no automatic 100 for non-INVITE
  txn->respond(make_response(txn->request(), 200, "OK", "t"));
  layer.receive(request("OPTIONS"), udp_from());
  EXPECT_EQ(sent.size(), 2u);
  timers.advance(31999ms);
  EXPECT_EQ(txn->state(), ServerTransaction::State::kCompleted);
  timers.advance(1ms);
  EXPECT_EQ(txn->state(), ServerTransaction::State::kTerminated);
}

TEST_F(ServerTxn, ReliableTransportEndsAtOnce) {
  layer.receive(request("OPTIONS", "z9hG4bKtcp", 1, "TCP"), tcp_from());
  auto txn = requests.at(0);
  txn->respond(make_response(txn->request(), 200, "OK", "t"));
  EXPECT_EQ(sent[0].to.connection, 7u);  // back over the same connection
  timers.advance(0ms);
  EXPECT_EQ(txn->state(), ServerTransaction::State::kTerminated);
}

TEST_F(ServerTxn, Rfc2543RequestsMatchWithoutMagicCookie) {
  layer.receive(request("INVITE", "oldbranch"), udp_from());
  layer.receive(request("INVITE", "oldbranch"), udp_from());
  EXPECT_EQ(requests.size(), 1u);
  auto txn = requests.at(0);
  txn->respond(make_response(txn->request(), 486, "Busy Here", "t1"));
  // The ACK carries our To tag; it still matches (To tag is not in the key).
  std::string ack = request("ACK", "oldbranch");
  ack.replace(ack.find("To: <sip:1002@192.0.2.1>"), 24, "To: <sip:1002@192.0.2.1>;tag=t1");
  layer.receive(ack, udp_from());
  EXPECT_EQ(txn->state(), ServerTransaction::State::kConfirmed);
}

}  // namespace
}  // namespace switchboard::sip::testing
