// The layer: CANCEL, RFC 3581, broken input, validation, stray responses.
#include "sip/builder.hpp"

#include "fixture.hpp"

namespace switchboard::sip::testing {
namespace {

using Layer = TransactionFixture;

TEST_F(Layer, CancelOfPendingInviteGets200AndTellsTheTu) {
  layer.receive(request("INVITE"), udp_from());
  layer.receive(request("CANCEL"), udp_from());
  ASSERT_EQ(cancelled.size(), 1u);
  EXPECT_EQ(cancelled[0], requests.at(0));
  Message ok = sent.back().msg();
  EXPECT_EQ(ok.status_code(), 200);
  EXPECT_EQ(*ok.value(HeaderId::kCSeq), "1 CANCEL");
  cancelled[0]->respond(make_response(cancelled[0]->request(), 487, "Request Terminated", "t"));
  EXPECT_EQ(sent.back().msg().status_code(), 487);
}

TEST_F(Layer, CancelWithoutInviteGets481) {
  layer.receive(request("CANCEL", "z9hG4bKnothing"), udp_from());
  EXPECT_EQ(sent.back().msg().status_code(), 481);
  EXPECT_TRUE(cancelled.empty());
}

TEST_F(Layer, CancelAfterFinalResponseGets481) {
  layer.receive(request("INVITE"), udp_from());
  requests[0]->respond(make_response(requests[0]->request(), 486, "Busy Here", "t"));
  layer.receive(request("CANCEL"), udp_from());
  EXPECT_EQ(sent.back().msg().status_code(), 481);
}

TEST_F(Layer, Rfc3581RportAndReceivedAreStamped) {
  std::string req = request("OPTIONS");
  req.replace(req.find("127.0.0.1:5062;branch=z9hG4bKabc"), 32,
              "10.0.0.9:5060;rport;branch=z9hG4bKabc");
  layer.receive(req, udp_from(40123));
  auto txn = requests.at(0);
  auto via = std::string(*top_via_value(txn->request()));
  EXPECT_NE(via.find(";rport=40123"), std::string::npos) << via;
  EXPECT_NE(via.find(";received=127.0.0.1"), std::string::npos) << via;
  txn->respond(make_response(txn->request(), 200, "OK", "t"));
  EXPECT_EQ(sent.back().to.port, 40123);  // symmetric response (RFC 3581 §4)
  EXPECT_NE(sent.back().bytes.find("rport=40123"), std::string::npos);
}

TEST_F(Layer, WithoutRportResponsesGoToSentByPortAtSourceAddress) {
  std::string req = request("OPTIONS");
  req.replace(req.find("127.0.0.1:5062;branch"), 21, "10.0.0.9:5070;branch");
  layer.receive(req, udp_from(40123));
  requests.at(0)->respond(make_response(requests[0]->request(), 200, "OK", "t"));
  EXPECT_EQ(sent.back().to.ip.to_string(), "127.0.0.1");
  EXPECT_EQ(sent.back().to.port, 5070);
  EXPECT_NE(sent.back().bytes.find("received=127.0.0.1"), std::string::npos);
}

TEST_F(Layer, MalformedRequestGets400WithReason) {
  std::string req = request("OPTIONS", "z9hG4bKabc", 1, "UDP", "Content-Length: 500\r\n");
  layer.receive(req, udp_from());
  ASSERT_EQ(sent.size(), 1u);
  Message r = sent[0].msg();
  EXPECT_EQ(r.status_code(), 400);
  EXPECT_FALSE(r.reason().empty());
  EXPECT_TRUE(requests.empty());
}

TEST_F(Layer, MalformedResponseIsDropped) {
  layer.receive("SIP/2.0 99999 Huge\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKx\r\n\r\n", udp_from());
  EXPECT_TRUE(sent.empty());
  EXPECT_EQ(layer.stats().parse_errors, 1u);
}

TEST_F(Layer, GarbageIsDroppedWithoutCrash) {
  for (std::string junk : {std::string(""), std::string("\r\n"), std::string("hello"),
                           std::string(70000, 'x'), std::string("INVITE\r\n\r\n")}) {
    layer.receive(junk, udp_from());
  }
  EXPECT_TRUE(requests.empty());
}

TEST_F(Layer, UnsupportedRequireGets420WithUnsupported) {
  layer.receive(request("OPTIONS", "z9hG4bKabc", 1, "UDP", "Require: frobnication\r\n"),
                udp_from());
  Message r = sent.at(0).msg();
  EXPECT_EQ(r.status_code(), 420);
  EXPECT_EQ(*r.value(HeaderId::kUnsupported), "frobnication");
  EXPECT_TRUE(requests.empty());
  layer.receive(request("OPTIONS", "z9hG4bKabc", 1, "UDP", "Require: frobnication\r\n"),
                udp_from());
  EXPECT_EQ(sent.size(), 2u);  // the rejection is retransmitted by its transaction
}

TEST_F(Layer, StrayAckAndResponseReachTheTu) {
  layer.receive(request("ACK", "z9hG4bKlonely"), udp_from());
  EXPECT_EQ(acks.size(), 1u);
  std::string resp = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKgone\r\n"
                     "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: x\r\n"
                     "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
  layer.receive(resp, udp_from());
  EXPECT_EQ(strays.size(), 1u);
}

TEST_F(Layer, NoTransactionUserAnswers503) {
  TransactionLayer bare(timers, sender(), options());
  bare.receive(request("OPTIONS"), udp_from());
  EXPECT_EQ(sent.back().msg().status_code(), 503);
}

}  // namespace
}  // namespace switchboard::sip::testing
