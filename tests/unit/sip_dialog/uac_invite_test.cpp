// UacInvite: ACK of the winning 2xx, re-ACK of its retransmissions, ACK+BYE
// of a second fork, CANCEL only after a provisional.
#include "sip/dialog/uac_invite.hpp"

#include <gtest/gtest.h>

#include "common/timers.hpp"
#include "sip/parser.hpp"
#include "sip/transaction/transaction_key.hpp"

namespace switchboard::sip {
namespace {

using namespace std::chrono_literals;

class UacInviteTest : public ::testing::Test {
 protected:
  UacInviteTest()
      : layer(timers,
              [this](const Destination& d, std::string b, TransportLayer::SendDone done) {
                sent.push_back(parse_message(b).value());
                dests.push_back(d);
                if (done) done(Status());
              },
              [] {
                TransactionLayerOptions o;
                o.sent_by = [](Protocol) { return std::string("192.0.2.1:5060"); };
                return o;
              }()) {
    TransactionUser tu;
    tu.stray_response = [this](const Message& m, const Source&) {
      if (invite) invite->on_stray_response(m);
    };
    layer.set_user(tu);
  }

  void start() {
    Message m = Message::request("INVITE", "sip:1002@127.0.0.1:5062");
    m.add_header(HeaderId::kMaxForwards, "70");
    m.add_header(HeaderId::kFrom, "<sip:1001@192.0.2.1>;tag=me");
    m.add_header(HeaderId::kTo, "<sip:1002@192.0.2.1>");
    m.add_header(HeaderId::kCallId, "uac-1");
    m.add_header(HeaderId::kCSeq, "1 INVITE");
    m.add_header(HeaderId::kContact, "<sip:1001@192.0.2.1:5060>");
    UacInvite::Handlers h;
    h.provisional = [this](const Message& r) { events.push_back(r.status_code()); };
    h.answered = [this](Dialog& d, const Message& r) {
      events.push_back(r.status_code());
      dialog_tag = d.id().remote_tag;
    };
    h.rejected = [this](const Message& r) { events.push_back(r.status_code()); };
    h.failed = [this](ClientTransaction::Failure) { events.push_back(-1); };
    invite = std::make_shared<UacInvite>(
        layer, m, Destination{Protocol::kUdp, boost::asio::ip::make_address("127.0.0.1"), 5062},
        h);
    invite->start();
  }

  std::string reply(int code, std::string_view reason, std::string_view tag,
                    std::string_view contact_port = "5062") {
    const Message& inv = invite->invite();
    std::string out = "SIP/2.0 " + std::to_string(code) + " " + std::string(reason) + "\r\n";
    out += "Via: " + std::string(*top_via_value(inv)) + "\r\n";
    out += "From: <sip:1001@192.0.2.1>;tag=me\r\n";
    out += "To: <sip:1002@192.0.2.1>";
    if (!tag.empty()) out += ";tag=" + std::string(tag);
    out += "\r\nCall-ID: uac-1\r\nCSeq: 1 INVITE\r\n";
    out += "Contact: <sip:1002@127.0.0.1:" + std::string(contact_port) + ">\r\n";
    out += "Content-Length: 0\r\n\r\n";
    return out;
  }

  Source from() {
    return Source{Protocol::kUdp, boost::asio::ip::make_address("127.0.0.1"), 5062,
                  boost::asio::ip::make_address("127.0.0.1"), 5060, 0};
  }

  size_t count(std::string_view method) {
    size_t n = 0;
    for (auto& m : sent) n += m.is_request() && m.method() == method;
    return n;
  }

  VirtualTimers timers;
  TransactionLayer layer;
  std::vector<Message> sent;
  std::vector<Destination> dests;
  std::shared_ptr<UacInvite> invite;
  std::vector<int> events;
  std::string dialog_tag;
};

TEST_F(UacInviteTest, TwoHundredIsAckedInItsOwnTransaction) {
  start();
  layer.receive(reply(180, "Ringing", "a"), from());
  layer.receive(reply(200, "OK", "a"), from());
  EXPECT_EQ(events, (std::vector<int>{180, 200}));
  ASSERT_EQ(count("ACK"), 1u);
  const Message& ack = sent.back();
  EXPECT_EQ(ack.request_uri(), "sip:1002@127.0.0.1:5062");  // the remote target
  EXPECT_EQ(*ack.value(HeaderId::kCSeq), "1 ACK");
  EXPECT_NE(*top_via_value(ack), *top_via_value(invite->invite()));  // new branch
  EXPECT_EQ(dialog_tag, "a");
  ASSERT_NE(invite->dialog(), nullptr);
}

TEST_F(UacInviteTest, RetransmittedTwoHundredIsAckedAgainEvenAfterTimerM) {
  start();
  layer.receive(reply(200, "OK", "a"), from());
  layer.receive(reply(200, "OK", "a"), from());  // within Accepted
  EXPECT_EQ(count("ACK"), 2u);
  timers.advance(33s);                            // Timer M: transaction gone
  layer.receive(reply(200, "OK", "a"), from());  // arrives as a stray response
  EXPECT_EQ(count("ACK"), 3u);
  EXPECT_EQ(events, std::vector<int>{200});  // the TU saw one answer
}

TEST_F(UacInviteTest, SecondForkIsAckedThenByed) {
  start();
  layer.receive(reply(200, "OK", "a"), from());
  layer.receive(reply(200, "OK", "b", "5099"), from());
  EXPECT_EQ(count("ACK"), 2u);
  ASSERT_EQ(count("BYE"), 1u);
  const Message& bye = sent.back();
  EXPECT_EQ(bye.request_uri(), "sip:1002@127.0.0.1:5099");
  EXPECT_NE(bye.value(HeaderId::kTo)->find("tag=b"), std::string_view::npos);
  EXPECT_EQ(*bye.value(HeaderId::kCSeq), "2 BYE");
  EXPECT_EQ(dialog_tag, "a");
}

TEST_F(UacInviteTest, CancelWaitsForAProvisional) {
  start();
  invite->cancel();
  EXPECT_EQ(count("CANCEL"), 0u);  // §9.1: not before a provisional
  layer.receive(reply(100, "Trying", ""), from());
  ASSERT_EQ(count("CANCEL"), 1u);
  const Message& cancel = sent.back();
  EXPECT_EQ(*top_via_value(cancel), *top_via_value(invite->invite()));
  layer.receive(reply(487, "Request Terminated", "a"), from());
  EXPECT_EQ(events.back(), 487);
  EXPECT_EQ(count("ACK"), 1u);  // the transaction ACKs the 487
  EXPECT_TRUE(invite->finished());
}

TEST_F(UacInviteTest, TimeoutIsReported) {
  start();
  timers.advance(32s);
  EXPECT_EQ(events, std::vector<int>{-1});
}

}  // namespace
}  // namespace switchboard::sip
