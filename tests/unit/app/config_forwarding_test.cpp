// Call forwarding in the config (issue 7 §3): extensions[].forward and
// features.forwarding_codes, with every bad value named by file:line:column.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/config/loader.hpp"

namespace switchboard::app::config {
namespace {

using ::testing::HasSubstr;

EnvLookup no_env() {
  return [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
}

std::string all_messages(const LoadResult& r) {
  std::string out;
  for (const auto& d : r.diagnostics.all()) out += d.format() + "\n";
  return out;
}

// 1001 may call outside, 1003 may not; a queue and an external pattern.
const char* kBase = R"yaml(extensions:
- number: '1001'
  password: Correct-Horse-1
  allow_external: true
- number: '1002'
  password: Correct-Horse-2
- number: '1003'
  password: Correct-Horse-3
  allow_external: false
dialplan:
  internal_pattern: ^1[0-9]{3}$
  queue_pattern: ^8[0-9]{3}$
  external_pattern: ^0[0-9]+$
queues:
- number: '8001'
  name: Sales
)yaml";

std::string with_forward(const std::string& ext, const std::string& forward) {
  std::string text = kBase;
  const std::string anchor =
      "- number: '" + ext + "'\n  password: Correct-Horse-" + ext.substr(3) + "\n";
  text.insert(text.find(anchor) + anchor.size(), forward);
  return text;
}

TEST(ForwardingConfig, EveryKindOfTargetAndItsOwnTimeout) {
  auto r = load_string(with_forward("1001",
                                    "  forward:\n    always: '1002'\n    busy: voicemail\n"
                                    "    no_answer: '0049301234'\n"
                                    "    no_answer_timeout: 12\n"),
                       "f.yml", no_env());
  ASSERT_TRUE(r.ok()) << all_messages(r);
  EXPECT_TRUE(r.diagnostics.warnings().empty()) << all_messages(r);
  const auto& f = r.config->extensions[0].forward;
  EXPECT_EQ(f.always, "1002");
  EXPECT_EQ(f.busy, "voicemail");
  EXPECT_EQ(f.no_answer, "0049301234");
  EXPECT_EQ(f.no_answer_timeout, 12);
  EXPECT_TRUE(r.config->extensions[1].forward.always.empty());
  auto queue =
      load_string(with_forward("1002", "  forward:\n    busy: '8001'\n"), "f.yml", no_env());
  ASSERT_TRUE(queue.ok()) << all_messages(queue);
  EXPECT_EQ(queue.config->extensions[1].forward.busy, "8001");
}

TEST(ForwardingConfig, ExternalTargetWithoutAllowExternalIsAnErrorAtItsPosition) {
  auto r = load_string(with_forward("1003", "  forward:\n    no_answer: '0049301234'\n"), "f.yml",
                       no_env());
  ASSERT_FALSE(r.ok());
  auto errors = r.diagnostics.errors();
  ASSERT_EQ(errors.size(), 1u) << all_messages(r);
  EXPECT_EQ(errors[0].path, "extensions[2].forward.no_answer");
  EXPECT_EQ(errors[0].line, 10);
  EXPECT_EQ(errors[0].column, 16);
  EXPECT_THAT(errors[0].message,
              HasSubstr("0049301234 is an external number and extension 1003 has "
                        "allow_external: false"));
}

TEST(ForwardingConfig, BadTargetsAreErrors) {
  auto r = load_string(with_forward("1002",
                                    "  forward:\n    always: '1002'\n    busy: '1999'\n"
                                    "    no_answer: 'mailbox'\n"
                                    "    no_answer_timeout: 0\n"),
                       "f.yml", no_env());
  ASSERT_FALSE(r.ok());
  const std::string all = all_messages(r);
  EXPECT_THAT(all, HasSubstr("f.yml:8:13: extensions[1].forward.always: extension 1002 cannot "
                             "forward to itself"));
  EXPECT_THAT(all, HasSubstr("extensions[1].forward.busy: extension 1999 is not defined"));
  EXPECT_THAT(all, HasSubstr("extensions[1].forward.no_answer: expected an extension, queue or "
                             "phone number"));
  EXPECT_THAT(all, HasSubstr("extensions[1].forward.no_answer_timeout"));
  auto queue =
      load_string(with_forward("1002", "  forward:\n    busy: '8009'\n"), "f.yml", no_env());
  EXPECT_THAT(all_messages(queue), HasSubstr("queue 8009 is not defined in queues"));
  // An external number the dialplan cannot dial.
  auto nowhere =
      load_string(with_forward("1001", "  forward:\n    busy: '99999'\n"), "f.yml", no_env());
  EXPECT_THAT(all_messages(nowhere), HasSubstr("99999 does not match dialplan.external_pattern"));
  auto typo =
      load_string(with_forward("1001", "  forward:\n    allways: '1002'\n"), "f.yml", no_env());
  ASSERT_TRUE(typo.ok());
  EXPECT_THAT(all_messages(typo), HasSubstr("extensions[0].forward.allways"));
}

TEST(ForwardingConfig, FeatureCodesHaveDefaultsAndCanBeChanged) {
  auto r = load_string(kBase, "f.yml", no_env());
  ASSERT_TRUE(r.ok()) << all_messages(r);
  const auto& d = r.config->features.forwarding_codes;
  EXPECT_EQ(d.set_always, "*72");
  EXPECT_EQ(d.clear_always, "*73");
  EXPECT_EQ(d.set_busy, "*90");
  EXPECT_EQ(d.clear_busy, "*91");
  EXPECT_EQ(d.set_no_answer, "*92");
  EXPECT_EQ(d.clear_no_answer, "*93");
  auto set = load_string(std::string(kBase) +
                             "features:\n  forwarding_codes:\n"
                             "    set_always: '*21'\n    clear_always: '#21'\n",
                         "f.yml", no_env());
  ASSERT_TRUE(set.ok()) << all_messages(set);
  EXPECT_EQ(set.config->features.forwarding_codes.set_always, "*21");
  EXPECT_EQ(set.config->features.forwarding_codes.clear_always, "#21");
  EXPECT_EQ(set.config->features.forwarding_codes.set_busy, "*90");
  auto bad = load_string(std::string(kBase) +
                             "features:\n  forwarding_codes:\n"
                             "    set_busy: '72'\n    clear_busy: '*73'\n",
                         "f.yml", no_env());
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(all_messages(bad), HasSubstr("f.yml:19:15: features.forwarding_codes.set_busy"));
  EXPECT_THAT(all_messages(bad), HasSubstr("*73 is used for two forwarding codes"));
}

}  // namespace
}  // namespace switchboard::app::config
