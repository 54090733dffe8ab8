#include "sip/parser.hpp"

#include <gtest/gtest.h>

#include <string>

#include "sip/message_headers.hpp"
#include "test_util.hpp"

namespace switchboard::sip {
namespace {

using test::crlf;
using test::parse_ok;

constexpr std::string_view kInvite =
    "INVITE sip:bob@biloxi.example.com SIP/2.0\n"
    "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\n"
    "Max-Forwards: 70\n"
    "To: Bob <sip:bob@biloxi.example.com>\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\n"
    "CSeq: 314159 INVITE\n"
    "Contact: <sip:alice@pc33.atlanta.example.com>\n"
    "Content-Type: application/sdp\n"
    "Content-Length: 4\n"
    "\n"
    "v=0\n";

TEST(Parser, ParsesRequestLineHeadersAndBody) {
  Message m = parse_ok(kInvite);
  EXPECT_TRUE(m.is_request());
  EXPECT_EQ(m.method(), "INVITE");
  EXPECT_EQ(m.method_id(), Method::kInvite);
  EXPECT_EQ(m.request_uri(), "sip:bob@biloxi.example.com");
  EXPECT_EQ(m.version(), "SIP/2.0");
  EXPECT_EQ(m.header_count(), 9u);
  EXPECT_EQ(m.header(0).name, "Via");
  EXPECT_EQ(m.header(0).id, HeaderId::kVia);
  EXPECT_EQ(m.value(HeaderId::kCallId), "a84b4c76e66710@pc33.atlanta.example.com");
  EXPECT_EQ(m.body(), "v=0\r");
}

TEST(Parser, ParsesStatusLine) {
  Message m = parse_ok("SIP/2.0 180 Ringing\nContent-Length: 0\n\n");
  EXPECT_TRUE(m.is_response());
  EXPECT_EQ(m.status_code(), 180);
  EXPECT_EQ(m.reason(), "Ringing");
  EXPECT_TRUE(m.method().empty());
}

TEST(Parser, HeaderNamesAreCaseInsensitiveAndCompactFormsMapToIds) {
  Message m = parse_ok(
      "OPTIONS sip:a@b SIP/2.0\n"
      "v: SIP/2.0/UDP h\ni: x\nf: <sip:a@b>;tag=1\nt: <sip:c@d>\nm: <sip:e@f>\nl: 0\n"
      "c: text/plain\ne: gzip\nk: timer\ns: hi\no: presence\nr: <sip:g@h>\nb: <sip:i@j>\n"
      "x: 90\nu: talk\ny: abc\nCALL-id: ignored-dup\n\n");
  const HeaderId expected[] = {
      HeaderId::kVia,         HeaderId::kCallId,          HeaderId::kFrom,
      HeaderId::kTo,          HeaderId::kContact,         HeaderId::kContentLength,
      HeaderId::kContentType, HeaderId::kContentEncoding, HeaderId::kSupported,
      HeaderId::kSubject,     HeaderId::kEvent,           HeaderId::kReferTo,
      HeaderId::kReferredBy,  HeaderId::kSessionExpires,  HeaderId::kAllowEvents,
      HeaderId::kIdentity,    HeaderId::kCallId};
  ASSERT_EQ(m.header_count(), std::size(expected));
  for (std::size_t i = 0; i < m.header_count(); ++i) EXPECT_EQ(m.header(i).id, expected[i]) << i;
  EXPECT_EQ(m.count(HeaderId::kCallId), 2u);
  EXPECT_EQ(m.value("Call-Id"), "x");
  EXPECT_EQ(m.value("i"), "x");
  EXPECT_EQ(header_canonical_name(HeaderId::kWwwAuthenticate), "WWW-Authenticate");
  EXPECT_EQ(header_id_from_name("www-authenticate"), HeaderId::kWwwAuthenticate);
  EXPECT_EQ(header_compact_form(HeaderId::kVia), 'v');
}

TEST(Parser, UnfoldsContinuationLinesInPlace) {
  Message m = parse_ok(
      "OPTIONS sip:a@b SIP/2.0\n"
      "Subject: first\n"
      " second\n"
      "\tthird\n"
      "X-Empty:\n"
      "  \n"
      "Content-Length: 0\n\n");
  EXPECT_EQ(m.value(HeaderId::kSubject), "first   second  \tthird");
  EXPECT_EQ(m.value("X-Empty"), "");
}

TEST(Parser, IgnoresLeadingCrlfAndAcceptsBareLf) {
  Result<Message> m = parse_message("\r\n\r\nOPTIONS sip:a@b SIP/2.0\nContent-Length: 0\n\n");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->method(), "OPTIONS");
}

TEST(Parser, RejectsMalformedInput) {
  const char* bad[] = {
      "",
      "\r\n\r\n",
      "OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 0\r\n",  // no empty line
      "OPTIONS sip:a@b SIP/2.0",                           // no CRLF at all
      " OPTIONS sip:a@b SIP/2.0\r\n\r\n",                  // leading space
      "OPTIONS sip:a@b HTTP/1.1\r\n\r\n",                  // not SIP
      "OPTIONS sip:a@b SIP/2\r\n\r\n",                     // bad version
      "OPT<IONS sip:a@b SIP/2.0\r\n\r\n",                  // non-token method
      "OPTIONS a@b SIP/2.0\r\n\r\n",                       // no scheme
      "SIP/2.0 20 OK\r\n\r\n",                             // 2-digit code
      "SIP/2.0 099 Low\r\n\r\n",                           // < 100
      "SIP/2.0 700 High\r\n\r\n",                          // > 699
      "SIP/2.0 200OK\r\n\r\n",                             // no SP before reason
      "OPTIONS sip:a@b SIP/2.0\r\n continued\r\n\r\n",     // continuation first
      "OPTIONS sip:a@b SIP/2.0\r\nNoColon\r\n\r\n",        // header without colon
      "OPTIONS sip:a@b SIP/2.0\r\n: value\r\n\r\n",        // empty header name
      "OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 99999999999999999999\r\n\r\n",
  };
  for (const char* text : bad) {
    EXPECT_FALSE(parse_message(text).ok()) << text;
  }
}

TEST(Parser, DatagramIgnoresOctetsBeyondContentLength) {
  Result<Message> m = parse_message(crlf("MESSAGE sip:a@b SIP/2.0\nl: 2\n\nhi there"));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->body(), "hi");
}

TEST(Parser, StreamRequiresContentLength) {
  const std::string text = crlf("MESSAGE sip:a@b SIP/2.0\n\nhi");
  EXPECT_TRUE(parse_message(text, {}, Framing::kDatagram).ok());
  Result<Message> s = parse_message(text, {}, Framing::kStream);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "Missing Content-Length");
}

TEST(Parser, EqualDuplicateContentLengthsAreFramedButConflictingOnesFail) {
  EXPECT_TRUE(parse_message(crlf("MESSAGE sip:a@b SIP/2.0\nl: 2\nContent-Length: 2\n\nhi")).ok());
  EXPECT_FALSE(parse_message(crlf("MESSAGE sip:a@b SIP/2.0\nl: 2\nContent-Length: 1\n\nhi")).ok());
}

TEST(Parser, LimitMaxMessageSize) {
  const std::string text = crlf(kInvite);
  ParseLimits limits;
  limits.max_message_size = text.size();
  EXPECT_TRUE(parse_message(text, limits).ok());
  limits.max_message_size = text.size() - 1;
  Result<Message> m = parse_message(text, limits);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().message, "Message Too Large");
}

TEST(Parser, LimitMaxHeaderCount) {
  const std::string text = crlf(kInvite);
  ParseLimits limits;
  limits.max_header_count = 9;
  EXPECT_TRUE(parse_message(text, limits).ok());
  limits.max_header_count = 8;
  Result<Message> m = parse_message(text, limits);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().message, "Too Many Headers");
}

TEST(Parser, LimitMaxLineLength) {
  std::string text = crlf(kInvite);
  text.insert(text.find("\r\n\r\n"), "\r\nX-Long: " + std::string(100, 'a'));
  ParseLimits limits;
  limits.max_line_length = 108;
  EXPECT_TRUE(parse_message(text, limits).ok());
  limits.max_line_length = 107;
  Result<Message> m = parse_message(text, limits);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().message, "Line Too Long");
  // The start line is bounded too.
  limits.max_line_length = 20;
  EXPECT_FALSE(parse_message(crlf("OPTIONS sip:averyveryverylongname@b SIP/2.0\n\n"), limits).ok());
}

TEST(Parser, TryParseLeavesBufferOnFailure) {
  std::string bytes = crlf("INVITE sip:a@b SIP/2.0\nContent-Length: 50\n\nshort");
  const std::string original = bytes;
  EXPECT_FALSE(try_parse_message(bytes).ok());
  EXPECT_EQ(bytes, original);
  std::string good = crlf(kInvite);
  EXPECT_TRUE(try_parse_message(good).ok());
}

TEST(Parser, LenientParseRecoversHeadersOfABrokenRequestLine) {
  Result<Message> m = parse_message_leniently(
      crlf("INVITE  <sip:a@b>   SIP/2.0 \nCall-ID: x\nbroken\nTo: <sip:a@b>\n\n"));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->method(), "INVITE");
  EXPECT_EQ(m->value(HeaderId::kCallId), "x");
  EXPECT_EQ(m->value(HeaderId::kTo), "<sip:a@b>");
}

TEST(Parser, MessageSurvivesCopyAndMove) {
  Message a = parse_ok(kInvite);
  Message b = a;
  Message c = std::move(a);
  EXPECT_EQ(b.value(HeaderId::kCSeq), "314159 INVITE");
  EXPECT_EQ(c.request_uri(), "sip:bob@biloxi.example.com");
  EXPECT_EQ(b.body(), c.body());
}

TEST(Parser, ManyHeadersSpillToHeap) {
  std::string text = "OPTIONS sip:a@b SIP/2.0\n";
  for (int i = 0; i < 60; ++i) text += "Via: SIP/2.0/UDP h" + std::to_string(i) + "\n";
  text += "\n";
  Message m = parse_ok(text);
  EXPECT_EQ(m.count(HeaderId::kVia), 60u);
  Result<std::vector<Via>> vias = get_vias(m);
  ASSERT_TRUE(vias.ok());
  EXPECT_EQ(vias->back().host, "h59");
}

}  // namespace
}  // namespace switchboard::sip
