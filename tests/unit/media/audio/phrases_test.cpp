#include "media/audio/phrases.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

namespace switchboard::media::audio {
namespace {

using P = Phrase;

TEST(Phrases, Numbers) {
  EXPECT_EQ(number_phrase(0), (P{"zero"}));
  EXPECT_EQ(number_phrase(7), (P{"seven"}));
  EXPECT_EQ(number_phrase(13), (P{"thirteen"}));
  EXPECT_EQ(number_phrase(20), (P{"twenty"}));
  EXPECT_EQ(number_phrase(45), (P{"forty", "five"}));
  EXPECT_EQ(number_phrase(100), (P{"one", "hundred"}));
  EXPECT_EQ(number_phrase(345), (P{"three", "hundred", "forty", "five"}));
  EXPECT_EQ(number_phrase(1002), (P{"one", "thousand", "two"}));
  EXPECT_EQ(number_phrase(21019), (P{"twenty", "one", "thousand", "nineteen"}));
}

TEST(Phrases, Ordinals) {
  EXPECT_EQ(ordinal_phrase(1), (P{"first"}));
  EXPECT_EQ(ordinal_phrase(12), (P{"twelfth"}));
  EXPECT_EQ(ordinal_phrase(20), (P{"twentieth"}));
  EXPECT_EQ(ordinal_phrase(24), (P{"twenty", "fourth"}));
  EXPECT_EQ(ordinal_phrase(30), (P{"thirtieth"}));
  EXPECT_EQ(ordinal_phrase(31), (P{"thirty", "first"}));
}

TEST(Phrases, MessageCounts) {
  EXPECT_EQ(message_count_phrase(3, MessageKind::kNew),
            (P{"you_have", "three", "new", "messages"}));
  EXPECT_EQ(message_count_phrase(1, MessageKind::kSaved),
            (P{"you_have", "one", "saved", "message"}));
  EXPECT_EQ(message_count_phrase(0, MessageKind::kNew), (P{"you_have", "no", "new", "messages"}));
}

TEST(Phrases, EnvelopeOfTheIssue) {
  // "Received Tuesday, November 24th at 3:45 PM from extension 1002"
  LocalTime t{2026, 11, 24, 2, 15, 45};
  EXPECT_EQ(envelope_phrase(t, "1002"),
            (P{"received", "tuesday", "november", "twenty", "fourth", "at", "three", "forty",
               "five", "pm", "from", "extension", "one", "zero", "zero", "two"}));
}

TEST(Phrases, TimesOfDay) {
  EXPECT_EQ(date_time_phrase({2026, 1, 1, 4, 0, 0}),
            (P{"thursday", "january", "first", "at", "twelve", "o_clock", "am"}));
  EXPECT_EQ(date_time_phrase({2026, 12, 31, 4, 12, 5}),
            (P{"thursday", "december", "thirty", "first", "at", "twelve", "oh", "five", "pm"}));
  EXPECT_EQ(date_time_phrase({2026, 6, 2, 2, 9, 30}),
            (P{"tuesday", "june", "second", "at", "nine", "thirty", "am"}));
  EXPECT_EQ(digits_phrase("*9#x"), (P{"star", "nine", "pound"}));
}

// Every name any phrase can produce is a prompt in prompts/en.txt.
TEST(Phrases, EveryWordIsAPrompt) {
  std::set<std::string> prompts;
  std::ifstream in(std::string(SB_SOURCE_DIR) + "/prompts/en.txt");
  ASSERT_TRUE(in);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    prompts.insert(line.substr(0, line.find('|')));
  }
  std::vector<Phrase> all;
  for (std::uint32_t n = 0; n < 2100; ++n) all.push_back(number_phrase(n));
  for (unsigned d = 1; d <= 31; ++d) all.push_back(ordinal_phrase(d));
  for (unsigned m = 1; m <= 12; ++m) {
    for (unsigned h = 0; h < 24; ++h) {
      for (unsigned min : {0u, 5u, 30u, 59u}) {
        all.push_back(
            envelope_phrase({2026, m, 1 + (m * 3 + h) % 31, (m + h) % 7, h, min}, "0123456789*#"));
      }
    }
  }
  for (std::uint32_t c : {0u, 1u, 2u, 99u}) {
    all.push_back(message_count_phrase(c, MessageKind::kNew));
    all.push_back(message_count_phrase(c, MessageKind::kSaved));
  }
  for (const auto& phrase : all) {
    for (const auto& word : phrase) ASSERT_TRUE(prompts.count(word)) << word;
  }
  for (const char* required : {"welcome", "enter_pin", "invalid_pin", "main_menu",
                               "message_playback", "message_menu", "goodbye", "beep"}) {
    EXPECT_TRUE(prompts.count(required)) << required;
  }
}

}  // namespace
}  // namespace switchboard::media::audio
