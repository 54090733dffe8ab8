// RFC 4475 "SIP Torture Test Messages": one test per message, files byte-exact
// in tests/data/rfc4475/. Each assertion cites the sentence of the RFC
// section it follows (quoted, or closely paraphrased where long).
//
// Policy used: an endpoint (UAS) that implements the usual methods and takes
// application/sdp, unless a test says otherwise.
#include <gtest/gtest.h>

#include <string>

#include "sip/digest.hpp"
#include "sip/escape.hpp"
#include "sip/message_headers.hpp"
#include "sip/screen.hpp"
#include "sip/serializer.hpp"
#include "test_util.hpp"

namespace switchboard::sip {
namespace {

using test::torture_bytes;
using Action = Screened::Action;

class Rfc4475 : public ::testing::Test {
 protected:
  Message parse(std::string_view name) {
    Result<Message> m = parse_message(torture_bytes(name));
    EXPECT_TRUE(m.ok()) << name << ": " << (m.ok() ? "" : m.error().message);
    return m.ok() ? std::move(*m) : Message();
  }
  Screened screen(std::string_view name) { return screen_message(torture_bytes(name), policy); }
  Screened screen(std::string_view name, const ValidationPolicy& p) {
    return screen_message(torture_bytes(name), p);
  }
  // Every accepted message survives serialize → parse with the same headers.
  void expect_round_trip(const Message& m) {
    Result<Message> again = parse_message(serialize(m));
    ASSERT_TRUE(again.ok());
    ASSERT_EQ(again->header_count(),
              m.header_count() + (m.count(HeaderId::kContentLength) ? 0 : 1));
    for (std::size_t i = 0; i < m.header_count(); ++i) {
      if (m.header(i).id == HeaderId::kContentLength) continue;
      EXPECT_EQ(again->header(i).value, m.header(i).value);
    }
    EXPECT_EQ(again->body(), m.body());
  }
  // A rejected request: a response with this code, built from the request.
  void expect_response(const Screened& s, int code) {
    ASSERT_EQ(s.action, Action::kRespond) << s.reason;
    ASSERT_TRUE(s.response.has_value());
    EXPECT_EQ(s.response->status_code(), code) << s.reason;
    EXPECT_FALSE(s.response->reason().empty());
    EXPECT_GE(s.response->count(HeaderId::kVia), 1u);
  }

  ValidationPolicy policy;
};

// Collapses runs of whitespace, since folding is "equivalent to a single SP".
std::string squeeze(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out.push_back(c);
  }
  return out;
}

// ---------------------------------------------------------------- 3.1.1 valid

TEST_F(Rfc4475, S3_1_1_1_wsinv) {
  Message m = parse("wsinv");
  // "All elements should treat this as a well-formed request."
  EXPECT_FALSE(screen("wsinv").response.has_value());
  EXPECT_EQ(m.method(), "INVITE");
  // "an unknown Request-URI parameter" / "a uri parameter with no value"
  Result<Uri> ruri = parse_uri(m.request_uri());
  ASSERT_TRUE(ruri.ok());
  EXPECT_EQ(ruri->user, "vivekg");
  EXPECT_EQ(ruri->host, "chair-dnrc.example.com");
  ASSERT_TRUE(ruri->params.find("unknownparam"));
  EXPECT_FALSE(ruri->params.find("unknownparam")->has_value);
  // "line folding all over" and "LWS between colons, semicolons, header field values"
  Result<NameAddr> to = get_to(m);
  ASSERT_TRUE(to.ok());
  EXPECT_EQ(to->uri.text, "sip:vivekg@chair-dnrc.example.com");
  EXPECT_EQ(to->tag(), "1918181833n");
  // "escaped characters within quotes": the display name is  J Rosenberg \"
  Result<NameAddr> from = get_from(m);
  ASSERT_TRUE(from.ok());
  EXPECT_EQ(from->display_name_text(), "J Rosenberg \\\"");
  EXPECT_EQ(from->tag(), "98asjd8");
  // "integer fields (Max-Forwards and CSeq) with leading zeros"
  EXPECT_EQ(*get_max_forwards(m), 68u);
  EXPECT_EQ(get_cseq(m)->number, 9u);
  EXPECT_EQ(get_cseq(m)->method, "INVITE");
  EXPECT_EQ(*get_call_id(m), "wsinv.ndaksdj@192.0.2.1");
  // "both comma separated and separately listed header field values" and "a
  // mix of short and long form for the same header field name" (Via, v)
  Result<std::vector<Via>> vias = get_vias(m);
  ASSERT_TRUE(vias.ok());
  ASSERT_EQ(vias->size(), 3u);
  EXPECT_EQ((*vias)[0].transport, "UDP");
  EXPECT_EQ((*vias)[0].host, "192.0.2.2");
  EXPECT_EQ((*vias)[0].branch(), "390skdjuw");
  EXPECT_EQ((*vias)[1].transport, "TCP");
  EXPECT_EQ((*vias)[1].host, "spindle.example.com");
  EXPECT_EQ((*vias)[1].branch(), "z9hG4bK9ikj8");
  EXPECT_EQ((*vias)[2].host, "192.168.255.111");
  EXPECT_EQ((*vias)[2].branch(), "z9hG4bK30239");
  // "an empty subject"
  EXPECT_EQ(m.value(HeaderId::kSubject), "");
  // "unknown header fields"; folding is equivalent to a single SP.
  ASSERT_TRUE(m.value("NewFangledHeader"));
  EXPECT_EQ(squeeze(*m.value("newfangledheader")), "newfangled value continued newfangled value");
  // "The UnknownHeaderWithUnusualValue header field ... must parse it as a header value."
  EXPECT_EQ(m.value("UnknownHeaderWithUnusualValue"), ";;,,;;,;");
  // "unknown parameters of a known header field" / "a header parameter with no value"
  Result<std::vector<NameAddr>> route = get_name_addrs(m, HeaderId::kRoute);
  ASSERT_TRUE(route.ok());
  ASSERT_EQ(route->size(), 1u);
  EXPECT_TRUE((*route)[0].uri.lr());
  EXPECT_EQ((*route)[0].uri.param("unknownwith"), "value");
  EXPECT_FALSE((*route)[0].uri.params.find("unknown-no-value")->has_value);
  Result<std::vector<Contact>> contacts = get_contacts(m);  // compact "m"
  ASSERT_TRUE(contacts.ok());
  ASSERT_EQ(contacts->size(), 1u);
  const Contact& c = (*contacts)[0];
  EXPECT_EQ(c.address.display_name_text(), "Quoted string \"\"");
  EXPECT_EQ(c.address.uri.text, "sip:jdrosen@example.com");
  EXPECT_EQ(c.params().get("newparam"), "newvalue");
  EXPECT_TRUE(c.params().has("secondparam"));
  EXPECT_EQ(c.q_thousandths(), 330);
  EXPECT_EQ(m.body().size(), 150u);
  EXPECT_EQ(get_content_type(m)->subtype, "sdp");
  expect_round_trip(m);
}

TEST_F(Rfc4475, S3_1_1_2_intmeth) {
  Message m = parse("intmeth");
  // "The Method contains non-alpha characters from token."
  EXPECT_EQ(m.method(), "!interesting-Method0123456789_*+`.%indeed'~");
  EXPECT_EQ(m.method_id(), Method::kOther);
  // "The Request-URI contains unusual, but legal, characters."
  Result<Uri> ruri = parse_uri(m.request_uri());
  ASSERT_TRUE(ruri.ok());
  EXPECT_EQ(ruri->user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  EXPECT_EQ(ruri->password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
  EXPECT_EQ(ruri->host, "example.com");
  // "A branch parameter contains all non-alphanumeric characters from token."
  EXPECT_EQ(get_top_via(m)->branch(), "z9hG4bK-.!%66*_+`'~");
  // "The To header field value's quoted string contains quoted-pair
  // expansions, including a quoted NULL character."
  const std::string expected_to("BEL:\x07 NUL:\0 DEL:\x7f", 17);
  EXPECT_EQ(get_to(m)->display_name_text(), expected_to);
  // "The name part of name-addr in the From header field value contains
  // multiple tokens ... an unknown header parameter whose name contains the
  // non-alphanumeric token characters and whose value is a non-ascii range
  // UTF-8 encoded string. The tag parameter ... contains the non-alphanumeric
  // token characters."
  Result<NameAddr> from = get_from(m);
  ASSERT_TRUE(from.ok());
  EXPECT_EQ(from->display_name, "token1~` token2'+_ token3*%!.-");
  ASSERT_TRUE(from->params.find("fromParam''~+*_!.-%"));
  EXPECT_EQ(from->tag(), "_token~1'+`*%!-.");
  // "The Call-ID header field value contains the non-alphanumeric characters
  // from word. ... % is not an escape character ... " is not a delimiter ...
  // backslash is not an escape character."
  EXPECT_EQ(*get_call_id(m), "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{");
  EXPECT_EQ(get_cseq(m)->method, m.method());
  // "There is an unknown header field" with a non-ASCII value.
  EXPECT_TRUE(m.value("extensionHeader-!.%*+_`'~").has_value());
  // An endpoint does not implement this method: 501 (RFC 3261 §21.5.2).
  expect_response(screen("intmeth"), 501);
  expect_round_trip(m);
}

TEST_F(Rfc4475, S3_1_1_3_esc01) {
  Message m = parse("esc01");
  // "The request-URI has sips:user@example.com embedded in its userpart."
  Result<Uri> ruri = parse_uri(m.request_uri());
  ASSERT_TRUE(ruri.ok());
  EXPECT_EQ(unescape(ruri->user), "sips:user@example.com");
  EXPECT_EQ(ruri->host, "example.net");
  // "The From and To URIs have escaped characters in their userparts."
  EXPECT_EQ(unescape(get_to(m)->uri.user), "user");
  EXPECT_EQ(unescape(get_from(m)->uri.user), "I have spaces");
  // "The application using the message must treat the % HEX HEX expansions
  // as equivalent to the character being encoded."
  EXPECT_TRUE(uri_equal(get_to(m)->uri, *parse_uri("sip:user@example.com")));
  // "The Contact URI has escaped characters in the URI parameters. Note that
  // the "name" uri-parameter has a value of "value%41", which is NOT
  // equivalent to "valueA"."
  Result<std::vector<Contact>> contacts = get_contacts(m);
  ASSERT_TRUE(contacts.ok());
  const Uri& curi = (*contacts)[0].address.uri;
  EXPECT_EQ(unescape(curi.user), "caller");
  ASSERT_EQ(curi.params.size(), 2u);
  EXPECT_EQ(unescape(curi.params[0].name), "lr");
  EXPECT_EQ(unescape(curi.params[1].name), "name");
  EXPECT_EQ(unescape(curi.params[1].value), "value%41");
  EXPECT_NE(unescape(curi.params[1].value), "valueA");
  // Compact forms i (Call-ID) and C (Content-Type, upper case).
  EXPECT_EQ(*get_call_id(m), "esc01.239409asdfakjkn23onasd0-3234");
  EXPECT_EQ(get_content_type(m)->type, "application");
  // "A parser must accept this as a well-formed message."
  EXPECT_FALSE(screen("esc01").response.has_value());
  expect_round_trip(m);
}

TEST_F(Rfc4475, S3_1_1_4_escnull) {
  Message m = parse("escnull");
  // "Implementations must take special care when unescaping the
  // Address-of-Record (AOR) in this request so as to not prematurely shorten
  // the username."
  const std::string aor_user("null-\0-null", 11);
  EXPECT_EQ(unescape(get_to(m)->uri.user), aor_user);
  EXPECT_EQ(unescape(get_from(m)->uri.user), aor_user);
  // "This request registers two contacts, sip:%00@host5.example.com and
  // sip:%00%00@host5.example.com."
  Result<std::vector<Contact>> contacts = get_contacts(m);
  ASSERT_TRUE(contacts.ok());
  ASSERT_EQ(contacts->size(), 2u);
  EXPECT_EQ(unescape((*contacts)[0].address.uri.user), std::string(1, '\0'));
  EXPECT_EQ(unescape((*contacts)[1].address.uri.user), std::string(2, '\0'));
  EXPECT_FALSE(uri_equal((*contacts)[0].address.uri, (*contacts)[1].address.uri));
  EXPECT_EQ(*get_content_length(m), 0u);  // "L:0"
  // "The message is well formed - parsers must accept this message."
  EXPECT_FALSE(screen("escnull").response.has_value());
}

TEST_F(Rfc4475, S3_1_1_5_esc02) {
  Message m = parse("esc02");
  // "The request method is unknown. It is NOT equivalent to REGISTER."
  EXPECT_EQ(m.method(), "RE%47IST%45R");
  EXPECT_EQ(m.method_id(), Method::kOther);
  // "The display name portion of the To and From header fields is "%Z%45".
  // Note that this is not the same as %ZE."
  EXPECT_EQ(get_to(m)->display_name_text(), "%Z%45");
  EXPECT_EQ(get_from(m)->display_name_text(), "%Z%45");
  // "This message has two Contact header field values, not three.
  // <sip:alias2@host2.example.com> is a C%6Fntact header field value."
  Result<std::vector<Contact>> contacts = get_contacts(m);
  ASSERT_TRUE(contacts.ok());
  EXPECT_EQ(contacts->size(), 2u);
  EXPECT_EQ(m.value("C%6Fntact"), "<sip:alias2@host2.example.com>");
  EXPECT_EQ(header_id_from_name("C%6Fntact"), HeaderId::kOther);
  EXPECT_EQ(get_top_via(m)->branch(), "z9hG4bK209%fzsnel234");
  // "An endpoint would reject this message with a 501."
  expect_response(screen("esc02"), 501);
}

TEST_F(Rfc4475, S3_1_1_6_lwsdisp) {
  Message m = parse("lwsdisp");
  // "there is no LWS between the token in the display name and < in the From
  // header field value ... Elements should accept this request as well formed."
  Result<NameAddr> from = get_from(m);
  ASSERT_TRUE(from.ok());
  EXPECT_EQ(from->display_name, "caller");
  EXPECT_EQ(from->uri.text, "sip:caller@example.com");
  EXPECT_EQ(from->tag(), "323");
  EXPECT_FALSE(screen("lwsdisp").response.has_value());
}

TEST_F(Rfc4475, S3_1_1_7_longreq) {
  Message m = parse("longreq");
  // "The To header field has a long display name, and long uri parameter
  // names and values."
  Result<NameAddr> to = get_to(m);
  ASSERT_TRUE(to.ok());
  EXPECT_EQ(to->display_name_text().substr(0, 22), "I have a user name of ");
  EXPECT_GT(to->display_name.size(), 100u);
  EXPECT_EQ(to->uri.port, 6000);
  EXPECT_EQ(to->uri.param("unknownparam1")->size(), 89u);
  EXPECT_EQ(to->uri.params.size(), 3u);
  // "The From header field has long header parameter names and values, in
  // particular, a very long tag."
  Result<NameAddr> from = get_from(m);
  ASSERT_TRUE(from.ok());
  EXPECT_GT(from->tag()->size(), 150u);
  EXPECT_EQ(from->params.size(), 3u);
  // "The Call-ID is one long token."
  EXPECT_GT(get_call_id(m)->size(), 100u);
  // Many Via header fields in long and compact form, any case.
  Result<std::vector<Via>> vias = get_vias(m);
  ASSERT_TRUE(vias.ok());
  EXPECT_EQ(vias->size(), 34u);
  EXPECT_EQ(vias->front().host, "sip33.example.com");
  EXPECT_EQ(vias->back().received(), "192.0.2.5");
  EXPECT_GT(vias->back().branch()->size(), 200u);
  EXPECT_EQ(m.body().size(), 150u);  // "l: 150"
  EXPECT_FALSE(screen("longreq").response.has_value());
  expect_round_trip(m);
}

TEST_F(Rfc4475, S3_1_1_8_dblreq) {
  Message m = parse("dblreq");
  // "The extra octets happen to look like a SIP INVITE request, but (per
  // section 18.3 of [RFC3261]) they are just spurious noise that must be
  // ignored. A SIP element receiving this datagram would handle the REGISTER
  // request normally."
  EXPECT_EQ(m.method(), "REGISTER");
  EXPECT_TRUE(m.body().empty());
  EXPECT_EQ(m.header_count(), 8u);
  EXPECT_EQ(*get_call_id(m), "dblreq.0ha0isndaksdj99sdfafnl3lk233412");  // "I:" compact
  EXPECT_EQ(get_cseq(m)->method, "REGISTER");
  EXPECT_FALSE(screen("dblreq").response.has_value());
}

TEST_F(Rfc4475, S3_1_1_9_semiuri) {
  Message m = parse("semiuri");
  // "The Request-URI will parse so that the user part is "user;par=u@example.net"."
  Result<Uri> ruri = parse_uri(m.request_uri());
  ASSERT_TRUE(ruri.ok());
  EXPECT_EQ(ruri->user, "user;par=u%40example.net");
  EXPECT_EQ(unescape(ruri->user), "user;par=u@example.net");
  EXPECT_EQ(ruri->host, "example.com");
  EXPECT_TRUE(ruri->params.empty());
  // The folded Accept lists six media ranges.
  EXPECT_EQ(get_accept(m)->size(), 6u);
  EXPECT_FALSE(screen("semiuri").response.has_value());
}

TEST_F(Rfc4475, S3_1_1_10_transports) {
  Message m = parse("transports");
  // "This request contains Via header field values with all known transport
  // types and exercises the transport extension mechanism. Parsers must
  // accept this message as well formed."
  Result<std::vector<Via>> vias = get_vias(m);
  ASSERT_TRUE(vias.ok());
  ASSERT_EQ(vias->size(), 5u);
  EXPECT_EQ((*vias)[0].transport, "UDP");
  EXPECT_EQ((*vias)[1].transport, "SCTP");
  EXPECT_EQ((*vias)[2].transport, "TLS");
  EXPECT_EQ((*vias)[3].transport, "UNKNOWN");
  EXPECT_EQ((*vias)[4].transport, "TCP");
  EXPECT_EQ((*vias)[3].host, "t4.example.com");
  EXPECT_FALSE(screen("transports").response.has_value());
}

TEST_F(Rfc4475, S3_1_1_11_mpart01) {
  Message m = parse("mpart01");
  // "This MESSAGE request contains two body parts. The second part is binary
  // encoded and contains null (0x00) characters. Receivers must take care to
  // frame the received message properly."
  EXPECT_EQ(m.method_id(), Method::kMessage);
  EXPECT_EQ(m.body().size(), 553u);
  EXPECT_NE(m.body().find('\0'), std::string_view::npos);
  EXPECT_EQ(m.body().substr(0, 20), "--7a9cbec02ceef655\r\n");
  EXPECT_EQ(m.body().substr(m.body().size() - 22), "--7a9cbec02ceef655--\r\n");
  Result<MediaType> ct = get_content_type(m);
  ASSERT_TRUE(ct.ok());
  EXPECT_EQ(ct->type, "multipart");
  EXPECT_EQ(ct->subtype, "mixed");
  EXPECT_EQ(ct->params.get("boundary"), "7a9cbec02ceef655");
  Result<Via> via = get_top_via(m);
  EXPECT_EQ(via->port, 5070);
  EXPECT_TRUE(via->has_rport());
  EXPECT_FALSE(via->rport().has_value());
  EXPECT_EQ(get_user_agent(m), "SIPimp.org/0.2.5 (curses)");
  // "Parsers must accept this message as well formed, even if the
  // application above the parser does not support multipart/signed."
  ValidationPolicy multipart = policy;
  multipart.content_types.push_back("multipart/mixed");
  EXPECT_FALSE(screen("mpart01", multipart).response.has_value());
  expect_round_trip(m);
}

TEST_F(Rfc4475, S3_1_1_12_unreason) {
  Message m = parse("unreason");
  // "This 200 response contains a reason phrase other than "OK" ... unreserved
  // and non-ascii UTF-8 characters. This response is well formed."
  EXPECT_TRUE(m.is_response());
  EXPECT_EQ(m.status_code(), 200);
  EXPECT_EQ(m.reason().substr(0, 16), "= 2**3 * 5**2 \xd0\xbd");
  EXPECT_EQ(m.reason().size(), 74u);
  EXPECT_EQ(m.body().size(), 154u);
  EXPECT_EQ(screen("unreason").action, Action::kProcess);
}

TEST_F(Rfc4475, S3_1_1_13_noreason) {
  Message m = parse("noreason");
  // "This well-formed response contains no reason phrase. A parser must
  // accept this message."
  EXPECT_EQ(m.status_code(), 100);
  EXPECT_TRUE(m.reason().empty());
  // "a liberal receiver would accept it anyway" without the SP.
  std::string no_sp = torture_bytes("noreason");
  no_sp.erase(no_sp.find("100 ") + 3, 1);
  Result<Message> liberal = parse_message(no_sp);
  ASSERT_TRUE(liberal.ok());
  EXPECT_EQ(liberal->status_code(), 100);
  EXPECT_EQ(screen("noreason").action, Action::kProcess);
}

// -------------------------------------------------------------- 3.1.2 invalid

TEST_F(Rfc4475, S3_1_2_1_badinv01) {
  // "This message is syntactically invalid. An element receiving this request
  // should respond with a 400 Bad Request error."
  const Screened s = screen("badinv01");
  expect_response(s, 400);
  EXPECT_EQ(s.reason, "Bad Via Header");
  EXPECT_EQ(s.response->value(HeaderId::kCallId), "badinv01.0ha0isndaksdjasdf3234nas");
}

TEST_F(Rfc4475, S3_1_2_2_clerr) {
  // "When sent over UDP (as this message ostensibly was), the receiving
  // element should respond with a 400 Bad Request error."
  EXPECT_FALSE(parse_message(torture_bytes("clerr")).ok());
  const Screened s = screen("clerr");
  expect_response(s, 400);
  EXPECT_EQ(s.reason, "Content-Length Exceeds Message");
  EXPECT_EQ(s.response->value(HeaderId::kCSeq), "8 INVITE");
}

TEST_F(Rfc4475, S3_1_2_3_ncl) {
  // "This request has a negative value for Content-Length. An element
  // receiving this message should respond with an error."
  const Screened s = screen("ncl");
  expect_response(s, 400);
  EXPECT_EQ(s.reason, "Bad Content-Length");
  // "The same behavior is appropriate for messages that arrive without a
  // numeric value in the Content-Length header field, such as ... five."
  std::string five = torture_bytes("ncl");
  five.replace(five.find("-999"), 4, "five");
  expect_response(screen_message(five, policy), 400);
}

TEST_F(Rfc4475, S3_1_2_4_scalar02) {
  // "An element receiving this request should respond with a 400 Bad Request
  // due to the CSeq error."
  const Screened s = screen("scalar02");
  expect_response(s, 400);
  EXPECT_EQ(s.reason, "Bad CSeq Header");
  // "If only the expiry values were in error, the element could treat them
  // as if they contained the default values": the Contact expires is unset.
  Message m = parse("scalar02");
  EXPECT_FALSE((*get_contacts(m))[0].expires().has_value());
  EXPECT_FALSE(get_max_forwards(m).ok());  // "The Max-Forwards value is >255."
}

TEST_F(Rfc4475, S3_1_2_5_scalarlg) {
  // "An element receiving this response will simply discard it."
  const Screened s = screen("scalarlg");
  EXPECT_EQ(s.action, Action::kDrop);
  EXPECT_EQ(s.reason, "Bad CSeq");
}

TEST_F(Rfc4475, S3_1_2_6_quotbal) {
  // "This is a request with an unterminated quote in the display name of the
  // To field. An element receiving this request should return a 400 Bad
  // Request error."
  const Screened s = screen("quotbal");
  expect_response(s, 400);
  EXPECT_EQ(s.reason, "Bad To Header");
}

TEST_F(Rfc4475, S3_1_2_7_ltgtruri) {
  // "This INVITE request is invalid because the Request-URI has been enclosed
  // within in "<>". It is reasonable always to reject a request with this
  // error with a 400 Bad Request."
  const Screened s = screen("ltgtruri");
  expect_response(s, 400);
  EXPECT_EQ(s.reason, "Malformed Request-URI");
}

TEST_F(Rfc4475, S3_1_2_8_lwsruri) {
  // "This INVITE has illegal LWS within the Request-URI. An element receiving
  // this request should respond with a 400 Bad Request."
  const Screened s = screen("lwsruri");
  expect_response(s, 400);
  EXPECT_EQ(s.reason, "Whitespace In Request-URI");
}

TEST_F(Rfc4475, S3_1_2_9_lwsstart) {
  // "This INVITE has illegal multiple SP characters between elements of the
  // start line. It is acceptable to reject this request as malformed."
  const Screened s = screen("lwsstart");
  expect_response(s, 400);
  EXPECT_EQ(s.reason, "Extra Whitespace In Request-Line");
}

TEST_F(Rfc4475, S3_1_2_10_trws) {
  // "This OPTIONS request contains SP characters between the SIP-Version
  // field and the CRLF terminating the Request-Line. It is acceptable to
  // reject this request as malformed."
  const Screened s = screen("trws");
  expect_response(s, 400);
  EXPECT_EQ(s.reason, "Trailing Whitespace In Request-Line");
}

TEST_F(Rfc4475, S3_1_2_11_escruri) {
  // "This INVITE is malformed, as the SIP Request-URI contains escaped
  // headers. It is acceptable for an element to reject this request with a
  // 400 Bad Request."
  const Screened s = screen("escruri");
  expect_response(s, 400);
  EXPECT_EQ(s.reason, "Headers In Request-URI");
}

TEST_F(Rfc4475, S3_1_2_12_baddate) {
  // "This request is malformed, as the Date header field is required to use
  // GMT ... It is acceptable to reject this request as malformed."
  const Screened s = screen("baddate");
  expect_response(s, 400);
  EXPECT_EQ(s.reason, "Bad Date Header");
}

TEST_F(Rfc4475, S3_1_2_13_regbadct) {
  // "The SIP URI contained in the Contact Header field has an escaped header,
  // so the field must be in name-addr form ... It is reasonable for an
  // element receiving this request to respond with a 400 Bad Request."
  const Screened s = screen("regbadct");
  expect_response(s, 400);
  EXPECT_EQ(s.reason, "Bad Contact Header");
}

TEST_F(Rfc4475, S3_1_2_14_badaspec) {
  // "This request is malformed, since the addr-spec in the To header field
  // contains spaces. Parsers receiving this request must not break. It is
  // reasonable to reject this request with a 400 Bad Request response."
  const Screened s = screen("badaspec");
  expect_response(s, 400);
  EXPECT_EQ(s.reason, "Bad To Header");
}

TEST_F(Rfc4475, S3_1_2_15_baddn) {
  // "the display names in the To and From header fields contain non-token
  // characters but are unquoted. It is reasonable always to reject this kind
  // of error with a 400 Bad Request response."
  const Screened s = screen("baddn");
  expect_response(s, 400);
  EXPECT_EQ(s.reason, "Bad From Header");
  EXPECT_FALSE(get_to(parse("baddn")).ok());
}

TEST_F(Rfc4475, S3_1_2_16_badvers) {
  // "To an element implementing [RFC3261], this request is malformed due to
  // its high version number. The element should respond to the request with
  // a 505 Version Not Supported error."
  expect_response(screen("badvers"), 505);
}

TEST_F(Rfc4475, S3_1_2_17_mismatch01) {
  // "This request has mismatching values for the method in the start line and
  // the CSeq header field. Any element receiving this request will respond
  // with a 400 Bad Request."
  const Screened s = screen("mismatch01");
  expect_response(s, 400);
  EXPECT_EQ(s.reason, "CSeq Method Does Not Match Request Method");
}

TEST_F(Rfc4475, S3_1_2_18_mismatch02) {
  // "This message has an unknown method in the start line, and a CSeq method
  // tag that does not match. Any element receiving this response should
  // respond with a 501 Not Implemented. A 400 Bad Request is also acceptable."
  expect_response(screen("mismatch02"), 501);
  // Without a method check the mismatch itself earns the 400.
  ValidationPolicy any_method = policy;
  any_method.methods.clear();
  expect_response(screen("mismatch02", any_method), 400);
}

TEST_F(Rfc4475, S3_1_2_19_bigcode) {
  // "This response has a response code larger than 699. An element receiving
  // this response should simply drop it."
  EXPECT_FALSE(parse_message(torture_bytes("bigcode")).ok());
  EXPECT_EQ(screen("bigcode").action, Action::kDrop);
}

// ------------------------------------------------- 3.2 transaction layer

TEST_F(Rfc4475, S3_2_1_badbranch) {
  // "A parser must not break when receiving this message. An element
  // receiving this request could reject the request with a 400 Response ...
  // or it could fall back to the RFC 2543-style transaction identifier."
  // We fall back: the request is processed and the branch is not treated as
  // an RFC 3261 one.
  Message m = parse("badbranch");
  EXPECT_EQ(get_top_via(m)->branch(), "z9hG4bK");
  EXPECT_FALSE(get_top_via(m)->is_rfc3261_branch());
  EXPECT_EQ(screen("badbranch").action, Action::kProcess);
}

// ---------------------------------------------- 3.3 application layer

TEST_F(Rfc4475, S3_3_1_insuf) {
  // "This request contains no Call-ID, From, or To header fields. An element
  // receiving this message must not break because of the missing
  // information. Ideally, it will respond with a 400 Bad Request error."
  const Screened s = screen("insuf");
  expect_response(s, 400);
  EXPECT_EQ(s.reason, "Missing To Header");
  EXPECT_EQ(s.response->value(HeaderId::kCSeq), "193942 INVITE");
}

TEST_F(Rfc4475, S3_3_2_unkscm) {
  // "A parser must accept this as a well-formed SIP request. An element
  // receiving this request will reject it with a 416 Unsupported URI Scheme
  // response ... Despite the fact that the To header field contains a
  // perfectly usable SIP URI, the message should be rejected."
  Message m = parse("unkscm");
  Result<Uri> ruri = parse_uri(m.request_uri());
  ASSERT_TRUE(ruri.ok());
  EXPECT_EQ(ruri->scheme, UriScheme::kOther);
  EXPECT_EQ(ruri->opaque, "totallyopaquecontent");
  expect_response(screen("unkscm"), 416);
}

TEST_F(Rfc4475, S3_3_3_novelsc) {
  // "A parser must accept this as a well-formed SIP request. If an element
  // will never accept this scheme as meaningful in a Request-URI, it is
  // appropriate to treat it as unknown and return a 416."
  Message m = parse("novelsc");
  EXPECT_EQ(parse_uri(m.request_uri())->scheme_name, "soap.beep");
  expect_response(screen("novelsc"), 416);
}

TEST_F(Rfc4475, S3_3_4_unksm2) {
  // "The message is syntactically valid. Parsers must not fail when
  // receiving this message."
  Message m = parse("unksm2");
  EXPECT_EQ(get_to(m)->uri.scheme_name, "isbn");
  EXPECT_EQ(get_from(m)->uri.scheme_name, "http");
  EXPECT_EQ((*get_contacts(m))[0].address.uri.scheme_name, "name");
  EXPECT_EQ(screen("unksm2").action, Action::kProcess);
  // "A registrar would reject this request with a 400 Bad Request response,
  // since the To: header field is required to contain a SIP or SIPS URI as
  // an AOR."
  ValidationPolicy registrar = policy;
  registrar.registrar = true;
  expect_response(screen("unksm2", registrar), 400);
}

TEST_F(Rfc4475, S3_3_5_bext01) {
  // "Any element receiving this request will respond with a 420 Bad Extension
  // response, containing an Unsupported header field listing these features
  // from either the Require or Proxy-Require header field, depending on the
  // role in which the element is responding."
  const Screened uas = screen("bext01");
  expect_response(uas, 420);
  EXPECT_EQ(uas.response->value(HeaderId::kUnsupported),
            "nothingSupportsThis, nothingSupportsThisEither");
  ValidationPolicy proxy = policy;
  proxy.role = Role::kProxy;
  const Screened px = screen("bext01", proxy);
  expect_response(px, 420);
  EXPECT_EQ(px.response->value(HeaderId::kUnsupported),
            "noProxiesSupportThis, norDoAnyProxiesSupportThis");
}

TEST_F(Rfc4475, S3_3_6_invut) {
  // "An endpoint receiving this request would reject it with a 415
  // Unsupported Media Type error." (RFC 3261 §8.2.3: "The response MUST
  // contain an Accept header field listing the types of all bodies it
  // understands")
  EXPECT_EQ(get_content_type(parse("invut"))->subtype, "unknownformat");
  const Screened s = screen("invut");
  expect_response(s, 415);
  EXPECT_EQ(s.response->value(HeaderId::kAccept), "application/sdp");
}

TEST_F(Rfc4475, S3_3_7_regaut01) {
  // "The request is well formed. A parser must not fail when receiving it."
  Message m = parse("regaut01");
  Result<std::vector<AuthHeader>> auth = get_auth_headers(m, HeaderId::kAuthorization);
  ASSERT_TRUE(auth.ok());
  EXPECT_EQ((*auth)[0].scheme, "NoOneKnowsThisScheme");
  EXPECT_EQ((*auth)[0].params.get("opaque-data"), "here");
  // "A registrar that does not care about challenge-response authentication
  // will simply ignore the Authorization header field" -- so the validator
  // passes it; "A registrar that does care ... will reject this request with
  // a 401, issuing a new challenge with a scheme it understands": the digest
  // layer reports the header as not Digest so the registrar challenges.
  EXPECT_EQ(screen("regaut01").action, Action::kProcess);
  EXPECT_EQ(parse_digest_credentials(*m.value(HeaderId::kAuthorization)).error().code,
            ErrorCode::kNotFound);
}

TEST_F(Rfc4475, S3_3_8_multi01) {
  // "This request contains several single-value header fields that have
  // multiple values ... An element receiving this request would respond with
  // a 400 Bad Request error."
  const Screened s = screen("multi01");
  expect_response(s, 400);
  EXPECT_EQ(s.reason, "Multiple From Headers");
}

TEST_F(Rfc4475, S3_3_9_mcl01) {
  // "Multiple conflicting Content-Length header field values appear in this
  // request. From a framing perspective, this situation is equivalent to an
  // invalid Content-Length value ... An element receiving this message
  // should respond with an error."
  EXPECT_FALSE(parse_message(torture_bytes("mcl01")).ok());
  const Screened s = screen("mcl01");
  expect_response(s, 400);
  EXPECT_EQ(s.reason, "Conflicting Content-Length");
}

TEST_F(Rfc4475, S3_3_10_bcast) {
  // "The message is well formed; parsers must not fail when receiving it."
  Message m = parse("bcast");
  EXPECT_EQ((*get_vias(m))[1].host, "255.255.255.255");
  // "Per [RFC3261], an endpoint receiving this message should simply discard
  // it." (RFC 3261 §8.1.3.3: more than one Via at a UAC)
  EXPECT_EQ(screen("bcast").action, Action::kDrop);
  // "proxies should drop such responses."
  ValidationPolicy proxy = policy;
  proxy.role = Role::kProxy;
  const Screened px = screen("bcast", proxy);
  EXPECT_EQ(px.action, Action::kDrop);
  EXPECT_EQ(px.reason, "Broadcast Via");
}

TEST_F(Rfc4475, S3_3_11_zeromf) {
  EXPECT_EQ(*get_max_forwards(parse("zeromf")), 0u);
  // "An endpoint should process the request as if the Max-Forwards field
  // value were still positive."
  EXPECT_EQ(screen("zeromf").action, Action::kProcess);
  // "A proxy should not forward the request and should respond 483 (Too
  // Many Hops)." -- and so does the B2BUA, which forwards calls.
  ValidationPolicy forwarding = policy;
  forwarding.reject_zero_max_forwards = true;
  expect_response(screen("zeromf", forwarding), 483);
}

TEST_F(Rfc4475, S3_3_12_cparam01) {
  // "This register request contains a contact where the 'unknownparam'
  // parameter must be interpreted as a contact-param and not a url-param."
  Message m = parse("cparam01");
  const Contact c = (*get_contacts(m))[0];
  EXPECT_TRUE(c.params().has("unknownparam"));
  EXPECT_TRUE(c.address.uri.params.empty());
  EXPECT_EQ(c.address.uri.text, "sip:+19725552222@gw1.example.net");
  // "This REGISTER should succeed."
  ValidationPolicy registrar = policy;
  registrar.registrar = true;
  EXPECT_EQ(screen("cparam01", registrar).action, Action::kProcess);
}

TEST_F(Rfc4475, S3_3_13_cparam02) {
  // "This register request contains a contact where the URI has an unknown
  // parameter. The register should succeed, and a subsequent retrieval of
  // the registration must include "unknownparam" as a url-parameter."
  Message m = parse("cparam02");
  const Contact c = (*get_contacts(m))[0];
  EXPECT_TRUE(c.address.uri.params.has("unknownparam"));
  EXPECT_TRUE(c.params().empty());
  EXPECT_EQ(c.address.uri.text, "sip:+19725552222@gw1.example.net;unknownparam");
  ValidationPolicy registrar = policy;
  registrar.registrar = true;
  EXPECT_EQ(screen("cparam02", registrar).action, Action::kProcess);
}

TEST_F(Rfc4475, S3_3_14_regescrt) {
  // "This register request contains a contact where the URI has an escaped
  // header. The register should succeed, and a subsequent retrieval of the
  // registration must include the escaped Route header in the contact URI."
  Message m = parse("regescrt");  // compact "M" and "L"
  const Contact c = (*get_contacts(m))[0];
  ASSERT_EQ(c.address.uri.headers.size(), 1u);
  EXPECT_EQ(c.address.uri.headers[0].name, "Route");
  EXPECT_EQ(unescape(c.address.uri.headers[0].value), "<sip:sip.example.com>");
  EXPECT_EQ(c.address.uri.text, "sip:user@example.com?Route=%3Csip:sip.example.com%3E");
  ValidationPolicy registrar = policy;
  registrar.registrar = true;
  EXPECT_EQ(screen("regescrt", registrar).action, Action::kProcess);
}

TEST_F(Rfc4475, S3_3_15_sdp01) {
  // "The recipient of this request could respond with a 406 Not Acceptable,
  // with a Warning/399 indicating that a response cannot be formulated in
  // the formats offered in the Accept header field."
  const Screened s = screen("sdp01");
  expect_response(s, 406);
  ASSERT_TRUE(s.response->value(HeaderId::kWarning));
  EXPECT_EQ(s.response->value(HeaderId::kWarning)->substr(0, 4), "399 ");
  EXPECT_EQ(s.response->value(HeaderId::kAccept), "application/sdp");
}

// ------------------------------------------------ 3.4 backward compatibility

TEST_F(Rfc4475, S3_4_1_inv2543) {
  // "This is a legal message per RFC 2543 ... that should be accepted by RFC
  // 3261 elements that want to maintain backwards compatibility."
  Message m = parse("inv2543");
  // "There is no branch parameter at all on the Via header field value."
  EXPECT_FALSE(get_top_via(m)->branch().has_value());
  // "There is no From tag."
  EXPECT_FALSE(get_from(m)->tag().has_value());
  // "There is no explicit Content-Length (The body is assumed to be all
  // octets in the datagram after the null-line)."
  EXPECT_EQ(m.count(HeaderId::kContentLength), 0u);
  EXPECT_EQ(m.body().substr(0, 4), "v=0\r");
  EXPECT_EQ(m.body().size(), 105u);
  // "There is no Max-Forwards header field."
  EXPECT_EQ(m.count(HeaderId::kMaxForwards), 0u);
  EXPECT_EQ(screen("inv2543").action, Action::kProcess);
  // Over a stream the missing Content-Length is a framing error.
  EXPECT_FALSE(parse_message(torture_bytes("inv2543"), {}, Framing::kStream).ok());
  expect_round_trip(m);
}

}  // namespace
}  // namespace switchboard::sip
