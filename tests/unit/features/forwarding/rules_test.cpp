// Rule precedence (config defaults, user-set rules, user-set "off"),
// target checks, loop-safe resolution and feature-code parsing.
#include <gtest/gtest.h>

#include "features/forwarding/codes.hpp"
#include "features/forwarding/resolver.hpp"

namespace switchboard::features::forwarding {
namespace {

using core::TargetKind;

Classify dialplan() {
  return [](std::string_view n) {
    if (n.size() == 4 && n[0] == '1')
      return n <= "1005" ? TargetKind::kExtension : TargetKind::kNone;
    if (n.size() == 4 && n[0] == '8') return TargetKind::kQueue;
    if (n.size() == 2 && n[0] == '7') return TargetKind::kParking;
    if (n.size() > 4 && n[0] == '0') return TargetKind::kExternal;
    return TargetKind::kNone;
  };
}

TEST(ForwardingRules, UserSetRulesOverrideTheConfigUntilReset) {
  RuleTable t;
  Rules r;
  r.busy = "1003";
  t.set_defaults({{"1002", r}}, {});
  EXPECT_EQ(t.effective("1002", Condition::kBusy), "1003");
  EXPECT_EQ(t.effective("1002", Condition::kAlways), "");
  t.set_user_rule({"1002", Condition::kBusy, "1004"});
  EXPECT_EQ(t.effective("1002", Condition::kBusy), "1004");
  t.set_user_rule({"1002", Condition::kBusy, ""});  // `*91`: off, despite the config
  EXPECT_EQ(t.effective("1002", Condition::kBusy), "");
  EXPECT_EQ(t.configured("1002", Condition::kBusy), "1003");
  t.reset_user_rule("1002", Condition::kBusy);
  EXPECT_EQ(t.effective("1002", Condition::kBusy), "1003");
  // A config reload keeps what users set.
  t.set_user_rule({"1001", Condition::kAlways, "1005"});
  t.set_defaults({}, {});
  EXPECT_EQ(t.effective("1001", Condition::kAlways), "1005");
  EXPECT_EQ(t.effective("1002", Condition::kBusy), "");
  t.set_user_rules({});
  EXPECT_EQ(t.effective("1001", Condition::kAlways), "");
}

TEST(ForwardingRules, TargetsAreChecked) {
  RuleTable t;
  t.set_defaults({}, {"1001"});
  const auto c = dialplan();
  EXPECT_EQ(check_target(t, c, "1001", "1002"), "");
  EXPECT_EQ(check_target(t, c, "1001", "8001"), "");
  EXPECT_EQ(check_target(t, c, "1001", "voicemail"), "");
  EXPECT_EQ(check_target(t, c, "1001", "0049301234"), "");  // 1001 has allow_external
  EXPECT_NE(check_target(t, c, "1003", "0049301234").find("allow_external"), std::string::npos);
  EXPECT_NE(check_target(t, c, "1001", "1001"), "");  // itself
  EXPECT_NE(check_target(t, c, "1001", "1999"), "");  // no such extension
  EXPECT_NE(check_target(t, c, "1001", "71"), "");    // a parking slot
  EXPECT_NE(check_target(t, c, "1001", ""), "");
}

TEST(ForwardingResolve, FollowsAlwaysRulesAndSaysWhoForwardedLast) {
  RuleTable t;
  Rules r1, r2, r3;
  r1.busy = "1002";
  r2.always = "1003";
  r3.no_answer = "1004";  // not followed: only `always` chains
  t.set_defaults({{"1001", r1}, {"1002", r2}, {"1003", r3}}, {});
  auto res = resolve(t, dialplan(), "1001", Condition::kBusy);
  ASSERT_TRUE(res.route);
  EXPECT_EQ(res.route->kind, TargetKind::kExtension);
  EXPECT_EQ(res.route->target, "1003");
  EXPECT_EQ(res.route->forwarded_from, "1002");
  EXPECT_EQ(res.route->forward_reason, "always");
  EXPECT_FALSE(res.loop);
  EXPECT_FALSE(res.route->forward_loop);
  EXPECT_FALSE(resolve(t, dialplan(), "1001", Condition::kAlways).route);
  EXPECT_FALSE(resolve(t, dialplan(), "1004", Condition::kBusy).route);
}

TEST(ForwardingResolve, VoicemailQueueAndExternalTargets) {
  RuleTable t;
  Rules r;
  r.busy = "voicemail";
  r.no_answer = "8001";
  r.always = "0049301234";
  t.set_defaults({{"1001", r}}, {"1001"});
  auto vm = resolve(t, dialplan(), "1001", Condition::kBusy);
  ASSERT_TRUE(vm.route);
  EXPECT_EQ(vm.route->kind, TargetKind::kVoicemail);
  EXPECT_EQ(vm.route->target, "1001");  // its own mailbox
  auto q = resolve(t, dialplan(), "1001", Condition::kNoAnswer);
  ASSERT_TRUE(q.route);
  EXPECT_EQ(q.route->kind, TargetKind::kQueue);
  EXPECT_EQ(q.route->target, "8001");
  auto ext = resolve(t, dialplan(), "1001", Condition::kAlways);
  ASSERT_TRUE(ext.route);
  EXPECT_EQ(ext.route->kind, TargetKind::kExternal);
  // Without allow_external the rule is not followed.
  t.set_defaults({{"1001", r}}, {});
  auto refused = resolve(t, dialplan(), "1001", Condition::kAlways);
  EXPECT_FALSE(refused.route);
  EXPECT_NE(refused.refused.find("allow_external"), std::string::npos);
}

TEST(ForwardingResolve, LoopsStopAtTheLastExtensionNotYetVisited) {
  RuleTable t;
  Rules a, b, c;
  a.always = "1002";
  b.always = "1001";
  t.set_defaults({{"1001", a}, {"1002", b}}, {});
  auto two = resolve(t, dialplan(), "1001", Condition::kAlways);  // A→B→A
  ASSERT_TRUE(two.route);
  EXPECT_EQ(two.route->target, "1002");
  EXPECT_TRUE(two.loop);
  EXPECT_TRUE(two.route->forward_loop);
  b.always = "1003";
  c.always = "1001";
  t.set_defaults({{"1001", a}, {"1002", b}, {"1003", c}}, {});
  auto three = resolve(t, dialplan(), "1001", Condition::kAlways);  // A→B→C→A
  ASSERT_TRUE(three.route);
  EXPECT_EQ(three.route->target, "1003");
  EXPECT_EQ(three.route->forwarded_from, "1002");
  EXPECT_TRUE(three.route->forward_loop);
  // A→B→C→D→A: the visited set stops at D (the hop limit alone would not).
  Rules d;
  c.always = "1004";
  d.always = "1001";
  t.set_defaults({{"1001", a}, {"1002", b}, {"1003", c}, {"1004", d}}, {});
  auto four = resolve(t, dialplan(), "1001", Condition::kAlways);
  ASSERT_TRUE(four.route);
  EXPECT_EQ(four.route->target, "1004");
  EXPECT_EQ(four.route->forwarded_from, "1003");
  EXPECT_TRUE(four.loop);
  // At run time: the first hop leads back to an extension the call rang.
  Rules busy;
  busy.busy = "1001";
  t.set_defaults({{"1002", busy}}, {});
  auto back = resolve(t, dialplan(), "1002", Condition::kBusy, {"1001", "1002"});
  EXPECT_FALSE(back.route);
  EXPECT_TRUE(back.loop);
}

TEST(ForwardingResolve, AChainLongerThanTheHopLimitIsCut) {
  RuleTable t;
  std::map<std::string, Rules> rules;
  for (int i = 1; i <= 5; ++i)
    rules["100" + std::to_string(i)].always = "100" + std::to_string(i + 1);
  rules["1006"].always = "1005";  // 1001→…→1006 needs 5 hops, then one more
  t.set_defaults(rules, {});
  auto classify = [](std::string_view n) {
    return n.size() == 4 && n[0] == '1' ? TargetKind::kExtension : TargetKind::kNone;
  };
  auto res = resolve(t, classify, "1001", Condition::kAlways);
  ASSERT_TRUE(res.route);
  EXPECT_EQ(res.route->target, "1006");
  EXPECT_TRUE(res.loop);
}

TEST(ForwardingCodes, SetAndClearCodes) {
  FeatureCodes codes;
  auto a = parse_code(codes, "*721003");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->condition, Condition::kAlways);
  EXPECT_TRUE(a->set);
  EXPECT_EQ(a->target, "1003");
  auto b = parse_code(codes, "*73");
  ASSERT_TRUE(b);
  EXPECT_FALSE(b->set);
  EXPECT_EQ(parse_code(codes, "*901002")->condition, Condition::kBusy);
  EXPECT_EQ(parse_code(codes, "*91")->condition, Condition::kBusy);
  EXPECT_EQ(parse_code(codes, "*920049301234")->condition, Condition::kNoAnswer);
  EXPECT_FALSE(parse_code(codes, "*93")->set);
  auto empty = parse_code(codes, "*72");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->set);
  EXPECT_EQ(empty->target, "");
  EXPECT_FALSE(parse_code(codes, "*731"));      // a clear code stands alone
  EXPECT_FALSE(parse_code(codes, "*72*1003"));  // digits only
  EXPECT_FALSE(parse_code(codes, "*1001"));
  EXPECT_FALSE(parse_code(codes, "1002"));
  codes.set_always = "#21";
  EXPECT_FALSE(parse_code(codes, "*721003"));
  EXPECT_EQ(parse_code(codes, "#211003")->target, "1003");
}

}  // namespace
}  // namespace switchboard::features::forwarding
