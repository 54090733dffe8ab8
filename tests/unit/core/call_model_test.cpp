// Dialplan classification, the Router's permission check and hook chain,
// and the Leg state machine (issue 5 §4, DESIGN §2).
#include <gtest/gtest.h>

#include "core/call/dialplan.hpp"
#include "core/call/leg.hpp"
#include "core/call/router.hpp"

namespace switchboard::core {
namespace {

DialplanPatterns defaults() {
  return {"^1[0-9]{3}$", "^2[0-9]{3}$", "^\\*[0-9]{4}$", "^7[0-9]$", "^8[0-9]{3}$", "^0[0-9]+$"};
}

TEST(Dialplan, ClassifiesByTheFirstMatchingPattern) {
  auto d = Dialplan::compile(defaults());
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->classify("1002"), TargetKind::kExtension);
  EXPECT_EQ(d->classify("2001"), TargetKind::kConference);
  EXPECT_EQ(d->classify("*1002"), TargetKind::kVoicemail);
  EXPECT_EQ(d->classify("71"), TargetKind::kParking);
  EXPECT_EQ(d->classify("8001"), TargetKind::kQueue);
  EXPECT_EQ(d->classify("0123456"), TargetKind::kExternal);
  EXPECT_EQ(d->classify("10021"), TargetKind::kNone);  // whole-string match
  EXPECT_EQ(d->classify(""), TargetKind::kNone);
  // Overlapping patterns: the internal one comes first.
  auto overlap = Dialplan::compile({"^1.*$", "", "", "", "", "^[0-9]+$"});
  ASSERT_TRUE(overlap.ok());
  EXPECT_EQ(overlap->classify("1555"), TargetKind::kExtension);
  EXPECT_EQ(overlap->classify("5555"), TargetKind::kExternal);
}

TEST(Dialplan, EmptyPatternIsOffAndABadOneIsNamed) {
  auto d = Dialplan::compile({"^1[0-9]{3}$", "", "", "", "", ""});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->classify("0123"), TargetKind::kNone);
  auto bad = Dialplan::compile({"^1[0-9", "", "", "", "", ""});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("extension pattern \"^1[0-9\""), std::string::npos)
      << bad.error().message;
}

class RouterTest : public ::testing::Test {
 protected:
  Router router{*Dialplan::compile(defaults()),
                [](std::string_view n) { return n == "1001" || n == "1002"; }};
  RouteRequest req(std::string dialed, bool external = false) {
    return RouteRequest{"c1", "1001", external, std::move(dialed)};
  }
};

TEST_F(RouterTest, UnknownExtensionAndUnmatchedNumbersAre404) {
  EXPECT_EQ(router.route(req("1002")).reject_status, 0);
  EXPECT_EQ(router.route(req("1002")).kind, TargetKind::kExtension);
  EXPECT_EQ(router.route(req("1999")).reject_status, 404);
  EXPECT_EQ(router.route(req("abc")).reject_status, 404);
}

TEST_F(RouterTest, ExternalNeedsAllowExternal) {
  auto d = router.route(req("0123456", false));
  EXPECT_EQ(d.reject_status, 403);
  d = router.route(req("0123456", true));
  EXPECT_EQ(d.reject_status, 0);
  EXPECT_EQ(d.kind, TargetKind::kExternal);
}

TEST_F(RouterTest, HooksRunInOrderAndHandledStopsTheChain) {
  std::vector<std::string> ran;
  router.add_hook("vip", [&](const RouteRequest&, RouteDecision&) {
    ran.push_back("vip");
    return HookResult::kContinue;
  });
  router.add_hook("interception", [&](const RouteRequest& r, RouteDecision& d) {
    ran.push_back("interception");
    if (r.dialed != "1002") return HookResult::kContinue;
    d.target = "1001";  // redirect to the operator
    return HookResult::kHandled;
  });
  router.add_hook("calendar", [&](const RouteRequest&, RouteDecision&) {
    ran.push_back("calendar");
    return HookResult::kContinue;
  });
  auto d = router.route(req("1002"));
  EXPECT_EQ(ran, (std::vector<std::string>{"vip", "interception"}));
  EXPECT_EQ(d.target, "1001");
  EXPECT_EQ(d.decided_by, "interception");
  ran.clear();
  router.route(req("1001"));
  EXPECT_EQ(ran, (std::vector<std::string>{"vip", "interception", "calendar"}));
  // A rejected dial never reaches the hooks.
  ran.clear();
  router.route(req("1999"));
  EXPECT_TRUE(ran.empty());
}

TEST(LegState, OneTransitionFunction) {
  using S = LegState;
  using E = LegEvent;
  EXPECT_EQ(next_state(S::kCalling, E::kProvisional), S::kProceeding);
  EXPECT_EQ(next_state(S::kCalling, E::kAnswer), S::kAnswered);
  EXPECT_EQ(next_state(S::kProceeding, E::kAnswer), S::kAnswered);
  EXPECT_EQ(next_state(S::kAnswered, E::kHold), S::kHeld);
  EXPECT_EQ(next_state(S::kHeld, E::kResume), S::kAnswered);
  EXPECT_EQ(next_state(S::kHeld, E::kEnd), S::kEnded);
  EXPECT_EQ(next_state(S::kCalling, E::kHold), std::nullopt);
  EXPECT_EQ(next_state(S::kAnswered, E::kProvisional), std::nullopt);
  EXPECT_EQ(next_state(S::kEnded, E::kAnswer), std::nullopt);
  EXPECT_EQ(next_state(S::kEnded, E::kEnd), std::nullopt);

  Leg leg(MediaSide::kA, "tag", "1", "192.0.2.1");
  EXPECT_TRUE(leg.on(E::kProvisional));
  EXPECT_FALSE(leg.on(E::kHold));
  EXPECT_EQ(leg.state(), S::kProceeding);
  EXPECT_TRUE(leg.on(E::kAnswer));
  EXPECT_TRUE(leg.on(E::kEnd));
  EXPECT_TRUE(leg.ended());
}

}  // namespace
}  // namespace switchboard::core
