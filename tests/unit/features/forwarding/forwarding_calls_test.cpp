// Call forwarding through the real B2BUA, router and transaction layer in
// virtual time (the B2BUA fixture of tests/unit/core): unconditional, on
// busy, on no answer after the extension's own ringing time, loops, the
// feature-code application, and external targets refused without
// allow_external.
#include <algorithm>

#include "features/forwarding/service.hpp"
#include "unit/core/call_fixture.hpp"

namespace switchboard::features::forwarding {
namespace {

using namespace core;
using namespace core::testing;
namespace mapp = media::app;

constexpr const char* kA = "198.51.100.1";    // 1001 calling
constexpr const char* kA2 = "198.51.100.11";  // 1001's desk phone (when it is called)
constexpr const char* kB = "198.51.100.21";   // 1002
constexpr const char* kC = "198.51.100.23";   // 1003

/// Application legs that record what was played and complete on demand.
class FakeAppMedia final : public AppMedia {
 public:
  FakeAppMedia(std::vector<mapp::PlayRequest>* plays, AppMediaFactory::EventHandler on_event)
      : plays_(plays), on_event_(std::move(on_event)) {}
  std::string local_address() const override { return "127.0.0.1"; }
  std::uint16_t local_port() const override { return 31000; }
  mapp::OpId play(mapp::PlayRequest r) override {
    plays_->push_back(std::move(r));
    return last_op = ++next_;
  }
  mapp::OpId record(mapp::RecordRequest) override { return ++next_; }
  mapp::OpId collect_digits(mapp::CollectRequest) override { return ++next_; }
  void stop() override {}
  void close() override {}
  void complete(mapp::OpId id) { on_event_(mapp::PlayDone{id, mapp::PlayResult::kDone, 0, {}}); }
  mapp::OpId last_op = 0;

 private:
  std::vector<mapp::PlayRequest>* plays_;
  AppMediaFactory::EventHandler on_event_;
  mapp::OpId next_ = 0;
};

class FakeAppMediaFactory final : public AppMediaFactory {
 public:
  std::string address() const override { return "127.0.0.1"; }
  Result<AppMediaPtr> open(const AppMediaParams&, EventHandler on_event) override {
    auto m = std::make_unique<FakeAppMedia>(&plays, std::move(on_event));
    last = m.get();
    return AppMediaPtr(std::move(m));
  }
  std::vector<mapp::PlayRequest> plays;
  FakeAppMedia* last = nullptr;
};

/// The mailbox: records why the call came.
struct Mailbox final : public CallApp {
  void on_start(AppControl&) override {}
  void on_media(const mapp::MediaEvent&) override {}
  void on_end() override {}
};

class ForwardingCallsTest : public CallFixture {
 protected:
  ForwardingCallsTest()
      : service([this](std::string_view n) { return router.classify(n); },
                [this](const UserRule& r) { persisted.push_back(r); }) {
    router.add_hook("forwarding-codes", [this](const RouteRequest& rq, RouteDecision& d) {
      return service.route_feature_code(rq, d);
    });
    router.add_hook("forwarding", [this](const RouteRequest& rq, RouteDecision& d) {
      return service.route_always(rq, d);
    });
    b2bua.set_app_media(&app_media);
    b2bua.set_app(TargetKind::kVoicemail, [this](const AppCallInfo& info) -> CallAppPtr {
      mailbox_calls.push_back(info);
      return std::make_unique<Mailbox>();
    });
    b2bua.set_app(TargetKind::kFeatureCode, service.app_factory());
    b2bua.set_forwarding_policy(&service);
    events.subscribe([this](const CallEvent& e) {
      if (e.kind == CallEventKind::kForwarded) forwarded.push_back(e.call);
    });
  }

  void rules(std::map<std::string, Rules> r, std::set<std::string> outside = {}) {
    service.table().set_defaults(std::move(r), std::move(outside));
  }
  size_t invites_to(const std::string& ip) const {
    auto all = sent_to(ip);
    return static_cast<size_t>(std::count_if(all.begin(), all.end(), [](const sip::Message& m) {
      return m.is_request() && m.method() == "INVITE";
    }));
  }
  std::vector<std::string> played() const {
    std::vector<std::string> out;
    for (const auto& p : app_media.plays) {
      for (const auto& item : p.items) {
        if (auto* prompt = std::get_if<mapp::PromptItem>(&item)) out.push_back(prompt->name);
        if (std::get_if<mapp::ToneItem>(&item)) out.push_back("<tone>");
      }
    }
    return out;
  }

  FakeAppMediaFactory app_media;
  std::vector<UserRule> persisted;
  ForwardingService service;
  std::vector<AppCallInfo> mailbox_calls;
  std::vector<CallRecord> forwarded;
};

TEST_F(ForwardingCallsTest, UnconditionalForwardRingsOnlyTheTarget) {
  Rules r;
  r.always = "1003";
  rules({{"1002", r}});
  register_phone("1002", kB);
  register_phone("1003", kC);
  feed(invite("1002"), from_ip(kA));
  EXPECT_EQ(invites_to(kB), 0u);
  auto inv = last_request(kC, "INVITE");
  ASSERT_TRUE(inv);
  EXPECT_EQ(inv->value("Diversion").value_or(""),
            "<sip:1002@pbx.test>;reason=unconditional;counter=1");
  ASSERT_EQ(forwarded.size(), 1u);
  EXPECT_EQ(forwarded[0].forwarded_from, "1002");
  EXPECT_EQ(forwarded[0].forward_reason, "always");
  EXPECT_EQ(forwarded[0].callee, "1003");
  EXPECT_EQ(forwarded[0].dialed, "1002");
  feed(answer(*inv, 200, "c1", sdp_body(kC, 6000), kC), from_ip(kC));
  EXPECT_TRUE(last_response(kA, 200));
  EXPECT_EQ(last.callee, "1003");
  EXPECT_EQ(last.forwarded_from, "1002");
  EXPECT_FALSE(last.forward_loop);
}

TEST_F(ForwardingCallsTest, BusyForwardsWhileTheCallerWaits) {
  Rules r;
  r.busy = "1003";
  rules({{"1002", r}});
  register_phone("1002", kB);
  register_phone("1003", kC);
  feed(invite("1002"), from_ip(kA));
  feed(answer(*last_request(kB, "INVITE"), 486, "b1"), from_ip(kB));
  auto progress = last_response(kA, 181);
  ASSERT_TRUE(progress);  // 181 Call Is Being Forwarded
  EXPECT_FALSE(last_response(kA, 486));
  auto inv = last_request(kC, "INVITE");
  ASSERT_TRUE(inv);
  EXPECT_EQ(inv->value("Diversion").value_or(""), "<sip:1002@pbx.test>;reason=user-busy;counter=1");
  EXPECT_FALSE(last_request(kB, "INVITE")->value("Diversion"));  // not forwarded yet
  EXPECT_TRUE(mailbox_calls.empty());
  ASSERT_EQ(forwarded.size(), 1u);
  EXPECT_EQ(forwarded[0].forward_reason, "busy");
  feed(answer(*inv, 180, "c1"), from_ip(kC));
  feed(answer(*inv, 200, "c1", sdp_body(kC, 6000), kC), from_ip(kC));
  auto ok = last_response(kA, 200);
  ASSERT_TRUE(ok);
  EXPECT_EQ(to_tag(*ok), to_tag(*progress));  // one dialog with the caller throughout
  EXPECT_EQ(relays.logs.at(0)->configured[MediaSide::kB].remote_rtp, (sdp::RtpAddress{kC, 6000}));
  EXPECT_EQ(last.callee, "1003");
  EXPECT_EQ(last.forwarded_from, "1002");
  EXPECT_EQ(b2bua.active_calls(), 1u);
}

TEST_F(ForwardingCallsTest, TheForwardTargetsOwnAnswerDecidesNotTheFirstPhones) {
  Rules r;
  r.busy = "1003";
  rules({{"1002", r}});
  register_phone("1002", kB);
  register_phone("1003", kC);
  feed(invite("1002"), from_ip(kA));
  feed(answer(*last_request(kB, "INVITE"), 486, "b1"), from_ip(kB));
  feed(answer(*last_request(kC, "INVITE"), 480, "c1"), from_ip(kC));
  EXPECT_TRUE(last_response(kA, 480));  // 1002's busy no longer counts
  EXPECT_FALSE(last_response(kA, 486));
  EXPECT_TRUE(mailbox_calls.empty());
  EXPECT_EQ(last.outcome, CallOutcome::kNoAnswer);
}

TEST_F(ForwardingCallsTest, NoAnswerForwardsAfterTheExtensionsOwnTimeout) {
  Rules r;
  r.no_answer = "1003";
  r.no_answer_timeout = std::chrono::seconds(7);  // the B2BUA's default is 20 s
  rules({{"1002", r}});
  register_phone("1002", kB);
  register_phone("1003", kC);
  feed(invite("1002"), from_ip(kA));
  feed(answer(*last_request(kB, "INVITE"), 180, "b1"), from_ip(kB));
  timers.advance(6900ms);
  EXPECT_FALSE(last_request(kB, "CANCEL"));
  EXPECT_EQ(invites_to(kC), 0u);
  timers.advance(100ms);
  EXPECT_TRUE(last_request(kB, "CANCEL"));
  EXPECT_EQ(invites_to(kC), 1u);
  EXPECT_EQ(last_request(kC, "INVITE")->value("Diversion").value_or(""),
            "<sip:1002@pbx.test>;reason=no-answer;counter=1");
  // The cancelled fork's 487 must not end the forwarded call.
  feed(answer(*last_request(kB, "INVITE"), 487, "b1"), from_ip(kB));
  EXPECT_FALSE(last_response(kA, 487));
  // 1003 has no rule of its own: the default ringing time, then its mailbox.
  timers.advance(19s);
  EXPECT_TRUE(mailbox_calls.empty());
  timers.advance(1s);
  ASSERT_EQ(mailbox_calls.size(), 1u);
  EXPECT_EQ(mailbox_calls[0].target, "1003");
  EXPECT_EQ(mailbox_calls[0].reason, AppReason::kNoAnswer);
  EXPECT_EQ(last.forwarded_from, "1002");
  EXPECT_EQ(last.forward_reason, "no_answer");
}

TEST_F(ForwardingCallsTest, AnUnregisteredExtensionForwardsAtOnce) {
  Rules r;
  r.no_answer = "1003";
  rules({{"1002", r}});
  register_phone("1003", kC);  // 1002 has no phone
  feed(invite("1002"), from_ip(kA));
  EXPECT_TRUE(last_request(kC, "INVITE"));
  EXPECT_TRUE(mailbox_calls.empty());
}

TEST_F(ForwardingCallsTest, BusyToVoicemailPlaysTheBusyGreetingOfTheExtension) {
  Rules r;
  r.busy = "voicemail";
  rules({{"1002", r}});
  register_phone("1002", kB);
  feed(invite("1002"), from_ip(kA));
  feed(answer(*last_request(kB, "INVITE"), 486, "b1"), from_ip(kB));
  ASSERT_EQ(mailbox_calls.size(), 1u);
  EXPECT_EQ(mailbox_calls[0].target, "1002");
  EXPECT_EQ(mailbox_calls[0].reason, AppReason::kBusy);
  EXPECT_TRUE(last_response(kA, 200));
}

TEST_F(ForwardingCallsTest, AlwaysToVoicemailGoesStraightToTheMailbox) {
  Rules r;
  r.always = "voicemail";
  rules({{"1002", r}});
  register_phone("1002", kB);
  feed(invite("1002"), from_ip(kA));
  EXPECT_EQ(invites_to(kB), 0u);
  ASSERT_EQ(mailbox_calls.size(), 1u);
  EXPECT_EQ(mailbox_calls[0].target, "1002");
  EXPECT_EQ(mailbox_calls[0].reason, AppReason::kForwarded);  // a deposit, not the IVR
  EXPECT_TRUE(last_response(kA, 200));
  EXPECT_EQ(last.forward_reason, "always");
}

TEST_F(ForwardingCallsTest, TwoExtensionsForwardingToEachOtherRingOneOfThem) {
  Rules b, c;
  b.always = "1003";
  c.always = "1002";
  rules({{"1002", b}, {"1003", c}});
  register_phone("1002", kB);
  register_phone("1003", kC);
  feed(invite("1002"), from_ip(kA));
  EXPECT_EQ(invites_to(kB), 0u);
  EXPECT_EQ(invites_to(kC), 1u);
  ASSERT_EQ(forwarded.size(), 1u);
  EXPECT_TRUE(forwarded[0].forward_loop);
  feed(answer(*last_request(kC, "INVITE"), 200, "c1", sdp_body(kC, 6000), kC), from_ip(kC));
  EXPECT_TRUE(last_response(kA, 200));
  EXPECT_TRUE(last.forward_loop);
}

TEST_F(ForwardingCallsTest, AThreeWayLoopStopsAtTheLastExtensionNotYetVisited) {
  Rules a, b, c;
  b.always = "1003";  // 1002 → 1003 → 1001 → 1002, called by 1001: the caller
  c.always = "1001";  // counts as visited, so the loop stops at 1003
  a.always = "1002";
  rules({{"1001", a}, {"1002", b}, {"1003", c}});
  register_phone("1001", kA2);
  register_phone("1002", kB);
  register_phone("1003", kC);
  feed(invite("1002"), from_ip(kA));
  EXPECT_EQ(invites_to(kC), 1u);
  EXPECT_EQ(invites_to(kA2) + invites_to(kB), 0u);
  EXPECT_EQ(last.callee, "1003");
  EXPECT_EQ(last.forwarded_from, "1002");
  EXPECT_TRUE(last.forward_loop);
  // Called by 1003 instead, the first rule already points back at the
  // caller: 1002 itself rings.
  authenticate_as = "1003";
  feed(invite("1002", "call-2"), from_ip(kC));
  EXPECT_EQ(invites_to(kA2), 0u);
  EXPECT_EQ(invites_to(kB), 1u);
}

TEST_F(ForwardingCallsTest, ACallIsNeverForwardedBackToTheCaller) {
  Rules r;
  r.always = "1001";
  rules({{"1002", r}});
  register_phone("1001", kA2);
  register_phone("1002", kB);
  feed(invite("1002"), from_ip(kA));  // 1001 calls 1002, which forwards to 1001
  EXPECT_EQ(invites_to(kA2), 0u);
  EXPECT_EQ(invites_to(kB), 1u);
  EXPECT_EQ(last.callee, "1002");
  // Someone else's call to 1002 is forwarded to 1001 as usual.
  authenticate_as = "1003";
  feed(invite("1002", "call-2"), from_ip(kC));
  EXPECT_EQ(invites_to(kA2), 1u);
}

TEST_F(ForwardingCallsTest, BusyRulesPointingAtEachOtherRingEachPhoneOnce) {
  Rules b, c;
  b.busy = "1003";
  c.busy = "1002";
  rules({{"1002", b}, {"1003", c}});
  register_phone("1002", kB);
  register_phone("1003", kC);
  feed(invite("1002"), from_ip(kA));
  feed(answer(*last_request(kB, "INVITE"), 486, "b1"), from_ip(kB));
  feed(answer(*last_request(kC, "INVITE"), 486, "c1"), from_ip(kC));
  EXPECT_EQ(invites_to(kB), 1u);
  EXPECT_EQ(invites_to(kC), 1u);
  // 1003's rule leads back to 1002: its mailbox takes the call instead.
  ASSERT_EQ(mailbox_calls.size(), 1u);
  EXPECT_EQ(mailbox_calls[0].target, "1003");
  EXPECT_EQ(mailbox_calls[0].reason, AppReason::kBusy);
  EXPECT_TRUE(last.forward_loop);
}

TEST_F(ForwardingCallsTest, ExternalTargetsNeedAllowExternal) {
  Rules r;
  r.always = "0049301234";
  rules({{"1002", r}});  // 1002 may not call outside
  register_phone("1002", kB);
  feed(invite("1002"), from_ip(kA));
  EXPECT_EQ(invites_to(kB), 1u);  // the rule is not followed: 1002 rings
  EXPECT_TRUE(forwarded.empty());
  // With allow_external the call goes to the external target (a trunk).
  rules({{"1002", r}}, {"1002"});
  std::string trunk_got;
  b2bua.set_target_handler(TargetKind::kExternal, [&](const sip::ServerTransactionPtr& t,
                                                      const RouteDecision& d, const std::string&) {
    trunk_got = d.target + " from " + d.forwarded_from;
    t->respond(sip::make_response(t->request(), 503, "Trunk Down"));
  });
  feed(invite("1002", "call-2"), from_ip(kA));
  EXPECT_EQ(trunk_got, "0049301234 from 1002");
}

TEST_F(ForwardingCallsTest, FeatureCodeSetsForwardingConfirmsAndHangsUp) {
  feed(invite("*721003"), from_ip(kA));
  auto ok = last_response(kA, 200);
  ASSERT_TRUE(ok);
  EXPECT_EQ(service.table().effective("1001", Condition::kAlways), "1003");
  ASSERT_EQ(persisted.size(), 1u);
  EXPECT_EQ(persisted[0].extension, "1001");
  EXPECT_EQ(persisted[0].target, "1003");
  EXPECT_EQ(played(),
            (std::vector<std::string>{"forwarding_always_on", "one", "zero", "zero", "three"}));
  feed(from_caller("ACK", 1, to_tag(*ok)), from_ip(kA));
  EXPECT_FALSE(last_request(kA, "BYE"));
  app_media.last->complete(app_media.last->last_op);
  EXPECT_TRUE(last_request(kA, "BYE"));  // confirmed: the PBX hangs up
  // Calls to 1001 now land on 1003.
  register_phone("1001", kA2);
  register_phone("1003", kC);
  authenticate_as = "1002";
  feed(invite("1001", "call-2"), from_ip(kB));
  EXPECT_EQ(invites_to(kA2), 0u);
  EXPECT_EQ(invites_to(kC), 1u);
  // `*73` turns it off again.
  authenticate_as = "1001";
  feed(invite("*73", "call-3"), from_ip(kA));
  EXPECT_EQ(service.table().effective("1001", Condition::kAlways), "");
  EXPECT_EQ(played().back(), "forwarding_always_off");
  ASSERT_EQ(persisted.size(), 2u);
  EXPECT_EQ(persisted[1].target, "");
}

TEST_F(ForwardingCallsTest, AUserSetOffOverridesTheConfiguredRule) {
  Rules r;
  r.busy = "1003";
  rules({{"1001", r}});
  feed(invite("*91"), from_ip(kA));
  EXPECT_EQ(played().back(), "forwarding_busy_off");
  EXPECT_EQ(service.table().effective("1001", Condition::kBusy), "");
  feed(invite("*921002", "call-2"), from_ip(kA));
  EXPECT_EQ(service.table().effective("1001", Condition::kNoAnswer), "1002");
  EXPECT_EQ(service.table().effective("1001", Condition::kBusy), "");
  EXPECT_EQ(service.table().configured("1001", Condition::kBusy), "1003");
}

TEST_F(ForwardingCallsTest, FeatureCodesRefuseExternalTargetsWithoutAllowExternal) {
  feed(invite("*720049301234"), from_ip(kA));  // 1001 may not call outside
  EXPECT_TRUE(last_response(kA, 200));
  EXPECT_EQ(service.table().effective("1001", Condition::kAlways), "");
  EXPECT_TRUE(persisted.empty());
  EXPECT_EQ(played(), (std::vector<std::string>{"forwarding_not_allowed", "<tone>"}));
  app_media.last->complete(app_media.last->last_op);
  EXPECT_TRUE(last_request(kA, "BYE"));
  // An unknown extension and a missing number are refused too.
  feed(invite("*721999", "call-2"), from_ip(kA));
  feed(invite("*72", "call-3"), from_ip(kA));
  EXPECT_TRUE(persisted.empty());
  EXPECT_EQ(played().back(), "<tone>");
  // With allow_external it is taken.
  rules({}, {"1001"});
  feed(invite("*720049301234", "call-4"), from_ip(kA));
  EXPECT_EQ(service.table().effective("1001", Condition::kAlways), "0049301234");
}

/// A policy that forwards every unanswered call to the other extension,
/// ignoring what the call visited: the B2BUA's own guard stops it.
class PingPong final : public ForwardingPolicy {
 public:
  std::optional<Duration> no_answer_timeout(std::string_view) const override {
    return std::nullopt;
  }
  std::optional<RouteDecision> on_unanswered(const UnansweredCall& call) const override {
    RouteDecision d;
    d.kind = TargetKind::kExtension;
    d.target = call.extension == "1002" ? "1003" : "1002";
    d.forwarded_from = call.extension;
    d.forward_reason = "busy";
    return d;
  }
};

TEST_F(ForwardingCallsTest, TheB2buaStopsACallForwardedTooOften) {
  PingPong policy;
  b2bua.set_forwarding_policy(&policy);
  register_phone("1002", kB);
  register_phone("1003", kC);
  feed(invite("1002"), from_ip(kA));
  for (int i = 0; i <= kMaxForwardsPerCall; ++i) {  // each phone answers busy
    const char* ip = i % 2 == 0 ? kB : kC;
    auto inv = last_request(ip, "INVITE");
    ASSERT_TRUE(inv);
    feed(answer(*inv, 486, "x" + std::to_string(i)), from_ip(ip));
  }
  EXPECT_EQ(invites_to(kB) + invites_to(kC), 1u + kMaxForwardsPerCall);
  EXPECT_EQ(last_request(kC, "INVITE")->value("Diversion").value_or(""),
            "<sip:1002@pbx.test>;reason=user-busy;counter=5");
  ASSERT_EQ(mailbox_calls.size(), 1u);  // then the mailbox of the last one
  EXPECT_TRUE(last.forward_loop);
  b2bua.set_forwarding_policy(&service);
}

}  // namespace
}  // namespace switchboard::features::forwarding
