// Client transactions (RFC 3261 §17.1) in virtual time.
#include "fixture.hpp"

namespace switchboard::sip::testing {
namespace {

class ClientTxn : public TransactionFixture {
 protected:
  ClientTransactionPtr start(std::string_view method, Destination to) {
    ClientTransaction::Handlers h;
    h.response = [this](const Message& r) { responses.push_back(r.status_code()); };
    h.failure = [this](ClientTransaction::Failure f) { failures.push_back(f); };
    return layer.send_request(outgoing(method), to, h);
  }
  std::vector<int> responses;
  std::vector<ClientTransaction::Failure> failures;
};

TEST_F(ClientTxn, InviteOverUdpRetransmitsOnTimerAAndGivesUpOnTimerB) {
  auto txn = start("INVITE", udp_to());
  // Timer A: 0.5, 1, 2, 4, 8, 16 s → sends at 0, .5, 1.5, 3.5, 7.5, 15.5, 31.5.
  std::vector<std::pair<Duration, size_t>> expect = {
      {0ms, 1}, {499ms, 1}, {500ms, 2}, {1500ms, 3}, {3500ms, 4}, {7500ms, 5},
      {15500ms, 6}, {31500ms, 7}};
  Duration now{0};
  for (auto [at, count] : expect) {
    timers.advance(at - now);
    now = at;
    EXPECT_EQ(sent.size(), count) << "at " << at.count() << " ms";
  }
  EXPECT_TRUE(failures.empty());
  timers.advance(499ms);  // 31.999 s
  EXPECT_TRUE(failures.empty());
  timers.advance(1ms);  // Timer B = 64*T1 = 32 s
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0], ClientTransaction::Failure::kTimeout);
  EXPECT_EQ(sent.size(), 7u);
  EXPECT_EQ(layer.client_count(), 0u);
  EXPECT_EQ(txn->state(), ClientTransaction::State::kTerminated);
}

TEST_F(ClientTxn, InviteOverTcpNeverRetransmits) {
  start("INVITE", tcp_to());
  timers.advance(31s);
  EXPECT_EQ(sent.size(), 1u);
  timers.advance(1s);
  EXPECT_EQ(failures.size(), 1u);
}

TEST_F(ClientTxn, ProvisionalStopsTimerAThenNon2xxIsAckedAndAbsorbed) {
  auto txn = start("INVITE", udp_to());
  Message inv = sent[0].msg();
  layer.receive(response_to(inv, 180, "Ringing"), udp_from());
  EXPECT_EQ(txn->state(), ClientTransaction::State::kProceeding);
  timers.advance(10s);
  EXPECT_EQ(sent.size(), 1u);  // no retransmission once a provisional arrived
  layer.receive(response_to(inv, 486, "Busy Here"), udp_from());
  EXPECT_EQ(responses, (std::vector<int>{180, 486}));
  ASSERT_EQ(sent.size(), 2u);
  Message ack = sent[1].msg();
  EXPECT_EQ(ack.method(), "ACK");
  EXPECT_EQ(*ack.value(HeaderId::kCSeq), "1 ACK");
  EXPECT_EQ(*top_via_value(ack), *top_via_value(inv));  // same branch: same transaction
  EXPECT_EQ(*ack.value(HeaderId::kTo), "<sip:1002@127.0.0.1>;tag=totag");
  EXPECT_EQ(ack.request_uri(), inv.request_uri());
  // A retransmitted 486 is ACKed again but not passed up.
  layer.receive(response_to(inv, 486, "Busy Here"), udp_from());
  EXPECT_EQ(sent.size(), 3u);
  EXPECT_EQ(responses.size(), 2u);
  EXPECT_EQ(txn->state(), ClientTransaction::State::kCompleted);
  timers.advance(32s);  // Timer D
  EXPECT_EQ(txn->state(), ClientTransaction::State::kTerminated);
  EXPECT_TRUE(failures.empty());
}

TEST_F(ClientTxn, Invite2xxEntersAcceptedAndPassesRetransmissionsUp) {
  auto txn = start("INVITE", udp_to());
  Message inv = sent[0].msg();
  layer.receive(response_to(inv, 200, "OK"), udp_from());
  EXPECT_EQ(txn->state(), ClientTransaction::State::kAccepted);
  EXPECT_EQ(sent.size(), 1u);  // the TU, not the transaction, ACKs a 2xx
  layer.receive(response_to(inv, 200, "OK", "otherfork"), udp_from());
  EXPECT_EQ(responses, (std::vector<int>{200, 200}));
  timers.advance(32s);  // Timer M
  EXPECT_EQ(txn->state(), ClientTransaction::State::kTerminated);
  layer.receive(response_to(inv, 200, "OK"), udp_from());
  EXPECT_EQ(strays.size(), 1u);  // after M the dialog layer gets it
}

TEST_F(ClientTxn, NonInviteTimerECapsAtT2AndTimerFGivesUp) {
  start("OPTIONS", udp_to());
  // E: .5, 1, 2, 4, 4, 4 … → 0, .5, 1.5, 3.5, 7.5, 11.5, …, 31.5 = 11 sends.
  timers.advance(31999ms);
  EXPECT_EQ(sent.size(), 11u);
  EXPECT_TRUE(failures.empty());
  timers.advance(1ms);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0], ClientTransaction::Failure::kTimeout);
}

TEST_F(ClientTxn, NonInviteProceedingRetransmitsEveryT2) {
  start("OPTIONS", udp_to());
  Message req = sent[0].msg();
  timers.advance(100ms);
  layer.receive(response_to(req, 100, "Trying", ""), udp_from());
  timers.advance(400ms);  // t=0.5: E fires, now at T2 spacing
  EXPECT_EQ(sent.size(), 2u);
  timers.advance(4s);
  EXPECT_EQ(sent.size(), 3u);
  timers.advance(4s);
  EXPECT_EQ(sent.size(), 4u);
}

TEST_F(ClientTxn, NonInviteFinalThenTimerK) {
  auto txn = start("OPTIONS", udp_to());
  Message req = sent[0].msg();
  layer.receive(response_to(req, 200, "OK"), udp_from());
  EXPECT_EQ(txn->state(), ClientTransaction::State::kCompleted);
  layer.receive(response_to(req, 200, "OK"), udp_from());  // absorbed
  EXPECT_EQ(responses, std::vector<int>{200});
  timers.advance(4999ms);
  EXPECT_EQ(txn->state(), ClientTransaction::State::kCompleted);
  timers.advance(1ms);  // Timer K = T4
  EXPECT_EQ(txn->state(), ClientTransaction::State::kTerminated);
}

TEST_F(ClientTxn, TransportErrorFailsAtOnce) {
  fail_sends = true;
  start("OPTIONS", tcp_to());
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0], ClientTransaction::Failure::kTransportError);
  EXPECT_EQ(layer.client_count(), 0u);
}

TEST_F(ClientTxn, ViaCarriesFreshBranchAndRport) {
  start("OPTIONS", udp_to());
  start("OPTIONS", udp_to());
  auto v1 = std::string(*top_via_value(sent[0].msg()));
  auto v2 = std::string(*top_via_value(sent[1].msg()));
  EXPECT_EQ(v1.rfind("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK", 0), 0u) << v1;
  EXPECT_NE(v1.find(";rport"), std::string::npos);
  EXPECT_NE(v1, v2);
}

TEST_F(ClientTxn, CancelMatchesTheInvite) {
  start("INVITE", udp_to());
  Message inv = sent[0].msg();
  Message cancel = make_cancel(inv);
  EXPECT_EQ(cancel.method(), "CANCEL");
  EXPECT_EQ(*cancel.value(HeaderId::kCSeq), "1 CANCEL");
  EXPECT_EQ(*top_via_value(cancel), *top_via_value(inv));
  EXPECT_EQ(*cancel.value(HeaderId::kTo), *inv.value(HeaderId::kTo));
}

}  // namespace
}  // namespace switchboard::sip::testing
