// Serializer, builder and make_response (RFC 3261 §8.2.6).
#include "sip/serializer.hpp"

#include <gtest/gtest.h>

#include "sip/builder.hpp"
#include "sip/message_headers.hpp"
#include "test_util.hpp"

namespace switchboard::sip {
namespace {

using test::crlf;
using test::parse_ok;
using test::parse_wire;

constexpr std::string_view kInvite =
    "INVITE sip:bob@biloxi.example.com SIP/2.0\n"
    "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds, SIP/2.0/TCP "
    "proxy.example.com;branch=z9hG4bKp1\n"
    "Via: SIP/2.0/UDP edge.example.com;branch=z9hG4bKe1;received=192.0.2.7\n"
    "Max-Forwards: 70\n"
    "t: Bob <sip:bob@biloxi.example.com>\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\n"
    "CSeq: 314159 INVITE\n"
    "Timestamp: 54\n"
    "Contact: <sip:alice@pc33.atlanta.example.com>\n"
    "Subject: folded\n"
    " subject\n"
    "Content-Type: application/sdp\n"
    "Content-Length: 4\n"
    "\n"
    "v=0\n";

TEST(Serializer, RoundTripKeepsEveryValue) {
  Message a = parse_ok(kInvite);
  const std::string wire = serialize(a);
  Message b = parse_wire(wire);
  ASSERT_EQ(a.header_count(), b.header_count());
  for (std::size_t i = 0; i < a.header_count(); ++i) {
    EXPECT_EQ(a.header(i).name, b.header(i).name);
    EXPECT_EQ(a.header(i).value, b.header(i).value);
    EXPECT_EQ(a.header(i).id, b.header(i).id);
  }
  EXPECT_EQ(a.method(), b.method());
  EXPECT_EQ(a.request_uri(), b.request_uri());
  EXPECT_EQ(a.body(), b.body());
  // A second round trip is byte-identical (the first unfolded the Subject).
  EXPECT_EQ(serialize(b), wire);
}

TEST(Serializer, ResponseStartLine) {
  Message r = Message::response(486, "Busy Here");
  r.add_header(HeaderId::kCallId, "x@y");
  EXPECT_EQ(serialize(r), "SIP/2.0 486 Busy Here\r\nCall-ID: x@y\r\nContent-Length: 0\r\n\r\n");
}

TEST(Serializer, ContentLengthAlwaysMatchesBody) {
  Message m = parse_ok("MESSAGE sip:a@b SIP/2.0\nContent-Length: 2\nl: 2\n\nhi");
  m.set_body("hello");
  const std::string wire = serialize(m);
  EXPECT_NE(wire.find("Content-Length: 5\r\n"), std::string::npos);
  EXPECT_EQ(wire.find("l: 2"), std::string::npos);  // duplicate dropped
  Message again = parse_wire(wire);
  EXPECT_EQ(again.body(), "hello");
  // A datagram without Content-Length gains one.
  Message no_cl = parse_ok("MESSAGE sip:a@b SIP/2.0\n\nhi");
  EXPECT_NE(serialize(no_cl).find("Content-Length: 2\r\n\r\nhi"), std::string::npos);
}

TEST(Builder, MakeRequest) {
  RequestParams p;
  p.method = "INVITE";
  p.request_uri = "sip:bob@biloxi.example.com";
  p.from = "\"Alice\" <sip:alice@atlanta.example.com>";
  p.from_tag = "88sja8x";
  p.to = "<sip:bob@biloxi.example.com>";
  p.call_id = "987asjd97y7atg";
  p.cseq = 986759;
  p.via_sent_by = "pc33.atlanta.example.com:5060";
  const std::string branch = make_branch();
  p.branch = branch;
  p.contact = "<sip:alice@pc33.atlanta.example.com>";
  p.content_type = "application/sdp";
  p.body = "v=0\r\n";
  Message built = make_request(p);
  Message m = parse_wire(serialize(built));
  EXPECT_EQ(m.method_id(), Method::kInvite);
  EXPECT_EQ(get_top_via(m)->branch(), branch);
  EXPECT_TRUE(get_top_via(m)->is_rfc3261_branch());
  EXPECT_EQ(get_top_via(m)->port, 5060);
  EXPECT_EQ(*get_max_forwards(m), 70u);
  EXPECT_EQ(get_from(m)->tag(), "88sja8x");
  EXPECT_FALSE(get_to(m)->tag().has_value());
  EXPECT_EQ(get_cseq(m)->number, 986759u);
  EXPECT_EQ(get_cseq(m)->method, "INVITE");
  EXPECT_EQ(*get_content_length(m), 5u);
  EXPECT_EQ(m.body(), "v=0\r\n");
  EXPECT_EQ(m.value(HeaderId::kContentType), "application/sdp");
}

TEST(Builder, MakeResponseCopiesHeadersPerRfc3261) {
  Message req = parse_ok(kInvite);
  Message r = make_response(req, 200, "OK", "a6c85cf");
  EXPECT_EQ(r.status_code(), 200);
  // §8.2.6.2: "The Via header field values in the response MUST equal the
  // Via header field values in the request and MUST maintain the same ordering."
  ASSERT_EQ(r.count(HeaderId::kVia), 2u);
  EXPECT_EQ(r.values(HeaderId::kVia)[0], req.values(HeaderId::kVia)[0]);
  EXPECT_EQ(r.values(HeaderId::kVia)[1], req.values(HeaderId::kVia)[1]);
  EXPECT_EQ(get_vias(r)->size(), 3u);
  // "The From field of the response MUST equal the From header field of the
  // request. The Call-ID ... The CSeq ..."
  EXPECT_EQ(r.value(HeaderId::kFrom), req.value(HeaderId::kFrom));
  EXPECT_EQ(r.value(HeaderId::kCallId), req.value(HeaderId::kCallId));
  EXPECT_EQ(r.value(HeaderId::kCSeq), req.value(HeaderId::kCSeq));
  // "the UAS MUST add a tag to the To header field in the response"
  EXPECT_EQ(get_to(r)->tag(), "a6c85cf");
  EXPECT_EQ(get_to(r)->uri.text, "sip:bob@biloxi.example.com");
  // Nothing else is copied; Timestamp only for 100 (§8.2.6.1).
  EXPECT_EQ(r.count(HeaderId::kContact), 0u);
  EXPECT_EQ(r.count(HeaderId::kTimestamp), 0u);
  EXPECT_TRUE(r.body().empty());

  Message trying = make_response(req, 100, "Trying", "ignored");
  EXPECT_FALSE(get_to(trying)->tag().has_value());  // 100 carries no tag
  EXPECT_EQ(trying.value(HeaderId::kTimestamp), "54");

  // An existing To tag (in-dialog request) is kept, not doubled.
  Message in_dialog = parse_ok(
      "BYE sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: <sip:a@b>;tag=1\n"
      "To: <sip:c@d>;tag=2\nCall-ID: x\nCSeq: 2 BYE\n\n");
  Message ok = make_response(in_dialog, 200, "OK", "3");
  EXPECT_EQ(ok.value(HeaderId::kTo), "<sip:c@d>;tag=2");
}

TEST(Builder, EditingHeaders) {
  Message m = parse_ok(kInvite);
  m.prepend_header(HeaderId::kVia, "SIP/2.0/UDP new.example.com;branch=z9hG4bKnew");
  EXPECT_EQ(get_top_via(m)->host, "new.example.com");
  EXPECT_EQ(m.remove_headers(HeaderId::kSubject), 1u);
  EXPECT_FALSE(m.value(HeaderId::kSubject));
  m.set_header(HeaderId::kMaxForwards, "69");
  EXPECT_EQ(*get_max_forwards(m), 69u);
  EXPECT_TRUE(m.remove_first(HeaderId::kVia));
  EXPECT_EQ(get_top_via(m)->host, "pc33.atlanta.example.com");
  // Copying a value from the message into itself must not read freed memory.
  const std::string_view from = *m.value(HeaderId::kFrom);
  m.add_header("X-Copy", from);
  EXPECT_EQ(m.value("x-copy"), m.value(HeaderId::kFrom));
  m.set_request_uri("sip:carol@chicago.example.com");
  EXPECT_EQ(parse_wire(serialize(m)).request_uri(), "sip:carol@chicago.example.com");
  EXPECT_EQ(m.remove_headers("X-COPY"), 1u);
}

TEST(Builder, ReasonPhrasesAndRandomness) {
  EXPECT_EQ(default_reason_phrase(404), "Not Found");
  EXPECT_EQ(default_reason_phrase(420), "Bad Extension");
  EXPECT_EQ(default_reason_phrase(299), "");
  EXPECT_EQ(random_hex(8).size(), 16u);
  EXPECT_NE(make_branch(), make_branch());
}

}  // namespace
}  // namespace switchboard::sip
