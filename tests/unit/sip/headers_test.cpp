// Typed header access: Via, name-addr, Contact, CSeq and scalars, token
// lists, media types, auth headers, Event, Subscription-State, Replaces,
// Session-Expires, Refer-To / Referred-By, Route sets.
#include <gtest/gtest.h>

#include "sip/message_headers.hpp"
#include "test_util.hpp"

namespace switchboard::sip {
namespace {

using test::parse_ok;

TEST(Via, ParsesSentByTransportAndParams) {
  Result<Via> v = parse_via("SIP/2.0/TLS [2001:db8::1]:5061;branch=z9hG4bKabc;received=192.0.2.1");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->protocol_name, "SIP");
  EXPECT_EQ(v->protocol_version, "2.0");
  EXPECT_EQ(v->transport, "TLS");
  EXPECT_EQ(v->host, "[2001:db8::1]");
  EXPECT_EQ(v->port, 5061);
  EXPECT_EQ(v->branch(), "z9hG4bKabc");
  EXPECT_TRUE(v->is_rfc3261_branch());
  EXPECT_EQ(v->received(), "192.0.2.1");
  EXPECT_FALSE(v->has_rport());
}

TEST(Via, RportEmptyAndFilled) {
  // RFC 3581 §3: a client inserts rport without a value; the server fills it.
  Result<Via> empty = parse_via("SIP/2.0/UDP 10.0.0.1:5060;rport;branch=z9hG4bKx");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->has_rport());
  EXPECT_FALSE(empty->rport().has_value());
  Result<Via> filled = parse_via("SIP/2.0/UDP 10.0.0.1:5060;rport=40000;received=203.0.113.9");
  ASSERT_TRUE(filled.ok());
  EXPECT_EQ(filled->rport(), 40000);
  EXPECT_EQ(filled->received(), "203.0.113.9");
}

TEST(Via, MaddrTtlAndReceivedIpv6) {
  Result<Via> v = parse_via("SIP/2.0/UDP h;maddr=224.2.0.1;ttl=16;received=2001:db8::9");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->maddr(), "224.2.0.1");
  EXPECT_EQ(v->ttl(), 16);
  EXPECT_EQ(v->received(), "2001:db8::9");
}

TEST(Via, MultipleValuesAndHeaders) {
  Message m = parse_ok(
      "OPTIONS sip:a@b SIP/2.0\n"
      "Via: SIP/2.0/UDP first;branch=z9hG4bK1, SIP/2.0/TCP second:5070;branch=z9hG4bK2\n"
      "v: SIP/2.0/WSS third.invalid;branch=z9hG4bK3\n\n");
  Result<std::vector<Via>> vias = get_vias(m);
  ASSERT_TRUE(vias.ok());
  ASSERT_EQ(vias->size(), 3u);
  EXPECT_EQ((*vias)[0].host, "first");
  EXPECT_EQ((*vias)[1].port, 5070);
  EXPECT_EQ((*vias)[2].transport, "WSS");
  EXPECT_EQ(get_top_via(m)->branch(), "z9hG4bK1");
}

TEST(Via, RejectsMalformed) {
  for (const char* bad :
       {"SIP/2.0/UDP", "SIP/2.0 UDP host", "SIP/2.0/UDP host;", "SIP/2.0/UDP host;=x",
        "SIP/2.0/UDP host:99999", "SIP/2.0/UDP host;branch=", "SIP/2.0/UDPhost",
        "SIP/2.0/UDP host extra", "SIP/2.0/UDP [::1"}) {
    EXPECT_FALSE(parse_via(bad).ok()) << bad;
  }
}

TEST(NameAddr, FormsOfFromAndTo) {
  Result<NameAddr> quoted =
      parse_name_addr("\"A \\\"B\\\" C\" <sip:abc@example.com;transport=tcp>;tag=xyz");
  ASSERT_TRUE(quoted.ok());
  EXPECT_TRUE(quoted->display_name_quoted);
  EXPECT_EQ(quoted->display_name_text(), "A \"B\" C");
  EXPECT_EQ(quoted->uri.transport(), "tcp");
  EXPECT_EQ(quoted->tag(), "xyz");

  Result<NameAddr> tokens = parse_name_addr("Bob Smith <sips:bob@example.com>");
  ASSERT_TRUE(tokens.ok());
  EXPECT_EQ(tokens->display_name, "Bob Smith");
  EXPECT_EQ(tokens->uri.scheme, UriScheme::kSips);

  // addr-spec: parameters after the URI are header parameters.
  Result<NameAddr> spec = parse_name_addr("sip:carol@chicago.example.com;tag=88");
  ASSERT_TRUE(spec.ok());
  EXPECT_FALSE(spec->angle_brackets);
  EXPECT_TRUE(spec->uri.params.empty());
  EXPECT_EQ(spec->tag(), "88");

  Result<NameAddr> tel = parse_name_addr("<tel:+1-201-555-0123>");
  ASSERT_TRUE(tel.ok());
  EXPECT_EQ(tel->uri.scheme, UriScheme::kTel);
}

TEST(NameAddr, RejectsMalformed) {
  for (const char* bad :
       {"", "\"unterminated <sip:a@b>", "<sip:a@b", "< sip:a@b>", "A, B <sip:a@b>", "sip:a@b?x=y",
        "<sip:a@b> junk", "<sip:a@b>;;", "\"x\" sip:a@b"}) {
    EXPECT_FALSE(parse_name_addr(bad).ok()) << bad;
  }
}

TEST(Contact, StarParamsAndLists) {
  Message m = parse_ok(
      "REGISTER sip:example.com SIP/2.0\n"
      "Contact: <sip:a@10.0.0.1:5060;ob>;expires=600;q=0.7;"
      "+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>\";reg-id=1,\n"
      " \"Second, really\" <sip:b@10.0.0.2>;q=1\n"
      "Contact: sip:c@10.0.0.3;expires=0\n\n");
  Result<std::vector<Contact>> contacts = get_contacts(m);
  ASSERT_TRUE(contacts.ok());
  ASSERT_EQ(contacts->size(), 3u);
  const Contact& a = (*contacts)[0];
  EXPECT_EQ(a.expires(), 600u);
  EXPECT_EQ(a.q_thousandths(), 700);
  EXPECT_EQ(a.instance(), "<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>");
  EXPECT_EQ(a.reg_id(), 1u);
  EXPECT_TRUE(a.address.uri.params.has("ob"));
  EXPECT_EQ((*contacts)[1].address.display_name_text(), "Second, really");
  EXPECT_EQ((*contacts)[1].q_thousandths(), 1000);
  EXPECT_EQ((*contacts)[2].expires(), 0u);

  Message star = parse_ok("REGISTER sip:example.com SIP/2.0\nContact: *\nExpires: 0\n\n");
  EXPECT_TRUE((*get_contacts(star))[0].star);
  Message mixed = parse_ok("REGISTER sip:example.com SIP/2.0\nContact: *\nContact: <sip:a@b>\n\n");
  EXPECT_FALSE(get_contacts(mixed).ok());
}

TEST(Contact, QValues) {
  EXPECT_EQ(parse_qvalue("0"), 0);
  EXPECT_EQ(parse_qvalue("0.5"), 500);
  EXPECT_EQ(parse_qvalue("0.123"), 123);
  EXPECT_EQ(parse_qvalue("1.000"), 1000);
  EXPECT_FALSE(parse_qvalue("1.5").has_value());
  EXPECT_FALSE(parse_qvalue("0.1234").has_value());
  EXPECT_FALSE(parse_qvalue("2").has_value());
}

TEST(Scalars, CSeqCallIdMaxForwardsExpires) {
  Result<CSeq> c = parse_cseq("2147483647 REGISTER");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->number, 2147483647u);
  EXPECT_EQ(c->method_id, Method::kRegister);
  EXPECT_FALSE(parse_cseq("2147483648 REGISTER").ok());  // must be < 2^31
  EXPECT_FALSE(parse_cseq("1REGISTER").ok());
  EXPECT_FALSE(parse_cseq("INVITE").ok());
  EXPECT_FALSE(parse_cseq("1 INVITE x").ok());

  EXPECT_TRUE(parse_call_id("abc@host").ok());
  EXPECT_FALSE(parse_call_id("a b").ok());
  EXPECT_FALSE(parse_call_id("a@b@c").ok());
  EXPECT_FALSE(parse_call_id("").ok());

  EXPECT_EQ(*parse_max_forwards("70"), 70u);
  EXPECT_FALSE(parse_max_forwards("256").ok());
  EXPECT_EQ(*parse_delta_seconds("4294967295"), 4294967295u);
  EXPECT_FALSE(parse_delta_seconds("4294967296").ok());
  EXPECT_FALSE(parse_delta_seconds("-1").ok());
}

TEST(Headers, MissingAndMalformedAreDistinguished) {
  Message m = parse_ok("OPTIONS sip:a@b SIP/2.0\nCSeq: x\n\n");
  EXPECT_EQ(get_call_id(m).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(get_cseq(m).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(get_cseq(m).error().message, "Bad CSeq");
}

TEST(Headers, RouteRecordRouteAndPathLists) {
  Message m = parse_ok(
      "INVITE sip:a@b SIP/2.0\n"
      "Record-Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\n"
      "Record-Route: <sip:[2001:db8::5]:5070;lr;transport=tcp>\n"
      "Route: <sip:r1.example.com;lr>\n"
      "Path: <sip:edge.example.com;lr;ob>\n\n");
  Result<std::vector<NameAddr>> rr = get_name_addrs(m, HeaderId::kRecordRoute);
  ASSERT_TRUE(rr.ok());
  ASSERT_EQ(rr->size(), 3u);
  EXPECT_EQ((*rr)[2].uri.host_kind, HostKind::kIPv6);
  EXPECT_EQ((*rr)[2].uri.port, 5070);
  EXPECT_TRUE((*rr)[2].uri.lr());
  EXPECT_EQ(get_name_addrs(m, HeaderId::kRoute)->size(), 1u);
  EXPECT_TRUE((*get_name_addrs(m, HeaderId::kPath))[0].uri.params.has("ob"));
  EXPECT_EQ(get_name_addrs(m, HeaderId::kServiceRoute).error().code, ErrorCode::kNotFound);
}

TEST(Headers, TokenListsAndMediaTypes) {
  Message m = parse_ok(
      "INVITE sip:a@b SIP/2.0\n"
      "Allow: INVITE, ACK,CANCEL , BYE\n"
      "Supported: timer, replaces\nk: path\n"
      "Require: 100rel\nProxy-Require: foo\nUnsupported: bar\n"
      "Accept: application/sdp;level=1, multipart/*, */*;q=0.1\n"
      "Accept-Encoding: gzip;q=1.0, identity\n"
      "Content-Type: Application/SDP ; charset=\"utf-8\"\n\n");
  EXPECT_EQ(get_tokens(m, HeaderId::kAllow)->size(), 4u);
  EXPECT_EQ((*get_tokens(m, HeaderId::kAllow))[2], "CANCEL");
  EXPECT_EQ(get_tokens(m, HeaderId::kSupported)->size(), 3u);
  EXPECT_EQ((*get_tokens(m, HeaderId::kRequire))[0], "100rel");
  EXPECT_EQ((*get_tokens(m, HeaderId::kProxyRequire))[0], "foo");
  EXPECT_EQ((*get_tokens(m, HeaderId::kUnsupported))[0], "bar");
  EXPECT_EQ((*get_tokens(m, HeaderId::kAcceptEncoding))[1], "identity");
  EXPECT_TRUE(get_tokens(m, HeaderId::kAllowEvents)->empty());
  Result<std::vector<MediaType>> accept = get_accept(m);
  ASSERT_TRUE(accept.ok());
  ASSERT_EQ(accept->size(), 3u);
  EXPECT_EQ((*accept)[0].params.get("level"), "1");
  EXPECT_TRUE((*accept)[1].matches("multipart", "mixed"));
  EXPECT_TRUE((*accept)[2].matches("text", "plain"));
  Result<MediaType> ct = get_content_type(m);
  ASSERT_TRUE(ct.ok());
  EXPECT_TRUE(ct->matches("application", "sdp"));
  EXPECT_EQ(ct->params.get_unquoted("charset"), "utf-8");
  EXPECT_FALSE(parse_media_type("application").ok());
  std::vector<std::string_view> tokens;
  EXPECT_FALSE(parse_token_list("a,,b", tokens).ok());
}

TEST(Headers, AuthorizationAndChallenges) {
  Message m = parse_ok(
      "REGISTER sip:example.com SIP/2.0\n"
      "Authorization: Digest username=\"bob\", realm=\"example.com\",\n"
      "  nonce=\"abc/def==\", uri=\"sip:example.com\", response=\"0123\", nc=00000001,\n"
      "  qop=auth, cnonce=\"xyz\", algorithm=SHA-256\n"
      "Proxy-Authorization: Bearer token=eyJhbGciOi.x.y\n"
      "WWW-Authenticate: Digest realm=\"a\", nonce=unquoted/base64=, qop=\"auth,auth-int\"\n\n");
  Result<std::vector<AuthHeader>> auth = get_auth_headers(m, HeaderId::kAuthorization);
  ASSERT_TRUE(auth.ok());
  EXPECT_EQ((*auth)[0].scheme, "Digest");
  EXPECT_EQ((*auth)[0].params.get_unquoted("username"), "bob");
  EXPECT_EQ((*auth)[0].params.get("nc"), "00000001");
  EXPECT_EQ((*auth)[0].params.get("algorithm"), "SHA-256");
  EXPECT_EQ((*get_auth_headers(m, HeaderId::kProxyAuthorization))[0].scheme, "Bearer");
  Result<std::vector<AuthHeader>> www = get_auth_headers(m, HeaderId::kWwwAuthenticate);
  ASSERT_TRUE(www.ok());
  EXPECT_EQ((*www)[0].params.get("nonce"), "unquoted/base64=");
  EXPECT_EQ(get_auth_headers(m, HeaderId::kProxyAuthenticate).error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(parse_auth_header("Digest realm").ok());
  EXPECT_FALSE(parse_auth_header("Digest realm=\"x").ok());
  EXPECT_FALSE(parse_auth_header("Digest a=b,").ok());
}

TEST(Headers, EventAndSubscriptionState) {
  Message m = parse_ok(
      "NOTIFY sip:a@b SIP/2.0\n"
      "o: dialog;id=42\n"
      "Subscription-State: terminated;reason=timeout;retry-after=30\n\n");
  Result<Event> e = get_event(m);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->package, "dialog");
  EXPECT_EQ(e->id(), "42");
  Result<SubscriptionState> st = get_subscription_state(m);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->value, SubscriptionStateValue::kTerminated);
  EXPECT_EQ(st->reason(), "timeout");
  EXPECT_EQ(st->retry_after(), 30u);
  EXPECT_EQ(parse_subscription_state("active;expires=600")->expires(), 600u);
  EXPECT_EQ(parse_subscription_state("pending")->value, SubscriptionStateValue::kPending);
  EXPECT_FALSE(parse_event("").ok());
}

TEST(Headers, ReferToReferredByReplaces) {
  Message m = parse_ok(
      "REFER sip:a@b SIP/2.0\n"
      "r: <sip:carol@example.com?Replaces=12345%40host%3Bto-tag%3D1%3Bfrom-tag%3D2>\n"
      "b: \"Alice\" <sip:alice@example.com>;cid=\"20398823.2UWQFN309shb3@referrer.example\"\n"
      "Replaces: 98732@sip.example.com;from-tag=r33th4x0r;to-tag=ff87ff;early-only\n\n");
  Result<NameAddr> refer_to = get_name_addr(m, HeaderId::kReferTo);
  ASSERT_TRUE(refer_to.ok());
  EXPECT_EQ(refer_to->uri.headers[0].name, "Replaces");
  Result<NameAddr> referred_by = get_name_addr(m, HeaderId::kReferredBy);
  ASSERT_TRUE(referred_by.ok());
  EXPECT_EQ(referred_by->display_name_text(), "Alice");
  EXPECT_TRUE(referred_by->params.has("cid"));
  Result<Replaces> r = get_replaces(m);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->call_id, "98732@sip.example.com");
  EXPECT_EQ(r->from_tag, "r33th4x0r");
  EXPECT_EQ(r->to_tag, "ff87ff");
  EXPECT_TRUE(r->early_only);
  EXPECT_FALSE(parse_replaces("abc@host;to-tag=1").ok());  // from-tag missing
  EXPECT_FALSE(parse_replaces("abc@host").ok());
}

TEST(Headers, SessionExpiresAndMinSe) {
  Message m = parse_ok("INVITE sip:a@b SIP/2.0\nx: 1800;refresher=uac\nMin-SE: 90\n\n");
  Result<SessionExpires> se = get_session_expires(m);
  ASSERT_TRUE(se.ok());
  EXPECT_EQ(se->delta_seconds, 1800u);
  EXPECT_EQ(se->refresher, Refresher::kUac);
  EXPECT_EQ(get_min_se(m)->delta_seconds, 90u);
  EXPECT_EQ(parse_session_expires("90;refresher=UAS")->refresher, Refresher::kUas);
  EXPECT_FALSE(parse_session_expires("90;refresher=both").ok());
  EXPECT_FALSE(parse_session_expires("abc").ok());
}

TEST(Headers, UserAgentAndServerAreFreeText) {
  Message m = parse_ok("SIP/2.0 200 OK\nServer: Switchboard/0.1 (Linux)\nUser-Agent: X/1\n\n");
  EXPECT_EQ(get_server(m), "Switchboard/0.1 (Linux)");
  EXPECT_EQ(get_user_agent(m), "X/1");
}

}  // namespace
}  // namespace switchboard::sip
