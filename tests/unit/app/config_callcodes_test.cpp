// Feature codes during calls in the config (issue 7 §2):
// features.call_codes, off when absent, defaults when present, each bad
// code named by file:line:column.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/config/loader.hpp"

namespace switchboard::app::config {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

EnvLookup no_env() {
  return [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
}

std::string all_messages(const LoadResult& r) {
  std::string out;
  for (const auto& d : r.diagnostics.all()) out += d.format() + "\n";
  return out;
}

const char* kBase = R"yaml(extensions:
- number: '1001'
  password: Correct-Horse-1
- number: '1002'
  password: Correct-Horse-2
)yaml";

TEST(CallCodesConfig, OffWithoutTheBlockDefaultsWithIt) {
  auto off = load_string(kBase, "c.yml", no_env());
  ASSERT_TRUE(off.ok()) << all_messages(off);
  EXPECT_FALSE(off.config->features.call_codes.enabled);
  auto on = load_string(std::string(kBase) + "features:\n  call_codes:\n    enabled: true\n",
                        "c.yml", no_env());
  ASSERT_TRUE(on.ok()) << all_messages(on);
  const auto& c = on.config->features.call_codes;
  EXPECT_TRUE(c.enabled);
  EXPECT_EQ(c.blind_transfer, "##");
  EXPECT_EQ(c.park, "*70");
  EXPECT_EQ(c.record_toggle, "*1");
  EXPECT_EQ(c.attended_transfer, "*2");
  EXPECT_EQ(c.three_way, "*3");
  EXPECT_EQ(c.cancel_consultation, "*0");
  EXPECT_EQ(c.inter_digit_timeout, 3);
}

TEST(CallCodesConfig, CodesCanBeChanged) {
  auto r = load_string(std::string(kBase) +
                           "features:\n  call_codes:\n    blind_transfer: '*9'\n"
                           "    park: '#5'\n    record_toggle: '**'\n    inter_digit_timeout: 5\n"
                           "    attended_transfer: '#2'\n    three_way: '#3'\n"
                           "    cancel_consultation: '#0'\n",
                       "c.yml", no_env());
  ASSERT_TRUE(r.ok()) << all_messages(r);
  const auto& c = r.config->features.call_codes;
  EXPECT_TRUE(c.enabled);
  EXPECT_EQ(c.blind_transfer, "*9");
  EXPECT_EQ(c.park, "#5");
  EXPECT_EQ(c.record_toggle, "**");
  EXPECT_EQ(c.attended_transfer, "#2");
  EXPECT_EQ(c.three_way, "#3");
  EXPECT_EQ(c.cancel_consultation, "#0");
  EXPECT_EQ(c.inter_digit_timeout, 5);
}

TEST(CallCodesConfig, BadCodesAreNamedWithTheirPlace) {
  auto bad = load_string(std::string(kBase) +
                             "features:\n  call_codes:\n    blind_transfer: '#x'\n"
                             "    park: '*12'\n    inter_digit_timeout: 0\n    speed: 3\n",
                         "c.yml", no_env());
  ASSERT_FALSE(bad.ok());
  const std::string m = all_messages(bad);
  EXPECT_THAT(m, HasSubstr("c.yml:8:21: features.call_codes.blind_transfer"));
  EXPECT_THAT(m, HasSubstr("expected 1 to 8 DTMF characters"));
  // *12 can never be reached: *1 (record) comes first.
  EXPECT_THAT(m, HasSubstr("c.yml:9:11: features.call_codes.park"));
  EXPECT_THAT(m, HasSubstr("park begins with record_toggle \"*1\""));
  EXPECT_THAT(m, HasSubstr("features.call_codes.inter_digit_timeout"));
  EXPECT_THAT(m, HasSubstr("speed"));
  auto same = load_string(std::string(kBase) + "features:\n  call_codes:\n    park: '##'\n",
                          "c.yml", no_env());
  ASSERT_FALSE(same.ok());
  EXPECT_THAT(all_messages(same), HasSubstr("c.yml:8:11: features.call_codes.park"));
  EXPECT_THAT(all_messages(same), Not(HasSubstr("call_codes.blind_transfer")));
  // The new codes are checked against the others too: *21 starts with *2.
  auto clash = load_string(std::string(kBase) + "features:\n  call_codes:\n    park: '*21'\n",
                           "c.yml", no_env());
  ASSERT_FALSE(clash.ok());
  EXPECT_THAT(all_messages(clash), HasSubstr("park begins with attended_transfer \"*2\""));
}

}  // namespace
}  // namespace switchboard::app::config
