#include "media/audio/prompt_catalog.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <filesystem>

#include "media/audio/sound_file.hpp"
#include "unit/media/audio/test_signals.hpp"

namespace switchboard::media::audio {
namespace {

namespace fs = std::filesystem;

const std::string kBuiltIn = std::string(SB_BINARY_DIR) + "/prompts/en";

// The build rendered every prompt at both rates as 16-bit mono WAV.
TEST(Prompts, RenderedAtBuildTimeAtEightAndSixteenKhz) {
  for (int rate : {8000, 16000}) {
    for (const char* name :
         {"welcome", "enter_pin", "invalid_pin", "main_menu", "message_playback", "message_menu",
          "goodbye", "beep", "you_have", "november", "thirtieth"}) {
      std::string path = kBuiltIn + "/" + std::to_string(rate) + "/" + name + ".wav";
      auto info = probe_sound_file(path);
      ASSERT_TRUE(info.ok()) << path;
      EXPECT_EQ(info->rate, rate);
      EXPECT_EQ(info->channels, 1);
      EXPECT_EQ(info->format, SF_FORMAT_WAV | SF_FORMAT_PCM_16) << path;
      EXPECT_GT(info->frames, rate / 10) << path;
    }
  }
  // The beep is a 1 kHz tone, not speech.
  auto beep = read_sound_file(kBuiltIn + "/8000/beep.wav");
  ASSERT_TRUE(beep.ok());
  EXPECT_NEAR(beep->seconds(), 0.25, 0.01);
  EXPECT_GT(test::tone_level(beep->samples, 1000, 8000), 8000);
}

class PromptCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    custom_ = fs::temp_directory_path() / ("sb_prompts_" + std::to_string(::getpid()));
    fs::create_directories(custom_);
  }
  void TearDown() override { fs::remove_all(custom_); }
  fs::path custom_;
};

TEST_F(PromptCatalogTest, BuiltInPromptsLoadAndAreShared) {
  PromptCatalog catalog({custom_.string(), kBuiltIn});
  EXPECT_EQ(catalog.cached("welcome", 8000), nullptr);
  auto a = catalog.get("welcome", 8000);
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ((*a)->rate, 8000);
  EXPECT_GT((*a)->seconds(), 0.5);
  auto b = catalog.get("welcome", 8000);
  EXPECT_EQ(a->get(), b->get());  // cached, not reloaded
  EXPECT_EQ(catalog.cached("welcome", 8000).get(), a->get());
  auto wide = catalog.get("welcome", 16000);
  ASSERT_TRUE(wide.ok());
  EXPECT_EQ((*wide)->rate, 16000);
}

TEST_F(PromptCatalogTest, CustomReplacementInAnyFormatWins) {
  // The administrator's own greeting: 44.1 kHz stereo FLAC named welcome.flac.
  std::string path = (custom_ / "welcome.flac").string();
  SF_INFO info{};
  info.samplerate = 44100;
  info.channels = 2;
  info.format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr);
  auto mono = test::tone(700, 44100, 44100, 9000);
  std::vector<std::int16_t> stereo;
  for (auto v : mono) stereo.insert(stereo.end(), {v, v});
  sf_writef_short(f, stereo.data(), static_cast<sf_count_t>(mono.size()));
  sf_close(f);

  PromptCatalog catalog({custom_.string(), kBuiltIn});
  EXPECT_EQ(*catalog.path("welcome", 8000), path);
  auto p = catalog.get("welcome", 8000);
  ASSERT_TRUE(p.ok());
  EXPECT_NEAR((*p)->seconds(), 1.0, 0.01);
  EXPECT_NEAR(test::tone_level((*p)->samples, 700, 8000), 9000, 600);
  // Other prompts still come from the built-in set.
  EXPECT_EQ(*catalog.path("goodbye", 8000), kBuiltIn + "/8000/goodbye.wav");
}

TEST_F(PromptCatalogTest, ReplacementAtAnyRateWinsAndOtherRatesAreConverted) {
  fs::create_directories(custom_ / "16000");
  fs::copy_file(kBuiltIn + "/16000/goodbye.wav", custom_ / "16000" / "beep.wav");
  PromptCatalog catalog({custom_.string(), kBuiltIn});
  EXPECT_EQ(*catalog.path("beep", 16000), (custom_ / "16000" / "beep.wav").string());
  // A replacement wins at every rate: the 16 kHz file, converted, for 8 kHz.
  EXPECT_EQ(*catalog.path("beep", 8000), (custom_ / "16000" / "beep.wav").string());
  auto narrow = catalog.get("beep", 8000);
  ASSERT_TRUE(narrow.ok());
  EXPECT_EQ((*narrow)->rate, 8000);
  // A 48 kHz leg gets the best built-in rendering, converted.
  auto wide = catalog.get("welcome", 48000);
  ASSERT_TRUE(wide.ok());
  EXPECT_EQ((*wide)->rate, 48000);
  EXPECT_EQ(*catalog.path("welcome", 48000), kBuiltIn + "/16000/welcome.wav");
}

TEST_F(PromptCatalogTest, UnknownAndBadNames) {
  PromptCatalog catalog({custom_.string(), kBuiltIn});
  EXPECT_EQ(catalog.get("no_such_prompt", 8000).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(catalog.get("../etc/passwd", 8000).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(catalog.get("Welcome", 8000).error().code, ErrorCode::kInvalidArgument);
}

TEST_F(PromptCatalogTest, PreloadLoadsEverything) {
  PromptCatalog catalog({custom_.string(), kBuiltIn});
  auto names = catalog.names();
  EXPECT_GE(names.size(), 90u);
  auto n = catalog.preload(8000);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, names.size());
  EXPECT_NE(catalog.cached("thousand", 8000), nullptr);
  catalog.clear();
  EXPECT_EQ(catalog.cached("thousand", 8000), nullptr);
}

}  // namespace
}  // namespace switchboard::media::audio
