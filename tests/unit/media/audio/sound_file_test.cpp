#include "media/audio/sound_file.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <filesystem>

#include "media/audio/resampler.hpp"
#include "unit/media/audio/test_signals.hpp"

namespace switchboard::media::audio {
namespace {

namespace fs = std::filesystem;
using test::tone;
using test::tone_level;

class SoundFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("sb_sound_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes `seconds` of a 440 Hz tone (same on every channel) with libsndfile.
  std::string write(const std::string& name, int format, int rate, int channels, double seconds) {
    std::string path = (dir_ / name).string();
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = channels;
    info.format = format;
    SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
    EXPECT_NE(f, nullptr) << sf_strerror(nullptr);
    if (f == nullptr) return path;
    auto mono = tone(440, rate, static_cast<std::size_t>(seconds * rate), 10000);
    std::vector<std::int16_t> inter;
    for (auto v : mono) inter.insert(inter.end(), static_cast<std::size_t>(channels), v);
    sf_writef_short(f, inter.data(), static_cast<sf_count_t>(mono.size()));
    sf_close(f);
    return path;
  }

  fs::path dir_;
};

struct Case {
  const char* name;
  int format;
  int rate;
  int channels;
};

TEST_F(SoundFileTest, ReadsEveryFormatAtAnyRateIntoEightAndSixteenKhz) {
  const Case cases[] = {
      {"a.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 2},
      {"b.wav", SF_FORMAT_WAV | SF_FORMAT_ULAW, 8000, 1},
      {"c.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 16000, 1},
      {"d.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 48000, 2},
      {"e.mp3", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 44100, 1},
  };
  for (const auto& c : cases) {
    std::string path = write(c.name, c.format, c.rate, c.channels, 2.0);
    for (int rate : {8000, 16000}) {
      SCOPED_TRACE(std::string(c.name) + " -> " + std::to_string(rate));
      auto pcm = read_sound_file(path, rate);
      ASSERT_TRUE(pcm.ok()) << pcm.error().message;
      EXPECT_EQ(pcm->rate, rate);
      // MP3 pads the start and end with encoder delay: within 0.1 s.
      EXPECT_NEAR(pcm->seconds(), 2.0, 0.1);
      std::span<const std::int16_t> mid(pcm->samples.data() + rate / 2,
                                        static_cast<std::size_t>(rate));
      EXPECT_NEAR(tone_level(mid, 440, rate), 10000, 1500);
      EXPECT_LT(tone_level(mid, 1000, rate), 300);
    }
  }
}

TEST_F(SoundFileTest, ProbeReportsTheHeader) {
  std::string path = write("p.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 48000, 2, 0.5);
  auto info = probe_sound_file(path);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->rate, 48000);
  EXPECT_EQ(info->channels, 2);
  EXPECT_EQ(info->frames, 24000);
}

TEST_F(SoundFileTest, MissingOrGarbageFileIsAnError) {
  EXPECT_FALSE(read_sound_file((dir_ / "none.wav").string(), 8000).ok());
  std::string junk = (dir_ / "junk.wav").string();
  FILE* f = std::fopen(junk.c_str(), "w");
  std::fputs("this is not audio at all, just text pretending", f);
  std::fclose(f);
  auto r = read_sound_file(junk, 8000);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kIoError);
}

TEST_F(SoundFileTest, StreamsAFileFrameByFrameAndLoops) {
  std::string path = write("moh.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 48000, 2, 1.0);
  auto src = SoundFileSource::open(path, 8000, /*loop=*/true);
  ASSERT_TRUE(src.ok()) << src.error().message;
  std::vector<std::int16_t> frame(160), all;
  for (int i = 0; i < 150; ++i) {  // 3 s from a 1 s file
    ASSERT_EQ((*src)->read(frame), frame.size());
    all.insert(all.end(), frame.begin(), frame.end());
  }
  std::span<const std::int16_t> second(all.data() + 8000 + 2000, 4000);
  EXPECT_NEAR(tone_level(second, 440, 8000), 10000, 1500);
}

TEST_F(SoundFileTest, StreamWithoutLoopEnds) {
  std::string path = write("g.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 1, 0.5);
  auto src = SoundFileSource::open(path, 8000);
  ASSERT_TRUE(src.ok());
  std::vector<std::int16_t> frame(160);
  std::size_t total = 0, got = 0;
  while ((got = (*src)->read(frame)) == frame.size()) total += got;
  total += got;
  EXPECT_NEAR(static_cast<double>(total), 4000, 40);
  EXPECT_EQ((*src)->read(frame), 0u);
}

TEST(Resampler, KeepsFrequencyAndLevel) {
  PcmBuffer in{48000, tone(1000, 48000, 48000, 12000)};
  for (int rate : {8000, 16000}) {
    auto out = resample(in, rate);
    EXPECT_EQ(out.samples.size(), static_cast<std::size_t>(rate));
    std::span<const std::int16_t> mid(out.samples.data() + rate / 4,
                                      static_cast<std::size_t>(rate / 2));
    EXPECT_NEAR(tone_level(mid, 1000, rate), 12000, 600);
  }
}

}  // namespace
}  // namespace switchboard::media::audio
