// UAS request checks (RFC 3261 §8.2) and response checks, one per rule.
#include "sip/validator.hpp"

#include <gtest/gtest.h>

#include <string>

#include "sip/message_headers.hpp"
#include "sip/screen.hpp"
#include "test_util.hpp"

namespace switchboard::sip {
namespace {

using test::crlf;
using test::parse_ok;

std::string request(std::string_view start, std::string_view extra = "",
                    std::string_view body = "") {
  std::string s(start);
  s += "\nVia: SIP/2.0/UDP host.example.com;branch=z9hG4bKv1\n"
       "From: <sip:alice@example.com>;tag=1\nTo: <sip:bob@example.com>\n"
       "Call-ID: v1@example.com\nMax-Forwards: 70\n";
  const std::string_view method = start.substr(0, start.find(' '));
  s += "CSeq: 1 " + std::string(method) + "\n";
  s += extra;
  s += "\n";
  s += body;
  return s;
}

std::optional<Rejection> check(std::string_view text, const ValidationPolicy& p = {}) {
  return validate_request(parse_ok(text), p);
}

TEST(Validator, AcceptsAWellFormedRequest) {
  EXPECT_FALSE(check(request("OPTIONS sip:bob@example.com SIP/2.0")).has_value());
  EXPECT_FALSE(check(request("INVITE sip:bob@example.com SIP/2.0",
                             "Content-Type: application/sdp\nSupported: timer\n"
                             "Require: replaces\nAccept: application/sdp\n",
                             "v=0\r\n"))
                   .has_value());
}

TEST(Validator, VersionNotSupported) {
  auto r = check(request("OPTIONS sip:bob@example.com SIP/3.0"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code, 505);
}

TEST(Validator, MissingMandatoryHeaders) {
  for (std::string_view name : {"Via", "From", "To", "Call-ID", "CSeq"}) {
    std::string text = request("OPTIONS sip:bob@example.com SIP/2.0");
    const std::size_t at = text.find("\n" + std::string(name) + ":") + 1;
    text.erase(at, text.find('\n', at) - at + 1);
    auto r = check(text);
    ASSERT_TRUE(r) << name;
    EXPECT_EQ(r->status_code, 400);
    EXPECT_EQ(r->reason, "Missing " + std::string(name) + " Header");
  }
}

TEST(Validator, MultipleSingleValuedHeaders) {
  for (std::string_view extra :
       {"Call-ID: other\n", "CSeq: 2 OPTIONS\n", "Max-Forwards: 5\n", "To: <sip:x@y>\n",
        "Content-Type: a/b\nc: a/b\n", "Expires: 1\nExpires: 2\n"}) {
    auto r = check(request("OPTIONS sip:bob@example.com SIP/2.0", extra));
    ASSERT_TRUE(r) << extra;
    EXPECT_EQ(r->status_code, 400);
    EXPECT_EQ(r->reason.substr(0, 9), "Multiple ");
  }
}

TEST(Validator, MalformedHeaders) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"Contact: <sip:a@b\n", "Bad Contact Header"},
      {"Content-Type: sdp\n", "Bad Content-Type Header"},
      {"Expires: soon\n", "Bad Expires Header"},
      {"Route: sip:a@b, ,\n", "Bad Route Header"},
      {"Record-Route: <sip:a@b\n", "Bad Record-Route Header"},
      {"Require: a,,b\n", "Bad Require Header"},
      {"Date: Sat, 13 Nov 2010 23:29:00 PST\n", "Bad Date Header"},
  };
  for (const auto& [extra, reason] : cases) {
    auto r = check(request("OPTIONS sip:bob@example.com SIP/2.0", extra));
    ASSERT_TRUE(r) << extra;
    EXPECT_EQ(r->status_code, 400);
    EXPECT_EQ(r->reason, reason);
  }
  EXPECT_FALSE(check(
      request("OPTIONS sip:bob@example.com SIP/2.0", "Date: Sat, 13 Nov 2010 23:29:00 GMT\n")));
}

TEST(Validator, MethodChecks) {
  auto unknown = check(request("FROB sip:bob@example.com SIP/2.0"));
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status_code, 501);
  ValidationPolicy no_publish;
  no_publish.methods = {"INVITE", "ACK"};
  auto known = check(request("PUBLISH sip:bob@example.com SIP/2.0"), no_publish);
  ASSERT_TRUE(known);
  EXPECT_EQ(known->status_code, 405);  // §8.2.1: recognized but not supported
  EXPECT_EQ(known->headers[0].first, "Allow");
  EXPECT_EQ(known->headers[0].second, "INVITE, ACK");
}

TEST(Validator, CSeqMethodMismatch) {
  std::string text = request("OPTIONS sip:bob@example.com SIP/2.0");
  text.replace(text.find("CSeq: 1 OPTIONS"), 15, "CSeq: 1 INVITE");
  auto r = check(text);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code, 400);
}

TEST(Validator, RequestUriChecks) {
  auto scheme = check(request("OPTIONS mailto:bob@example.com SIP/2.0"));
  ASSERT_TRUE(scheme);
  EXPECT_EQ(scheme->status_code, 416);
  EXPECT_FALSE(check(request("OPTIONS tel:+12015550123 SIP/2.0")));
  EXPECT_FALSE(check(request("OPTIONS sips:bob@example.com SIP/2.0")));
  auto headers = check(request("OPTIONS sip:bob@example.com?Subject=x SIP/2.0"));
  ASSERT_TRUE(headers);
  EXPECT_EQ(headers->status_code, 400);
  auto bad = check(request("OPTIONS sip:bob@exa%mple.com SIP/2.0"));
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->reason, "Bad Request-URI");
}

TEST(Validator, MaxForwardsZero) {
  std::string text = request("INVITE sip:bob@example.com SIP/2.0");
  text.replace(text.find("Max-Forwards: 70"), 16, "Max-Forwards: 0");
  EXPECT_FALSE(check(text));
  ValidationPolicy forwarding;
  forwarding.reject_zero_max_forwards = true;
  auto r = check(text, forwarding);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code, 483);
}

TEST(Validator, RequireAndProxyRequire) {
  const std::string text =
      request("INVITE sip:bob@example.com SIP/2.0", "Require: timer, foo\nProxy-Require: bar\n");
  auto uas = check(text);
  ASSERT_TRUE(uas);
  EXPECT_EQ(uas->status_code, 420);
  EXPECT_EQ(uas->headers[0].first, "Unsupported");
  EXPECT_EQ(uas->headers[0].second, "foo");
  ValidationPolicy proxy;
  proxy.role = Role::kProxy;
  auto px = check(text, proxy);
  ASSERT_TRUE(px);
  EXPECT_EQ(px->headers[0].second, "bar");
  // CANCEL and ACK are not rejected for Require (§8.2.2.3).
  EXPECT_FALSE(check(request("CANCEL sip:bob@example.com SIP/2.0", "Require: foo\n")));
}

TEST(Validator, BodyTypeAndEncoding) {
  auto type =
      check(request("MESSAGE sip:bob@example.com SIP/2.0", "Content-Type: text/plain\n", "hello"));
  ASSERT_TRUE(type);
  EXPECT_EQ(type->status_code, 415);
  EXPECT_EQ(type->headers[0].first, "Accept");
  auto enc = check(request("INVITE sip:bob@example.com SIP/2.0",
                           "Content-Type: application/sdp\nContent-Encoding: gzip\n", "v=0"));
  ASSERT_TRUE(enc);
  EXPECT_EQ(enc->status_code, 415);
  EXPECT_EQ(enc->headers[0].first, "Accept-Encoding");
  EXPECT_EQ(enc->headers[0].second, "identity");
  auto untyped = check(request("MESSAGE sip:bob@example.com SIP/2.0", "", "hello"));
  ASSERT_TRUE(untyped);
  EXPECT_EQ(untyped->reason, "Missing Content-Type Header");
  // An empty body needs no type.
  EXPECT_FALSE(check(request("MESSAGE sip:bob@example.com SIP/2.0", "Content-Type: text/x\n")));
}

TEST(Validator, AcceptOfInvite) {
  EXPECT_FALSE(check(request("INVITE sip:bob@example.com SIP/2.0", "Accept: application/*\n")));
  EXPECT_FALSE(check(request("INVITE sip:bob@example.com SIP/2.0", "Accept: */*\n")));
  auto r = check(request("INVITE sip:bob@example.com SIP/2.0", "Accept: text/html\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code, 406);
  // Accept on other methods does not concern the SDP answer.
  EXPECT_FALSE(check(request("OPTIONS sip:bob@example.com SIP/2.0", "Accept: text/html\n")));
}

TEST(Validator, RegistrarChecks) {
  ValidationPolicy registrar;
  registrar.registrar = true;
  auto star =
      check(request("REGISTER sip:example.com SIP/2.0", "Contact: *\nExpires: 60\n"), registrar);
  ASSERT_TRUE(star);
  EXPECT_EQ(star->status_code, 400);
  EXPECT_FALSE(
      check(request("REGISTER sip:example.com SIP/2.0", "Contact: *\nExpires: 0\n"), registrar));
}

TEST(Validator, AckIsNeverAnswered) {
  std::string text = request("ACK sip:bob@example.com SIP/2.0");
  text.replace(text.find("Call-ID"), 7, "X-Gone");
  auto r = check(text);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->respond);
  EXPECT_EQ(screen_message(crlf(text), {}).action, Screened::Action::kDrop);
}

TEST(Validator, RejectionResponseCarriesExtraHeaders) {
  Message req = parse_ok(request("INVITE sip:bob@example.com SIP/2.0", "Require: foo\n"));
  auto r = validate_request(req, {});
  ASSERT_TRUE(r);
  Message resp = make_rejection_response(req, *r, "t1");
  EXPECT_EQ(resp.status_code(), 420);
  EXPECT_EQ(resp.reason(), "Bad Extension");
  EXPECT_EQ(resp.value(HeaderId::kUnsupported), "foo");
  EXPECT_EQ(get_to(resp)->tag(), "t1");
  EXPECT_EQ(*get_content_length(resp), 0u);
}

TEST(ValidatorResponse, DropsBadResponses) {
  const std::string ok =
      "SIP/2.0 200 OK\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: <sip:a@b>;tag=1\n"
      "To: <sip:c@d>;tag=2\nCall-ID: x\nCSeq: 1 INVITE\n\n";
  ValidationPolicy uac;
  EXPECT_FALSE(validate_response(parse_ok(ok), uac));
  std::string two_via = ok;
  two_via.insert(two_via.find("From"), "Via: SIP/2.0/UDP p;branch=z9hG4bK2\n");
  EXPECT_EQ(validate_response(parse_ok(two_via), uac), "More Than One Via");
  ValidationPolicy proxy;
  proxy.role = Role::kProxy;
  EXPECT_FALSE(validate_response(parse_ok(two_via), proxy));
  std::string no_cseq = ok;
  no_cseq.erase(no_cseq.find("CSeq"), 15);
  EXPECT_EQ(validate_response(parse_ok(no_cseq), uac), "Missing CSeq");
}

TEST(Screen, UnparseableRequestsAndResponses) {
  // Too large: 513 with the headers copied.
  ParseLimits small;
  small.max_message_size = 100;
  const std::string big =
      crlf(request("OPTIONS sip:bob@example.com SIP/2.0", "X-Pad: " + std::string(50, 'x') + "\n"));
  Screened s = screen_message(big, {}, small);
  ASSERT_EQ(s.action, Screened::Action::kRespond);
  EXPECT_EQ(s.response->status_code(), 513);
  // Headers too broken to answer: dropped.
  EXPECT_EQ(screen_message(crlf("INVITE <x> SIP/2.0\nFoo: bar\n\n"), {}).action,
            Screened::Action::kDrop);
  // A broken response is never answered.
  EXPECT_EQ(screen_message(crlf("SIP/2.0 2000 OK\nVia: SIP/2.0/UDP h\n\n"), {}).action,
            Screened::Action::kDrop);
  EXPECT_EQ(screen_message("garbage", {}).action, Screened::Action::kDrop);
}

}  // namespace
}  // namespace switchboard::sip
