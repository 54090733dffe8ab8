// RFC 3842 bodies, the message-summary package's authorization, and the
// SUBSCRIBE checks of RFC 6665 as pure functions.
#include <gtest/gtest.h>

#include "core/subscriptions/message_summary.hpp"
#include "core/subscriptions/subscribe_request.hpp"
#include "sip/parser.hpp"

namespace switchboard::core {
namespace {

sip::Message parse(const std::string& text) {
  auto m = sip::parse_message(text);
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
  return m.ok() ? std::move(*m) : sip::Message();
}

std::string subscribe_text(const std::string& ruri, const std::string& extra) {
  return "SUBSCRIBE " + ruri +
         " SIP/2.0\r\n"
         "Via: SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bKabc\r\n"
         "Max-Forwards: 70\r\nFrom: <sip:1001@pbx.test>;tag=f1\r\nTo: <sip:1001@pbx.test>\r\n"
         "Call-ID: c1\r\nCSeq: 1 SUBSCRIBE\r\nContact: <sip:1001@198.51.100.7:5062>\r\n" +
         extra + "Content-Length: 0\r\n\r\n";
}

TEST(MessageSummary, BodyFollowsRfc3842) {
  EXPECT_EQ(render_message_summary({2, 5}, "sip:1001@pbx.test"),
            "Messages-Waiting: yes\r\n"
            "Message-Account: sip:1001@pbx.test\r\n"
            "Voice-Message: 2/5 (0/0)\r\n");
  EXPECT_EQ(render_message_summary({0, 3}, "sip:1002@pbx.test"),
            "Messages-Waiting: no\r\n"
            "Message-Account: sip:1002@pbx.test\r\n"
            "Voice-Message: 0/3 (0/0)\r\n");
  // A negative count (a bug upstream) never reaches a phone.
  EXPECT_EQ(render_message_summary({-1, -4}, "sip:1@x"),
            "Messages-Waiting: no\r\nMessage-Account: sip:1@x\r\nVoice-Message: 0/0 (0/0)\r\n");
}

TEST(MessageSummary, ParsesWhatItRendersAndWhatPhonesSend) {
  auto c = parse_message_summary(render_message_summary({7, 11}, "sip:1001@pbx.test"));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*c, (MessageCounts{7, 11}));
  auto lf = parse_message_summary("messages-waiting: YES\nvoice-message: 1/0\n");
  ASSERT_TRUE(lf.ok());
  EXPECT_EQ(*lf, (MessageCounts{1, 0}));
  EXPECT_FALSE(parse_message_summary("").ok());
  EXPECT_FALSE(parse_message_summary("Messages-Waiting: maybe\r\n").ok());
  EXPECT_FALSE(parse_message_summary("Messages-Waiting: yes\r\nVoice-Message: x/1\r\n").ok());
  EXPECT_FALSE(parse_message_summary("Messages-Waiting: yes\r\nVoice-Message: 3\r\n").ok());
}

TEST(MessageSummary, OnlyTheOwnerWatchesAnExistingMailbox) {
  MessageSummaryPackage p("pbx.test", [](std::string_view m) { return m == "1001" || m == "1002"; },
                          {});
  EXPECT_EQ(p.name(), "message-summary");
  EXPECT_EQ(p.content_type(), "application/simple-message-summary");
  EXPECT_TRUE(p.authorize("1001", "1001").allowed());
  EXPECT_EQ(p.authorize("1001", "1002").status, 403);
  EXPECT_EQ(p.authorize("1001", "1999").status, 404);
  EXPECT_EQ(p.account_uri("1001"), "sip:1001@pbx.test");
}

TEST(MessageSummary, StateComesFromTheCountsLookupOrIsAnError) {
  MessageSummaryPackage p(
      "pbx.test", [](std::string_view) { return true; },
      [](const std::string& m, MessageSummaryPackage::CountsCallback done) {
        if (m == "1001") return done(MessageCounts{1, 2});
        done(make_error(ErrorCode::kIoError, "store down"));
      });
  std::optional<Result<std::string>> got;
  p.current_state("1001", [&](Result<std::string> b) { got = std::move(b); });
  ASSERT_TRUE(got && got->ok());
  EXPECT_EQ(**got, render_message_summary({1, 2}, "sip:1001@pbx.test"));
  got.reset();
  p.current_state("1002", [&](Result<std::string> b) { got = std::move(b); });
  ASSERT_TRUE(got);
  EXPECT_FALSE(got->ok());
}

TEST(SubscribeRequest, ReadsPackageIdExpiresAndResource) {
  auto m = parse(
      subscribe_text("sip:%31001@pbx.test", "Event: message-summary;id=7\r\nExpires: 120\r\n"));
  auto r = parse_subscribe(m);
  ASSERT_TRUE(std::holds_alternative<SubscribeRequest>(r));
  const auto& s = std::get<SubscribeRequest>(r);
  EXPECT_EQ(s.package, "message-summary");
  EXPECT_EQ(s.event_id, "7");
  EXPECT_EQ(s.expires, 120u);
  EXPECT_EQ(s.resource, "1001");  // unescaped
  auto compact = parse_subscribe(parse(subscribe_text("sip:1001@pbx.test", "o: dialog\r\n")));
  ASSERT_TRUE(std::holds_alternative<SubscribeRequest>(compact));
  EXPECT_EQ(std::get<SubscribeRequest>(compact).package, "dialog");
  EXPECT_FALSE(std::get<SubscribeRequest>(compact).expires.has_value());
}

TEST(SubscribeRequest, BadInputIsAClearRefusal) {
  auto status = [](const std::string& ruri, const std::string& extra) {
    auto r = parse_subscribe(parse(subscribe_text(ruri, extra)));
    return std::holds_alternative<Refusal>(r) ? std::get<Refusal>(r).status : 200;
  };
  EXPECT_EQ(status("sip:1001@pbx.test", ""), 400);               // no Event
  EXPECT_EQ(status("sip:1001@pbx.test", "Event: ;x\r\n"), 400);  // bad Event
  EXPECT_EQ(status("sip:1001@pbx.test", "Event: message-summary\r\nExpires: soon\r\n"), 400);
  EXPECT_EQ(status("tel:+15551001", "Event: message-summary\r\n"), 416);
  EXPECT_EQ(status("sip:pbx.test", "Event: message-summary\r\n"), 404);  // no mailbox
}

TEST(SubscribeRequest, ExpiresIsBounded) {
  ExpiryBounds b{60, 3600, 1800};
  EXPECT_EQ(std::get<uint32_t>(grant_expires(std::nullopt, b)), 1800u);
  EXPECT_EQ(std::get<uint32_t>(grant_expires(0u, b)), 0u);
  EXPECT_EQ(std::get<uint32_t>(grant_expires(60u, b)), 60u);
  EXPECT_EQ(std::get<uint32_t>(grant_expires(99999u, b)), 3600u);
  auto brief = grant_expires(59u, b);
  ASSERT_TRUE(std::holds_alternative<Refusal>(brief));
  EXPECT_EQ(std::get<Refusal>(brief).status, 423);
  ASSERT_EQ(std::get<Refusal>(brief).headers.size(), 1u);
  EXPECT_EQ(std::get<Refusal>(brief).headers[0],
            (std::pair<std::string, std::string>{"Min-Expires", "60"}));
}

TEST(SubscribeRequest, AcceptMustAllowThePackagesBody) {
  const std::string ct = "application/simple-message-summary";
  auto with = [&](const std::string& accept) {
    return check_accept(
        parse(subscribe_text("sip:1001@pbx.test", "Event: message-summary\r\n" + accept)), ct);
  };
  EXPECT_FALSE(with(""));
  EXPECT_FALSE(with("Accept: application/simple-message-summary\r\n"));
  EXPECT_FALSE(with("Accept: text/plain, application/*\r\n"));
  EXPECT_FALSE(with("Accept: */*\r\n"));
  auto no = with("Accept: application/pidf+xml\r\n");
  ASSERT_TRUE(no);
  EXPECT_EQ(no->status, 406);
}

}  // namespace
}  // namespace switchboard::core
