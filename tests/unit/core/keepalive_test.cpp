// NAT keep-alive rounds in virtual time: a contact that stops answering is
// marked unreachable, then removed after the configured misses.
#include "core/registrar/keepalive.hpp"

#include "pbx_fixture.hpp"

namespace switchboard::core::testing {
namespace {

class KeepAliveTest : public PbxFixture {
 protected:
  void register_two() {
    Req desk;
    desk.call_id = "desk";
    ASSERT_EQ(authed(desk, kPw1001)->status_code(), 200);
    Req soft;
    soft.call_id = "soft";
    soft.contacts = {"<sip:1001@203.0.113.4:5080>"};
    ASSERT_EQ(authed(soft, kPw1001, udp_from("203.0.113.4", 5080))->status_code(), 200);
  }
};

TEST_F(KeepAliveTest, SilentContactIsMarkedUnreachableThenRemoved) {
  register_two();
  std::vector<std::string> pinged;
  KeepAlive ka(timers, registrar, {std::chrono::seconds(30), 3},
               [&](const Binding& b, std::function<void(bool)> done) {
                 pinged.push_back(b.contact);
                 done(b.source_port == 5062);  // the softphone has gone silent
               });
  timers.advance(30s);
  EXPECT_EQ(pinged.size(), 2u);
  EXPECT_EQ(registrar.binding_count(), 2u);
  auto live = registrar.lookup("1001");
  ASSERT_EQ(live.size(), 1u);  // unreachable contacts are not rung
  EXPECT_EQ(live[0]->source_port, 5062);
  timers.advance(30s);
  EXPECT_EQ(registrar.binding_count(), 2u);
  timers.advance(30s);  // third miss
  EXPECT_EQ(registrar.binding_count(), 1u);
  EXPECT_EQ(registrar.stats().unreachable_removed, 1u);
  EXPECT_EQ(ka.pings_sent(), 6u);
}

TEST_F(KeepAliveTest, AnAnswerMakesAContactReachableAgain) {
  register_two();
  bool answer = false;
  KeepAlive ka(timers, registrar, {std::chrono::seconds(10), 3},
               [&](const Binding&, std::function<void(bool)> done) { done(answer); });
  timers.advance(20s);  // two misses each
  EXPECT_TRUE(registrar.lookup("1001").empty());
  answer = true;
  timers.advance(10s);
  EXPECT_EQ(registrar.lookup("1001").size(), 2u);
  answer = false;
  timers.advance(20s);  // the count started over: two misses, not three
  EXPECT_EQ(registrar.binding_count(), 2u);
}

TEST_F(KeepAliveTest, ZeroIntervalTurnsItOff) {
  register_two();
  int pings = 0;
  KeepAlive ka(timers, registrar, {std::chrono::seconds(0), 3},
               [&](const Binding&, std::function<void(bool)> done) {
                 ++pings;
                 done(false);
               });
  timers.advance(600s);
  EXPECT_EQ(pings, 0);
  EXPECT_EQ(registrar.binding_count(), 2u);
}

// The production pinger over a transaction layer: OPTIONS to the address the
// REGISTER came from; no answer until Timer F is a miss, any answer is one.
TEST_F(KeepAliveTest, SipPingerSendsOptionsToTheSourceAddress) {
  register_two();
  sip::TransactionLayerOptions o;
  o.sent_by = [](sip::Protocol) { return std::string("192.0.2.1:5060"); };
  std::vector<std::pair<sip::Destination, std::string>> out;
  sip::TransactionLayer layer(
      timers,
      [&](const sip::Destination& d, std::string b, sip::TransportLayer::SendDone done) {
        out.emplace_back(d, std::move(b));
        if (done) done(Status());
      },
      o);
  boost::asio::io_context io;
  sip::TransportLayer transport(io, {});
  KeepAlive ka(timers, registrar, {std::chrono::seconds(30), 2},
               make_sip_pinger(layer, transport, "<sip:keepalive@pbx.test>"));
  timers.advance(30s);
  ASSERT_EQ(out.size(), 2u);
  std::optional<sip::Message> to_desk;
  for (auto& [dest, bytes] : out) {
    auto m = sip::parse_message(bytes);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->method(), "OPTIONS");
    if (dest.port == 5062)
      to_desk = std::move(*m);
    else {
      EXPECT_EQ(dest.ip.to_string(), "203.0.113.4");
    }
  }
  ASSERT_TRUE(to_desk);
  // The desk phone answers (even a 404 proves it is there).
  std::string resp = "SIP/2.0 404 Not Found\r\n";
  for (auto v : to_desk->values(sip::HeaderId::kVia)) resp += "Via: " + std::string(v) + "\r\n";
  resp += "From: " + std::string(*to_desk->value(sip::HeaderId::kFrom)) + "\r\n";
  resp += "To: " + std::string(*to_desk->value(sip::HeaderId::kTo)) + ";tag=x\r\n";
  resp += "Call-ID: " + std::string(*to_desk->value(sip::HeaderId::kCallId)) + "\r\n";
  resp += "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
  layer.receive(resp, udp_from("198.51.100.7", 5062));
  EXPECT_EQ(layer.stats().stray_responses, 0u) << resp;
  EXPECT_EQ(registrar.lookup("1001").size(), 2u);
  timers.advance(33s);  // Timer F (32 s) fires for the softphone's OPTIONS
  auto live = registrar.lookup("1001");
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0]->source_port, 5062);
  timers.advance(30s);  // the softphone misses again and is removed
  ASSERT_EQ(registrar.binding_count(), 1u);
  registrar.for_each([](const Binding& b) { EXPECT_EQ(b.source_port, 5062); });
}

// TCP/TLS contacts: a CRLF ping on the REGISTER's connection; a connection
// that is gone is a miss at once (no OPTIONS, no Timer F).
TEST_F(KeepAliveTest, SipPingerMissesAClosedConnection) {
  Req soft;
  soft.call_id = "tcp";
  soft.contacts = {"<sip:1001@203.0.113.4:5080;transport=tcp>"};
  ASSERT_EQ(authed(soft, kPw1001, tcp_from(77, "203.0.113.4", 5080))->status_code(), 200);
  std::vector<std::string> out;
  sip::TransactionLayerOptions o;
  o.sent_by = [](sip::Protocol) { return std::string("192.0.2.1:5060"); };
  sip::TransactionLayer layer(
      timers,
      [&](const sip::Destination&, std::string b, sip::TransportLayer::SendDone) {
        out.push_back(std::move(b));
      },
      o);
  boost::asio::io_context io;
  sip::TransportLayer transport(io, {});  // connection 77 is not open here
  KeepAlive ka(timers, registrar, {std::chrono::seconds(5), 2},
               make_sip_pinger(layer, transport, "<sip:keepalive@pbx.test>"));
  timers.advance(5s);
  EXPECT_TRUE(out.empty());                       // no OPTIONS for a stream contact
  EXPECT_TRUE(registrar.lookup("1001").empty());  // unreachable after one miss
  EXPECT_EQ(registrar.binding_count(), 1u);
  timers.advance(5s);
  EXPECT_EQ(registrar.binding_count(), 0u);
}

}  // namespace
}  // namespace switchboard::core::testing
