#include "sip/uri.hpp"

#include <gtest/gtest.h>

#include "sip/escape.hpp"

namespace switchboard::sip {
namespace {

Uri must_parse(std::string_view text) {
  Result<Uri> u = parse_uri(text);
  EXPECT_TRUE(u.ok()) << text;
  return u.ok() ? std::move(*u) : Uri();
}

TEST(Uri, FullSipUri) {
  const Uri u = must_parse(
      "sip:alice:secret@atlanta.example.com:5061;transport=tcp;user=phone;lr;maddr=239.255.255.1;"
      "ttl=15;method=INVITE;x-custom=1?subject=project%20x&priority=urgent");
  EXPECT_EQ(u.scheme, UriScheme::kSip);
  EXPECT_EQ(u.user, "alice");
  EXPECT_EQ(u.password, "secret");
  EXPECT_TRUE(u.has_password);
  EXPECT_EQ(u.host, "atlanta.example.com");
  EXPECT_EQ(u.host_kind, HostKind::kHostname);
  EXPECT_EQ(u.port, 5061);
  EXPECT_EQ(u.transport(), "tcp");
  EXPECT_EQ(u.user_param(), "phone");
  EXPECT_TRUE(u.lr());
  EXPECT_EQ(u.maddr(), "239.255.255.1");
  EXPECT_EQ(u.ttl(), 15);
  EXPECT_EQ(u.method(), "INVITE");
  EXPECT_EQ(u.param("X-CUSTOM"), "1");  // parameter names are case-insensitive
  ASSERT_EQ(u.headers.size(), 2u);
  EXPECT_EQ(unescape(u.headers[0].value), "project x");
  EXPECT_EQ(u.headers[1].name, "priority");
}

TEST(Uri, HostKinds) {
  EXPECT_EQ(must_parse("sip:192.0.2.4").host_kind, HostKind::kIPv4);
  const Uri v6 = must_parse("sips:[2001:db8::10]:5061");
  EXPECT_EQ(v6.host_kind, HostKind::kIPv6);
  EXPECT_EQ(v6.host, "[2001:db8::10]");
  EXPECT_EQ(v6.host_address(), "2001:db8::10");
  EXPECT_EQ(v6.port, 5061);
  EXPECT_EQ(must_parse("sip:[::ffff:192.0.2.1]").host_kind, HostKind::kIPv6);
  EXPECT_EQ(must_parse("sip:999.1.1.1").host_kind, HostKind::kHostname);  // not IPv4
  EXPECT_EQ(must_parse("sip:_sip._udp.example.com").host_kind, HostKind::kHostname);
}

TEST(Uri, UserPartWithParamsAndTelephoneSubscriber) {
  const Uri u = must_parse("sip:+1-212-555-1212;isub=1411;postd=pp22@gw.example.com;user=phone");
  EXPECT_EQ(u.user, "+1-212-555-1212;isub=1411;postd=pp22");
  EXPECT_EQ(u.host, "gw.example.com");
  EXPECT_EQ(u.user_param(), "phone");
}

TEST(Uri, TelAndOtherSchemes) {
  const Uri tel = must_parse("tel:+1-201-555-0123;phone-context=example.com");
  EXPECT_EQ(tel.scheme, UriScheme::kTel);
  EXPECT_EQ(tel.user, "+1-201-555-0123");
  EXPECT_EQ(tel.param("phone-context"), "example.com");
  const Uri urn = must_parse("urn:service:sos");
  EXPECT_EQ(urn.scheme, UriScheme::kOther);
  EXPECT_EQ(urn.scheme_name, "urn");
  EXPECT_EQ(urn.opaque, "service:sos");
  EXPECT_EQ(must_parse("SIP:Bob@Example.COM").scheme, UriScheme::kSip);
}

TEST(Uri, RejectsMalformed) {
  for (const char* bad :
       {"",         "sip:",         "sip:@host", "sip:host:port", "sip:host:65536",
        "sip:a@",   "sip:a b@host", "<sip:a@b>", "sip:a@b;",      "sip:a@b;=x",
        "sip:a@b?", "sip:a@b?x=1&", "sip:[::1",  "sip:a@ho st",   "sip:%zz@host",
        "1sip:a@b", "tel:",         "mailto:",   "sip:a@-host",   "sip:a@b\"c",
        // RFC 3261 §19.1.1: a uri-parameter appears at most once (found by fuzzing).
        "sip:a@b;lr;x=1;x=2"}) {
    EXPECT_FALSE(parse_uri(bad).ok()) << "[" << bad << "]";
  }
}

TEST(Uri, RepeatedHeaderNamesCompareAsSets) {
  auto a = parse_uri("sip:a@b?Route=%3Csip:x%3E&Route=%3Csip:y%3E");
  auto b = parse_uri("sip:a@b?Route=%3Csip:y%3E&Route=%3Csip:x%3E");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(uri_equal(*a, *a));
  EXPECT_TRUE(uri_equal(*a, *b));
}

TEST(Escape, UnescapeIsSinglePassAndKeepsNul) {
  EXPECT_EQ(unescape("v%61lue%25%34%31"), "value%41");
  EXPECT_EQ(unescape("a%00b"), std::string("a\0b", 3));
  EXPECT_EQ(unescape("100%"), "100%");
  EXPECT_EQ(unescape("%4"), "%4");
  EXPECT_EQ(normalize_escapes("%61%3b%3B"), "a%3B%3B");
  EXPECT_TRUE(escapes_are_valid("a%20b"));
  EXPECT_FALSE(escapes_are_valid("a%2"));
  EXPECT_EQ(escape_user("a b@c;d"), "a%20b%40c;d");
}

bool eq(std::string_view a, std::string_view b) {
  return uri_equal(must_parse(a), must_parse(b)) && uri_equal(must_parse(b), must_parse(a));
}

// RFC 3261 §19.1.4, the examples of equivalent and non-equivalent URIs.
TEST(UriCompare, Rfc3261EquivalentPairs) {
  EXPECT_TRUE(eq("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp"));
  EXPECT_TRUE(eq("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"));
  EXPECT_TRUE(eq("sip:carol@chicago.com", "sip:carol@chicago.com;security=on"));
  EXPECT_TRUE(eq("sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on"));
  EXPECT_TRUE(eq("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
                 "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"));
  EXPECT_TRUE(eq("sip:alice@atlanta.com?subject=project%20x&priority=urgent",
                 "sip:alice@atlanta.com?priority=urgent&subject=project%20x"));
}

TEST(UriCompare, Rfc3261NonEquivalentPairs) {
  EXPECT_FALSE(eq("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP"));
  EXPECT_FALSE(eq("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"));
  // The rules' text lists only user/ttl/method/maddr, but the section's
  // example says these "can resolve to different transports": we follow it.
  EXPECT_FALSE(eq("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"));
  EXPECT_FALSE(eq("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp"));
  EXPECT_FALSE(eq("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting"));
  EXPECT_FALSE(eq("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"));
  EXPECT_FALSE(eq("sip:carol@chicago.com;security=on", "sip:carol@chicago.com;security=off"));
  EXPECT_FALSE(eq("sip:a@b", "sips:a@b"));
  EXPECT_FALSE(eq("sip:a@b", "sip:a:pw@b"));
  EXPECT_FALSE(eq("sip:a@b", "sip:b"));
  // user, ttl, method and maddr must be in both.
  EXPECT_FALSE(eq("sip:a@b", "sip:a@b;user=phone"));
  EXPECT_FALSE(eq("sip:a@b", "sip:a@b;maddr=1.2.3.4"));
  EXPECT_FALSE(eq("sip:a@b", "sip:a@b;ttl=1"));
  EXPECT_FALSE(eq("sip:a@b", "sip:a@b;method=INVITE"));
  // A reserved character is not equal to its escape.
  EXPECT_FALSE(eq("sip:a%3Bb@host", "sip:a;b@host"));
  EXPECT_TRUE(eq("sip:a%3bb@host", "sip:a%3Bb@host"));
}

TEST(UriCompare, TelAndOpaque) {
  EXPECT_TRUE(eq("tel:+1-201-555-0123", "tel:+12015550123"));
  EXPECT_FALSE(eq("tel:+12015550123", "tel:+12015550124"));
  EXPECT_TRUE(eq("URN:service:sos", "urn:service:sos"));
  EXPECT_FALSE(eq("urn:service:sos", "urn:service:SOS"));
  EXPECT_FALSE(eq("tel:+1", "sip:+1@host"));
}

}  // namespace
}  // namespace switchboard::sip
