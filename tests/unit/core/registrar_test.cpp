// RFC 3261 §10.3 registrar behaviour, RFC 3327 Path, RFC 5626 instance/reg-id,
// NAT source recording, expiry in virtual time.
#include "pbx_fixture.hpp"

namespace switchboard::core::testing {
namespace {

class RegistrarTest : public PbxFixture {
 protected:
  std::optional<sip::Message> reg(Req req, const sip::Source& from = udp_from()) {
    return authed(std::move(req), kPw1001, from);
  }
};

TEST_F(RegistrarTest, RegisterAnswersWithTheBindingAndDate) {
  Req req;
  req.expires = 600;
  auto r = reg(req);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status_code(), 200);
  EXPECT_EQ(contacts_in(*r), std::vector<std::string>{"<sip:1001@198.51.100.7:5062>;expires=600"});
  EXPECT_TRUE(r->value(sip::HeaderId::kDate));
  auto b = registrar.lookup("1001");
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0]->contact, "sip:1001@198.51.100.7:5062");
  EXPECT_EQ(b[0]->call_id, "reg-call-1");
  EXPECT_EQ(b[0]->cseq, 2u);
}

TEST_F(RegistrarTest, TwoContactsRingTogetherAndFetchListsThem) {
  Req desk;
  desk.call_id = "desk";
  desk.contacts = {"<sip:1001@198.51.100.7:5062>;q=0.5"};
  Req soft;
  soft.call_id = "soft";
  soft.contacts = {"<sip:1001@203.0.113.4:49152;transport=tcp>"};
  ASSERT_EQ(reg(desk)->status_code(), 200);
  auto r = reg(soft, tcp_from(42, "203.0.113.4", 49152));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status_code(), 200);
  EXPECT_EQ(contacts_in(*r).size(), 2u);
  auto b = registrar.lookup("1001");
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0]->contact, "sip:1001@203.0.113.4:49152;transport=tcp");  // q=1 first
  EXPECT_EQ(b[1]->q, 500);
  // The softphone is reached where its REGISTER came from, on its connection.
  EXPECT_EQ(b[0]->protocol, sip::Protocol::kTcp);
  EXPECT_EQ(b[0]->connection, 42u);
  EXPECT_EQ(b[0]->destination().port, 49152);

  Req fetch;
  fetch.call_id = "fetch";
  fetch.contacts.clear();
  auto f = reg(fetch);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->status_code(), 200);
  EXPECT_EQ(contacts_in(*f).size(), 2u);
  EXPECT_EQ(registrar.binding_count(), 2u);
}

TEST_F(RegistrarTest, NatSourceIsRecordedNotTheContactAddress) {
  Req req;
  req.contacts = {"<sip:1001@192.168.1.20:5060>"};  // private address behind NAT
  ASSERT_EQ(reg(req, udp_from("203.0.113.50", 34567))->status_code(), 200);
  auto b = registrar.lookup("1001");
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0]->source_ip.to_string(), "203.0.113.50");
  EXPECT_EQ(b[0]->source_port, 34567);
  EXPECT_EQ(b[0]->destination().ip.to_string(), "203.0.113.50");
}

TEST_F(RegistrarTest, ExpiresPerContactOverridesTheHeaderAndMaxIsClamped) {
  Req req;
  req.expires = 1800;
  req.contacts = {"<sip:1001@198.51.100.7:5062>;expires=120", "<sip:1001@198.51.100.7:5063>",
                  "<sip:1001@198.51.100.7:5064>;expires=99999"};
  auto r = reg(req);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status_code(), 200);
  auto c = contacts_in(*r);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0], "<sip:1001@198.51.100.7:5062>;expires=120");
  EXPECT_EQ(c[1], "<sip:1001@198.51.100.7:5063>;expires=1800");
  EXPECT_EQ(c[2], "<sip:1001@198.51.100.7:5064>;expires=3600");  // max_expires
}

TEST_F(RegistrarTest, DefaultExpiresWhenNothingIsSaid) {
  auto r = reg(Req{});
  ASSERT_TRUE(r);
  EXPECT_EQ(contacts_in(*r)[0], "<sip:1001@198.51.100.7:5062>;expires=3600");
}

TEST_F(RegistrarTest, TooBriefIs423WithMinExpires) {
  Req req;
  req.expires = 30;
  auto r = reg(req);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code(), 423);
  EXPECT_EQ(r->value(sip::HeaderId::kMinExpires), "60");
  EXPECT_EQ(registrar.binding_count(), 0u);
  // One brief contact fails the whole request.
  Req mixed;
  mixed.call_id = "mixed";
  mixed.contacts = {"<sip:1001@198.51.100.7:5062>", "<sip:1001@198.51.100.7:5063>;expires=5"};
  EXPECT_EQ(reg(mixed)->status_code(), 423);
  EXPECT_EQ(registrar.binding_count(), 0u);
}

TEST_F(RegistrarTest, RefreshKeepsOneBindingAndExtendsIt) {
  Req req;
  req.expires = 120;
  ASSERT_EQ(reg(req)->status_code(), 200);
  timers.advance(100s);
  req.cseq = 10;
  auto r = reg(req);
  ASSERT_EQ(r->status_code(), 200);
  EXPECT_EQ(registrar.binding_count(), 1u);
  timers.advance(100s);  // the first registration would have expired by now
  EXPECT_EQ(registrar.binding_count(), 1u);
  timers.advance(21s);
  EXPECT_EQ(registrar.binding_count(), 0u);
  EXPECT_EQ(registrar.stats().expired, 1u);
}

TEST_F(RegistrarTest, OlderCSeqOnTheSameCallIdIsRefused) {
  Req req;
  req.cseq = 10;
  ASSERT_EQ(reg(req)->status_code(), 200);  // stored cseq 11
  req.cseq = 5;
  auto r = reg(req);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code(), 500);
}

TEST_F(RegistrarTest, UnregisterOneContact) {
  Req req;
  req.contacts = {"<sip:1001@198.51.100.7:5062>", "<sip:1001@198.51.100.7:5063>"};
  ASSERT_EQ(reg(req)->status_code(), 200);
  Req off;
  off.cseq = 5;
  off.contacts = {"<sip:1001@198.51.100.7:5063>;expires=0"};
  auto r = reg(off);
  ASSERT_EQ(r->status_code(), 200);
  EXPECT_EQ(contacts_in(*r), std::vector<std::string>{"<sip:1001@198.51.100.7:5062>;expires=3600"});
  EXPECT_EQ(registrar.binding_count(), 1u);
}

TEST_F(RegistrarTest, UnregisterAllWithStar) {
  Req a;
  a.call_id = "a";
  Req b;
  b.call_id = "b";
  b.contacts = {"<sip:1001@198.51.100.7:5070>"};
  ASSERT_EQ(reg(a)->status_code(), 200);
  ASSERT_EQ(reg(b)->status_code(), 200);
  Req all;
  all.call_id = "c";
  all.contacts = {"*"};
  all.expires = 0;
  auto r = reg(all);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code(), 200);
  EXPECT_TRUE(contacts_in(*r).empty());
  EXPECT_EQ(registrar.binding_count(), 0u);
}

TEST_F(RegistrarTest, StarWithoutExpiresZeroIsABadRequest) {
  Req all;
  all.contacts = {"*"};
  all.expires = 60;
  auto r = reg(all);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code(), 400);
}

TEST_F(RegistrarTest, PathIsKeptAndEchoed) {
  Req req;
  req.extra = "Path: <sip:edge1.example.net;lr>\r\nPath: <sip:edge2.example.net;lr>\r\n";
  auto r = reg(req);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status_code(), 200);
  EXPECT_EQ(r->count(sip::HeaderId::kPath), 2u);
  auto b = registrar.lookup("1001");
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0]->path,
            (std::vector<std::string>{"<sip:edge1.example.net;lr>", "<sip:edge2.example.net;lr>"}));
}

TEST_F(RegistrarTest, InstanceIdReplacesItsOwnBindingFromANewPort) {
  const std::string inst =
      ";+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>\";reg-id=1";
  Req first;
  first.call_id = "boot-1";
  first.contacts = {"<sip:1001@198.51.100.7:5062;ob>" + inst};
  first.extra = "Supported: outbound, path\r\n";
  auto r = reg(first, udp_from("198.51.100.7", 5062));
  ASSERT_EQ(r->status_code(), 200);
  EXPECT_EQ(r->value(sip::HeaderId::kRequire), "outbound");
  // The phone rebooted: new port, new Call-ID, same instance.
  Req second;
  second.call_id = "boot-2";
  second.contacts = {"<sip:1001@198.51.100.7:6000;ob>" + inst};
  r = reg(second, udp_from("198.51.100.7", 6000));
  ASSERT_EQ(r->status_code(), 200);
  auto b = registrar.lookup("1001");
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0]->contact, "sip:1001@198.51.100.7:6000;ob");
  EXPECT_EQ(b[0]->source_port, 6000);
  EXPECT_EQ(b[0]->instance, "<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>");
  EXPECT_EQ(b[0]->reg_id, 1u);
  EXPECT_NE(contacts_in(*r)[0].find("reg-id=1"), std::string::npos);
  // Without the instance, a new port would have been a second binding.
  Req plain;
  plain.call_id = "plain";
  plain.contacts = {"<sip:1001@198.51.100.7:7000>"};
  ASSERT_EQ(reg(plain)->status_code(), 200);
  EXPECT_EQ(registrar.binding_count(), 2u);
}

TEST_F(RegistrarTest, TooManyContactsIsRefused) {
  Req req;
  req.contacts.clear();
  for (int i = 0; i < 10; ++i) {
    req.contacts.push_back("<sip:1001@198.51.100.7:" + std::to_string(6000 + i) + ">");
  }
  auto r = reg(req);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code(), 200);  // exactly 10
  Req one_more;
  one_more.call_id = "more";
  one_more.contacts = {"<sip:1001@198.51.100.7:7777>"};
  EXPECT_EQ(reg(one_more)->status_code(), 403);
  EXPECT_EQ(registrar.binding_count(), 10u);
}

}  // namespace
}  // namespace switchboard::core::testing
