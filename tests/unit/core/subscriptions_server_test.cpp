// RFC 6665 notifier behaviour of SubscriptionServer with the message-summary
// package (RFC 3842), through the real transaction layer in virtual time.
#include "subscriptions_fixture.hpp"

namespace switchboard::core::testing {
namespace {

class SubscriptionServerTest : public SubscriptionsFixture {};

TEST_F(SubscriptionServerTest, SubscribeIsAnsweredThenNotifiedWithTheCounts) {
  auto r = subscribe(Sub{});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status_code(), 200);
  EXPECT_EQ(header(*r, sip::HeaderId::kExpires), "600");
  EXPECT_EQ(header(*r, sip::HeaderId::kContact), "<sip:switchboard@192.0.2.1:5060>");
  const std::string tag = to_tag(*r);
  EXPECT_FALSE(tag.empty());
  EXPECT_EQ(server.count(), 1u);

  auto notifies = requests();
  ASSERT_EQ(notifies.size(), 1u);
  const auto& n = notifies[0];
  // In the dialog: to the subscriber's Contact, our tag in From, theirs in To.
  EXPECT_EQ(n.request_uri(), "sip:1001@198.51.100.7:5062");
  EXPECT_EQ(header(n, sip::HeaderId::kCallId), "sub-1");
  auto from = sip::get_from(n);
  ASSERT_TRUE(from.ok());
  EXPECT_EQ(from->tag(), tag);
  EXPECT_EQ(to_tag(n), "phsub-1");
  EXPECT_EQ(header(n, sip::HeaderId::kEvent), "message-summary");
  EXPECT_EQ(header(n, sip::HeaderId::kSubscriptionState), "active;expires=600");
  EXPECT_EQ(header(n, sip::HeaderId::kContentType), "application/simple-message-summary");
  EXPECT_EQ(header(n, sip::HeaderId::kContact), "<sip:switchboard@192.0.2.1:5060>");
  EXPECT_EQ(n.body(),
            "Messages-Waiting: yes\r\nMessage-Account: sip:1001@pbx.test\r\n"
            "Voice-Message: 2/5 (0/0)\r\n");
  // Sent where the SUBSCRIBE came from (NAT), not parsed from the Contact.
  EXPECT_EQ(sent.back().first.ip.to_string(), kPhoneIp);
  EXPECT_EQ(sent.back().first.port, 5062);
}

TEST_F(SubscriptionServerTest, UnknownPackageIsBadEventWithAllowEvents) {
  Sub s;
  s.event = "presence";
  auto r = subscribe(s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code(), 489);
  EXPECT_EQ(header(*r, sip::HeaderId::kAllowEvents), "message-summary");
  EXPECT_EQ(server.count(), 0u);
  EXPECT_TRUE(requests().empty());
}

TEST_F(SubscriptionServerTest, MissingEventOrContactIsBadRequest) {
  Sub no_event;
  no_event.event.clear();
  EXPECT_EQ(subscribe(no_event)->status_code(), 400);
  Sub no_contact;
  no_contact.contact = false;
  EXPECT_EQ(subscribe(no_contact)->status_code(), 400);
  EXPECT_EQ(server.count(), 0u);
}

TEST_F(SubscriptionServerTest, OnlyTheOwnMailboxMayBeWatched) {
  Sub other;
  other.mailbox = "1002";
  EXPECT_EQ(subscribe(other)->status_code(), 403);
  Sub unknown;
  unknown.mailbox = "1999";
  EXPECT_EQ(subscribe(unknown)->status_code(), 404);
  authenticate_as.reset();  // the filter did not authenticate it
  EXPECT_EQ(subscribe(Sub{})->status_code(), 403);
  EXPECT_EQ(server.count(), 0u);
  EXPECT_TRUE(requests().empty());
  EXPECT_EQ(server.stats().refused, 3u);
}

TEST_F(SubscriptionServerTest, WithoutAuthenticationTheFromUserMustBeAnExtension) {
  server.set_options(SubscriptionOptions{ExpiryBounds{}, 10000, false});
  authenticate_as.reset();
  EXPECT_EQ(subscribe(Sub{})->status_code(), 200);
  Sub stranger;
  stranger.user = "9999";
  stranger.call_id = "sub-2";
  EXPECT_EQ(subscribe(stranger)->status_code(), 403);
}

TEST_F(SubscriptionServerTest, TooBriefIs423AndTooLongIsShortened) {
  Sub brief;
  brief.expires = 10;
  auto r = subscribe(brief);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code(), 423);
  EXPECT_EQ(header(*r, sip::HeaderId::kMinExpires), "60");
  EXPECT_EQ(server.count(), 0u);
  Sub longer;
  longer.expires = 86400;
  longer.call_id = "sub-2";
  r = subscribe(longer);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code(), 200);
  EXPECT_EQ(header(*r, sip::HeaderId::kExpires), "3600");
  EXPECT_EQ(header(*last_notify(), sip::HeaderId::kSubscriptionState), "active;expires=3600");
  Sub none;
  none.expires.reset();
  none.call_id = "sub-3";
  EXPECT_EQ(header(*subscribe(none), sip::HeaderId::kExpires), "3600");  // the default
}

TEST_F(SubscriptionServerTest, AcceptWithoutTheBodyTypeIs406) {
  Sub s;
  s.extra = "Accept: application/pidf+xml\r\n";
  auto r = subscribe(s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code(), 406);
  EXPECT_EQ(header(*r, sip::HeaderId::kAccept), "application/simple-message-summary");
}

TEST_F(SubscriptionServerTest, RefreshRestartsTheTimerAndNotifiesAgain) {
  const std::string tag = subscribed();
  timers.advance(500s);
  Sub refresh;
  refresh.to_tag = tag;
  refresh.cseq = 2;
  refresh.expires = 300;
  counts["1001"] = MessageCounts{0, 6};
  auto r = subscribe(refresh);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code(), 200);
  EXPECT_EQ(header(*r, sip::HeaderId::kExpires), "300");
  EXPECT_EQ(to_tag(*r), tag);
  auto n = last_notify();
  ASSERT_TRUE(n);
  EXPECT_EQ(cseq_of(*n), 2u);  // CSeq grows in the dialog
  EXPECT_EQ(header(*n, sip::HeaderId::kSubscriptionState), "active;expires=300");
  EXPECT_EQ(counts_in(*n), (MessageCounts{0, 6}));
  EXPECT_EQ(server.stats().refreshed, 1u);
  answer(*n, 200);
  timers.advance(200s);  // 700 s after the first SUBSCRIBE: alive thanks to the refresh
  EXPECT_EQ(server.count(), 1u);
  timers.advance(101s);
  EXPECT_EQ(server.count(), 0u);
  EXPECT_EQ(header(*last_notify(), sip::HeaderId::kSubscriptionState), "terminated;reason=timeout");
}

TEST_F(SubscriptionServerTest, RefreshTooBriefKeepsTheSubscription) {
  const std::string tag = subscribed();
  Sub refresh;
  refresh.to_tag = tag;
  refresh.cseq = 2;
  refresh.expires = 5;
  EXPECT_EQ(subscribe(refresh)->status_code(), 423);
  EXPECT_EQ(server.count(), 1u);
}

TEST_F(SubscriptionServerTest, UnsubscribeSendsAFinalNotifyWithTheState) {
  const std::string tag = subscribed();
  Sub bye;
  bye.to_tag = tag;
  bye.cseq = 2;
  bye.expires = 0;
  auto r = subscribe(bye);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code(), 200);
  EXPECT_EQ(header(*r, sip::HeaderId::kExpires), "0");
  auto n = last_notify();
  ASSERT_TRUE(n);
  EXPECT_EQ(header(*n, sip::HeaderId::kSubscriptionState), "terminated;reason=timeout");
  EXPECT_EQ(cseq_of(*n), 2u);
  EXPECT_EQ(counts_in(*n), (MessageCounts{2, 5}));
  EXPECT_EQ(server.count(), 0u);
  EXPECT_EQ(server.stats().unsubscribed, 1u);
  answer(*n, 200);  // harmless after the end
  // The dialog is gone: another refresh is 481.
  bye.cseq = 3;
  bye.expires = 600;
  EXPECT_EQ(subscribe(bye)->status_code(), 481);
}

TEST_F(SubscriptionServerTest, ExpiryEndsWithTerminatedTimeout) {
  Sub s;
  s.expires = 60;
  subscribed(s);
  timers.advance(59s);
  EXPECT_EQ(server.count(), 1u);
  const size_t before = sent.size();
  timers.advance(1001ms);
  EXPECT_EQ(server.count(), 0u);
  auto after = requests("NOTIFY", before);  // the final one (and no retransmission yet)
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(cseq_of(after[0]), 2u);
  EXPECT_EQ(header(after[0], sip::HeaderId::kSubscriptionState), "terminated;reason=timeout");
  EXPECT_EQ(server.stats().expired, 1u);
}

TEST_F(SubscriptionServerTest, FetchWithExpiresZeroGetsOneTerminatedNotify) {
  Sub fetch;
  fetch.expires = 0;
  auto r = subscribe(fetch);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code(), 200);
  auto n = requests();
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(header(n[0], sip::HeaderId::kSubscriptionState), "terminated;reason=timeout");
  EXPECT_EQ(counts_in(n[0]), (MessageCounts{2, 5}));
  EXPECT_EQ(server.count(), 0u);
  EXPECT_EQ(server.stats().fetches, 1u);
}

TEST_F(SubscriptionServerTest, PublishNotifiesEverySubscriberOfTheMailboxOnly) {
  subscribed();
  Sub second;
  second.call_id = "sub-2";
  subscribed(second);
  authenticate_as = "1002";
  Sub other;
  other.user = "1002";
  other.mailbox = "1002";
  other.call_id = "sub-3";
  subscribed(other);
  const size_t before = requests().size();
  mwi.publish("1001", 3, 5);
  auto n = requests("NOTIFY", 0);
  ASSERT_EQ(n.size(), before + 2);
  for (size_t i = before; i < n.size(); ++i) {
    EXPECT_EQ(counts_in(n[i]), (MessageCounts{3, 5}));
    EXPECT_EQ(header(n[i], sip::HeaderId::kEvent), "message-summary");
    EXPECT_EQ(cseq_of(n[i]), 2u);
    EXPECT_NE(header(n[i], sip::HeaderId::kCallId), "sub-3");
  }
  EXPECT_EQ(mwi.stats().published, 1u);
}

TEST_F(SubscriptionServerTest, OneNotifyInFlightAndTheNewestStateWins) {
  subscribed();
  const size_t before = requests().size();
  mwi.publish("1001", 3, 5);
  mwi.publish("1001", 4, 5);
  mwi.publish("1001", 5, 5);
  auto n = requests();
  ASSERT_EQ(n.size(), before + 1);  // the next waits for this one's answer
  EXPECT_EQ(counts_in(n.back()), (MessageCounts{3, 5}));
  answer(n.back(), 200);
  n = requests();
  ASSERT_EQ(n.size(), before + 2);  // 4/5 was overtaken by 5/5
  EXPECT_EQ(counts_in(n.back()), (MessageCounts{5, 5}));
  EXPECT_EQ(cseq_of(n.back()), cseq_of(n[before]) + 1);
  answer(n.back(), 200);
  EXPECT_EQ(requests().size(), before + 2);
}

TEST_F(SubscriptionServerTest, NotifyAnswered481Or408EndsTheSubscription) {
  for (int code : {481, 408}) {
    Sub s;
    s.call_id = "sub-" + std::to_string(code);
    auto r = subscribe(s);
    ASSERT_EQ(r->status_code(), 200);
    answer(*last_notify(), code);
    EXPECT_EQ(server.count(), 0u) << code;
  }
  const size_t before = requests().size();
  mwi.publish("1001", 1, 1);
  EXPECT_EQ(requests().size(), before);
  EXPECT_EQ(server.stats().terminated_by_peer, 2u);
}

TEST_F(SubscriptionServerTest, AnotherErrorKeepsTheSubscription) {
  auto r = subscribe(Sub{});
  ASSERT_EQ(r->status_code(), 200);
  answer(*last_notify(), 500);
  EXPECT_EQ(server.count(), 1u);
  const size_t before = requests().size();
  mwi.publish("1001", 1, 1);
  EXPECT_EQ(requests().size(), before + 1);
}

TEST_F(SubscriptionServerTest, UnansweredNotifyTimesOutAndEndsTheSubscription) {
  auto r = subscribe(Sub{});
  ASSERT_EQ(r->status_code(), 200);
  timers.advance(31s);
  EXPECT_EQ(server.count(), 1u);  // Timer F = 64*T1 = 32 s
  timers.advance(2s);
  EXPECT_EQ(server.count(), 0u);
  EXPECT_EQ(server.stats().notify_failures, 1u);
}

TEST_F(SubscriptionServerTest, TransportErrorEndsTheSubscription) {
  transport_fails = true;
  auto r = subscribe(Sub{});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code(), 200);
  EXPECT_EQ(server.count(), 0u);
  EXPECT_EQ(server.stats().notify_failures, 1u);
}

TEST_F(SubscriptionServerTest, ShutdownSendsTerminatedToEveryone) {
  subscribed();
  Sub second;
  second.call_id = "sub-2";
  subscribed(second);
  mwi.publish("1001", 9, 0);  // one NOTIFY in flight: shutdown does not wait for it
  const size_t before = requests().size();
  server.terminate_all("deactivated");
  auto n = requests();
  ASSERT_EQ(n.size(), before + 2);
  for (size_t i = before; i < n.size(); ++i) {
    EXPECT_EQ(header(n[i], sip::HeaderId::kSubscriptionState), "terminated;reason=deactivated");
    EXPECT_EQ(counts_in(n[i]), (MessageCounts{9, 0}));
  }
  EXPECT_EQ(server.count(), 0u);
}

TEST_F(SubscriptionServerTest, EventIdIsEchoedAndIdentifiesTheSubscription) {
  Sub s;
  s.event = "message-summary;id=42";
  const std::string tag = subscribed(s);
  EXPECT_EQ(header(*last_notify(), sip::HeaderId::kEvent), "message-summary;id=42");
  Sub wrong;
  wrong.to_tag = tag;
  wrong.cseq = 2;
  wrong.event = "message-summary;id=43";
  EXPECT_EQ(subscribe(wrong)->status_code(), 481);
  Sub right = wrong;
  right.event = "message-summary;id=42";
  right.cseq = 3;
  EXPECT_EQ(subscribe(right)->status_code(), 200);
}

TEST_F(SubscriptionServerTest, OutOfOrderRefreshIs500) {
  Sub s;
  s.cseq = 5;
  const std::string tag = subscribed(s);
  Sub old;
  old.to_tag = tag;
  old.cseq = 4;
  EXPECT_EQ(subscribe(old)->status_code(), 500);
  EXPECT_EQ(server.count(), 1u);
}

TEST_F(SubscriptionServerTest, UnknownDialogIs481) {
  Sub s;
  s.to_tag = "nosuchtag";
  EXPECT_EQ(subscribe(s)->status_code(), 481);
}

TEST_F(SubscriptionServerTest, TooManySubscriptionsIs503) {
  server.set_options(SubscriptionOptions{ExpiryBounds{}, 1, true});
  subscribed();
  Sub s;
  s.call_id = "sub-2";
  auto r = subscribe(s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_code(), 503);
  EXPECT_EQ(header(*r, sip::HeaderId::kRetryAfter), "60");
}

TEST_F(SubscriptionServerTest, StateFromTheStoreArrivesLaterAndAPublishedChangeWins) {
  hold_lookups = true;
  auto r = subscribe(Sub{});
  ASSERT_EQ(r->status_code(), 200);
  EXPECT_TRUE(requests().empty());  // the 200 goes out first; the state is being read
  ASSERT_EQ(held.size(), 1u);
  mwi.publish("1001", 8, 1);  // newer than what the lookup will say
  ASSERT_EQ(requests().size(), 1u);
  EXPECT_EQ(counts_in(*last_notify()), (MessageCounts{8, 1}));
  release_lookups();  // the older answer is dropped
  EXPECT_EQ(requests().size(), 1u);
}

TEST_F(SubscriptionServerTest, LateLookupForAnEndedSubscriptionIsDropped) {
  hold_lookups = true;
  Sub s;
  s.expires = 60;
  auto r = subscribe(s);
  ASSERT_EQ(r->status_code(), 200);
  timers.advance(61s);  // expires before the store answered
  EXPECT_EQ(server.count(), 0u);
  const size_t before = requests().size();
  release_lookups();
  EXPECT_EQ(requests().size(), before);
}

TEST_F(SubscriptionServerTest, UnavailableStateStillNotifiesWithoutABody) {
  counts_fail = true;
  auto r = subscribe(Sub{});
  ASSERT_EQ(r->status_code(), 200);
  auto n = last_notify();
  ASSERT_TRUE(n);
  EXPECT_TRUE(n->body().empty());
  EXPECT_FALSE(n->value(sip::HeaderId::kContentType).has_value());
  EXPECT_EQ(header(*n, sip::HeaderId::kSubscriptionState), "active;expires=600");
}

TEST_F(SubscriptionServerTest, UnsolicitedNotifyGoesToContactsWithoutASubscription) {
  register_phone("1001", "198.51.100.30", 5060);  // never subscribes
  register_phone("1001", kPhoneIp, 5062);         // subscribes below
  subscribed();
  const size_t before = sent.size();
  mwi.publish("1001", 1, 0);  // unsolicited off: only the subscription
  auto n = requests("NOTIFY", before);
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(header(n[0], sip::HeaderId::kCallId), "sub-1");
  answer(n[0], 200);

  mwi.set_unsolicited(true);
  const size_t mark = sent.size();
  mwi.publish("1001", 2, 0);
  n = requests("NOTIFY", mark);
  ASSERT_EQ(n.size(), 2u);  // in-dialog to the subscriber, out-of-dialog to the other phone
  std::optional<sip::Message> unsolicited;
  for (size_t i = mark; i < sent.size(); ++i) {
    if (sent[i].first.ip.to_string() == "198.51.100.30")
      unsolicited = *sip::parse_message(sent[i].second);
  }
  ASSERT_TRUE(unsolicited);
  EXPECT_EQ(unsolicited->request_uri(), "sip:1001@198.51.100.30:5060");
  EXPECT_EQ(to_tag(*unsolicited), "");
  EXPECT_EQ(header(*unsolicited, sip::HeaderId::kEvent), "message-summary");
  EXPECT_EQ(header(*unsolicited, sip::HeaderId::kContentType),
            "application/simple-message-summary");
  EXPECT_EQ(counts_in(*unsolicited), (MessageCounts{2, 0}));
  EXPECT_EQ(mwi.stats().unsolicited_sent, 1u);
}

TEST_F(SubscriptionServerTest, UnsolicitedNotifyOnRegistrationReadsTheCounts) {
  register_phone("1001", "198.51.100.30", 5060);
  mwi.on_registered("1001");  // off: nothing
  EXPECT_TRUE(requests().empty());
  mwi.set_unsolicited(true);
  mwi.on_registered("1001");
  auto n = requests();
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(counts_in(n[0]), (MessageCounts{2, 5}));
  EXPECT_EQ(sent.back().first.ip.to_string(), "198.51.100.30");
}

}  // namespace
}  // namespace switchboard::core::testing
