// Dialog state from RFC 3261 §12 and the UAS 2xx retransmission of §13.3.1.4.
#include "sip/dialog/dialog.hpp"

#include <gtest/gtest.h>

#include "common/timers.hpp"
#include "sip/dialog/answer_retransmitter.hpp"
#include "sip/dialog/next_hop.hpp"
#include "sip/parser.hpp"

namespace switchboard::sip {
namespace {

using namespace std::chrono_literals;

Message parse(std::string text) { return parse_message(std::move(text)).value(); }

const char* kInvite =
    "INVITE sip:1002@pbx.example SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa\r\n"
    "Max-Forwards: 70\r\n"
    "From: \"Ada\" <sip:1001@pbx.example>;tag=caller\r\n"
    "To: <sip:1002@pbx.example>\r\n"
    "Call-ID: dlg-1\r\n"
    "CSeq: 10 INVITE\r\n"
    "Contact: <sip:1001@10.0.0.1:5060>\r\n"
    "Record-Route: <sip:p1.example;lr>, <sip:p2.example;lr>\r\n"
    "Content-Length: 0\r\n\r\n";

const char* k200 =
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa\r\n"
    "From: \"Ada\" <sip:1001@pbx.example>;tag=caller\r\n"
    "To: <sip:1002@pbx.example>;tag=callee\r\n"
    "Call-ID: dlg-1\r\n"
    "CSeq: 10 INVITE\r\n"
    "Contact: <sip:1002@10.0.0.2:5070;transport=tcp>\r\n"
    "Record-Route: <sip:p1.example;lr>, <sip:p2.example;lr>\r\n"
    "Content-Length: 0\r\n\r\n";

TEST(Dialog, UacFromTwoHundredReversesRouteSet) {
  auto d = Dialog::from_response(parse(kInvite), parse(k200));
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->id().call_id, "dlg-1");
  EXPECT_EQ(d->id().local_tag, "caller");
  EXPECT_EQ(d->id().remote_tag, "callee");
  EXPECT_EQ(d->state(), Dialog::State::kConfirmed);
  EXPECT_EQ(d->remote_target(), "sip:1002@10.0.0.2:5070;transport=tcp");
  ASSERT_EQ(d->route_set().size(), 2u);
  EXPECT_EQ(d->route_set()[0], "<sip:p2.example;lr>");
  Message bye = d->make_request("BYE");
  EXPECT_EQ(bye.request_uri(), "sip:1002@10.0.0.2:5070;transport=tcp");
  EXPECT_EQ(*bye.value(HeaderId::kCSeq), "11 BYE");
  EXPECT_EQ(*bye.value(HeaderId::kTo), "<sip:1002@pbx.example>;tag=callee");
  ASSERT_EQ(bye.values(HeaderId::kRoute).size(), 2u);
  EXPECT_EQ(bye.values(HeaderId::kRoute)[0], "<sip:p2.example;lr>");
  EXPECT_EQ(d->next_hop_uri(), "sip:p2.example;lr");
  Message ack = d->make_ack(10);
  EXPECT_EQ(*ack.value(HeaderId::kCSeq), "10 ACK");
}

TEST(Dialog, UasFromRequestKeepsRouteOrderAndAddsTag) {
  auto d = Dialog::from_request(parse(kInvite), "callee", "<sip:1002@192.0.2.1>");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->role(), Dialog::Role::kUas);
  EXPECT_EQ(d->route_set()[0], "<sip:p1.example;lr>");
  EXPECT_EQ(d->local_uri(), "<sip:1002@pbx.example>;tag=callee");
  EXPECT_EQ(d->remote_cseq(), 10u);
  Message bye = d->make_request("BYE");
  EXPECT_EQ(bye.request_uri(), "sip:1001@10.0.0.1:5060");
  EXPECT_EQ(*bye.value(HeaderId::kFrom), "<sip:1002@pbx.example>;tag=callee");
  EXPECT_EQ(*bye.value(HeaderId::kTo), "\"Ada\" <sip:1001@pbx.example>;tag=caller");
}

TEST(Dialog, RemoteCSeqMustIncreaseAndTargetRefreshes) {
  auto d = Dialog::from_request(parse(kInvite), "callee", "<sip:1002@192.0.2.1>");
  ASSERT_TRUE(d.ok());
  std::string reinvite = kInvite;
  reinvite.replace(reinvite.find("CSeq: 10"), 8, "CSeq: 11");
  reinvite.replace(reinvite.find("10.0.0.1:5060>"), 14, "10.0.0.9:5090>");
  EXPECT_TRUE(d->on_request(parse(reinvite)).ok());
  EXPECT_EQ(d->remote_target(), "sip:1001@10.0.0.9:5090");
  EXPECT_FALSE(d->on_request(parse(reinvite)).ok());  // 11 again: out of order → 500
  // The ACK reuses the INVITE's CSeq number and is not an out-of-order request.
  std::string ack = reinvite;
  ack.replace(0, 6, "ACK");
  ack.replace(ack.find("11 INVITE"), 9, "11 ACK");
  EXPECT_TRUE(d->on_request(parse(ack)).ok());
}

TEST(Dialog, StrictRouteBecomesRequestUri) {
  std::string resp = k200;
  resp.replace(resp.find("<sip:p1.example;lr>, <sip:p2.example;lr>"), 40,
               "<sip:p1.example;lr>, <sip:strict.example>");
  auto d = Dialog::from_response(parse(kInvite), parse(resp));
  ASSERT_TRUE(d.ok());
  Message bye = d->make_request("BYE");
  EXPECT_EQ(bye.request_uri(), "sip:strict.example");  // first route, no lr
  auto routes = bye.values(HeaderId::kRoute);
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[1], "<sip:1002@10.0.0.2:5070;transport=tcp>");  // remote target last
}

TEST(Dialog, EarlyFromProvisionalConfirmsOn2xxAndEndsOn481) {
  std::string ringing = k200;
  ringing.replace(ringing.find("200 OK"), 6, "180 Ringing");
  auto d = Dialog::from_response(parse(kInvite), parse(ringing));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->state(), Dialog::State::kEarly);
  d->on_response(parse(kInvite), parse(k200));
  EXPECT_EQ(d->state(), Dialog::State::kConfirmed);
  std::string gone = k200;
  gone.replace(gone.find("200 OK"), 6, "481 Call Leg Does Not Exist");
  d->on_response(parse(kInvite), parse(gone));
  EXPECT_EQ(d->state(), Dialog::State::kTerminated);
}

TEST(Dialog, ResponseWithoutToTagMakesNoDialog) {
  std::string r = k200;
  r.replace(r.find(";tag=callee"), 11, "");
  EXPECT_FALSE(Dialog::from_response(parse(kInvite), parse(r)).ok());
}

TEST(NextHop, IpLiteralsPortsAndTransports) {
  auto a = resolve_next_hop("sip:1002@10.0.0.2:5070;transport=tcp");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->protocol, Protocol::kTcp);
  EXPECT_EQ(a->port, 5070);
  auto b = resolve_next_hop("sips:[::1]");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->protocol, Protocol::kTls);
  EXPECT_EQ(b->port, 5061);
  EXPECT_EQ(b->ip.to_string(), "::1");
  EXPECT_FALSE(resolve_next_hop("sip:pbx.example.com").ok());  // needs DNS
  EXPECT_FALSE(resolve_next_hop("tel:+15551234").ok());
}

TEST(AnswerRetransmitter, ResendsUntilAckThenStops) {
  VirtualTimers timers;
  int resent = 0, gave_up = 0;
  AnswerRetransmitter r(timers, TimerSettings{}, [&] { ++resent; }, [&] { ++gave_up; });
  r.start();
  timers.advance(3500ms);  // .5, 1.5, 3.5
  EXPECT_EQ(resent, 3);
  r.acked();
  timers.advance(60s);
  EXPECT_EQ(resent, 3);
  EXPECT_EQ(gave_up, 0);
}

TEST(AnswerRetransmitter, GivesUpAfter64T1) {
  VirtualTimers timers;
  int resent = 0, gave_up = 0;
  AnswerRetransmitter r(timers, TimerSettings{}, [&] { ++resent; }, [&] { ++gave_up; });
  r.start();
  timers.advance(31999ms);
  EXPECT_EQ(resent, 10);  // .5 1.5 3.5 7.5 11.5 … 31.5 (capped at T2)
  EXPECT_EQ(gave_up, 0);
  timers.advance(1ms);
  EXPECT_EQ(gave_up, 1);
  EXPECT_FALSE(r.active());
}

}  // namespace
}  // namespace switchboard::sip
