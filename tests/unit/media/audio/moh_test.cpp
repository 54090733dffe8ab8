// Music on hold: one class = one shared decoder broadcasting the same frames
// to every listener at its rate; files of any format and rate looped
// seamlessly in sequence or shuffled; the position advances only while
// somebody listens; file work only on run_blocking; MohService by name.
#include <gtest/gtest.h>
#include <sndfile.h>
#include <unistd.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <set>

#include "media/audio/moh_service.hpp"
#include "unit/media/audio/test_signals.hpp"

namespace switchboard::media::audio {
namespace {

namespace fs = std::filesystem;
using test::tone;
using test::tone_level;

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() /
           ("sb-moh-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

// Writes `seconds` of a `freq` sine at `rate` in `format`; false when the
// installed libsndfile cannot write that format.
bool write_tone(const fs::path& path, double freq, double seconds, int rate,
                int format = SF_FORMAT_WAV | SF_FORMAT_PCM_16) {
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = 1;
  info.format = format;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  if (f == nullptr) return false;
  auto pcm = tone(freq, rate, static_cast<std::size_t>(seconds * rate), 10000);
  sf_write_short(f, pcm.data(), static_cast<sf_count_t>(pcm.size()));
  sf_close(f);
  return true;
}

MohClassOptions opts(std::string name, std::vector<std::string> files) {
  MohClassOptions o;
  o.name = std::move(name);
  o.files = std::move(files);
  return o;
}

// Which of `freqs` dominates a frame (-1: silence).
int dominant(std::span<const std::int16_t> frame, const std::vector<double>& freqs, int rate) {
  int best = -1;
  double level = 500;  // well above the residue of a resampler, far below the tones
  for (std::size_t i = 0; i < freqs.size(); ++i) {
    double l = tone_level(frame, freqs[i], rate);
    if (l > level) {
      level = l;
      best = static_cast<int>(i);
    }
  }
  return best;
}

std::vector<int> listen_frames(FrameSource& src, int rate, int frames,
                               const std::vector<double>& freqs,
                               std::vector<std::vector<std::int16_t>>* raw = nullptr) {
  std::vector<int> out;
  std::vector<std::int16_t> frame(frame_samples(rate));
  for (int i = 0; i < frames; ++i) {
    bool ok = src.read(frame);
    out.push_back(ok ? dominant(frame, freqs, rate) : -2);
    if (raw) raw->push_back(frame);
  }
  return out;
}

TEST(MohClass, LoopsSeamlesslyAcrossFilesOfAnyFormatAndRateInSequence) {
  TempDir dir;
  ASSERT_TRUE(write_tone(dir.path / "a.wav", 400, 0.5, 8000));
  ASSERT_TRUE(write_tone(dir.path / "b.flac", 1000, 0.3, 44100, SF_FORMAT_FLAC | SF_FORMAT_PCM_16));
  auto cls = MohClass::create(opts("default", moh_files(dir.path.string())));
  ASSERT_TRUE(cls.ok());
  (*cls)->preload();
  auto l = (*cls)->listen(8000);
  ASSERT_TRUE(l.ok());
  auto seen = listen_frames(**l, 8000, 100, {400, 1000});
  // 25 frames of a, 15 of b, again and again, with no silent frame between.
  for (int i = 1; i < 100; ++i) {
    int k = i % 40;
    if (k == 0 || k == 25 || k == 24 || k == 39) continue;  // a frame that holds a file boundary
    EXPECT_EQ(seen[i], k < 25 ? 0 : 1) << "frame " << i;
  }
  for (int i = 1; i < 100; ++i) EXPECT_GE(seen[i], 0) << "no gap at frame " << i;
}

TEST(MohClass, EveryListenerGetsTheSameFramesAtItsRateFromOneDecoder) {
  TempDir dir;
  ASSERT_TRUE(write_tone(dir.path / "a.wav", 400, 0.4, 16000));
  ASSERT_TRUE(write_tone(dir.path / "b.ogg", 1200, 0.4, 48000, SF_FORMAT_OGG | SF_FORMAT_VORBIS));
  auto cls = MohClass::create(opts("c", moh_files(dir.path.string()))).value();
  cls->preload();
  auto l8 = cls->listen(8000).value();
  auto l16 = cls->listen(16000).value();
  auto l48 = cls->listen(48000).value();
  EXPECT_EQ(cls->listeners(), 3);
  std::vector<double> f{400, 1200};
  auto a = listen_frames(*l8, 8000, 60, f);
  auto b = listen_frames(*l16, 16000, 60, f);
  auto c = listen_frames(*l48, 48000, 60, f);
  int agree = 0;
  for (int i = 0; i < 60; ++i) agree += (a[i] == b[i] && b[i] == c[i]);
  EXPECT_GE(agree, 56);  // all but the frames that straddle a file boundary
  // One decoder: what was decoded covers one listener's position plus the
  // lead, not three listeners' worth.
  EXPECT_LE(cls->frames_decoded(), 60u + 150u + 1u);
  EXPECT_EQ(cls->listen(11025).error().code, ErrorCode::kInvalidArgument);
  l8.reset();
  EXPECT_EQ(cls->listeners(), 2);
}

TEST(MohClass, ALateListenerJoinsTheCurrentPositionAndMusicPausesWithNobodyListening) {
  TempDir dir;
  ASSERT_TRUE(write_tone(dir.path / "a.wav", 400, 0.3, 8000));
  ASSERT_TRUE(write_tone(dir.path / "b.wav", 900, 0.5, 8000));
  TimePoint now{};
  auto make = [&] {
    MohClassOptions o = opts("c", moh_files(dir.path.string()));
    o.now = [&now] { return now; };
    auto cls = MohClass::create(o).value();
    cls->preload();
    return cls;
  };
  auto cls = make();
  auto reference = make();  // the same files decoded the same way: the frames by number
  auto ref = reference->listen(8000).value();
  std::vector<std::vector<std::int16_t>> expected;
  listen_frames(*ref, 8000, 120, {}, &expected);

  std::vector<std::int16_t> frame(160);
  auto first = cls->listen(8000).value();
  for (int i = 0; i < 30; ++i) {
    ASSERT_TRUE(first->read(frame));
    EXPECT_EQ(frame, expected[static_cast<std::size_t>(i)]) << i;
    now += std::chrono::milliseconds(20);
  }
  auto second = cls->listen(8000).value();  // joins at frame 30, not at the start
  ASSERT_TRUE(second->read(frame));
  EXPECT_EQ(frame, expected[30]);
  ASSERT_TRUE(first->read(frame));
  EXPECT_EQ(frame, expected[30]);
  first.reset();
  second.reset();  // nobody listens from frame 31 on
  now += std::chrono::seconds(10);
  auto third = cls->listen(8000).value();
  ASSERT_TRUE(third->read(frame));
  EXPECT_EQ(frame, expected[31]) << "the music resumes where it paused";
}

TEST(MohClass, RandomOrderPlaysEveryFileOncePerRoundNeverTheSameTwiceInARow) {
  TempDir dir;
  std::vector<double> f{300, 700, 1100, 1500};
  for (std::size_t i = 0; i < f.size(); ++i)
    ASSERT_TRUE(write_tone(dir.path / ("t" + std::to_string(i) + ".wav"), f[i], 0.2, 8000));
  MohClassOptions o = opts("r", moh_files(dir.path.string()));
  o.order = MohOrder::kRandom;
  o.seed = 42;
  auto cls = MohClass::create(o).value();
  cls->preload();
  auto l = cls->listen(8000).value();
  auto seen = listen_frames(*l, 8000, 4 * 10 * 5, f);  // five rounds of four 10-frame files
  std::vector<int> segments;
  for (int s = 0; s < 20; ++s) segments.push_back(seen[static_cast<std::size_t>(s * 10 + 5)]);
  bool differs = false;
  for (int round = 0; round < 5; ++round) {
    std::set<int> files(segments.begin() + round * 4, segments.begin() + round * 4 + 4);
    EXPECT_EQ(files.size(), 4u) << "round " << round;
    if (round > 0)
      differs |= !std::equal(segments.begin(), segments.begin() + 4, segments.begin() + round * 4);
  }
  for (std::size_t s = 1; s < segments.size(); ++s) EXPECT_NE(segments[s], segments[s - 1]);
  EXPECT_TRUE(differs) << "the order is reshuffled between rounds";
}

TEST(MohClass, FilesAreReadOnlyOnTheBlockingExecutor) {
  TempDir dir;
  ASSERT_TRUE(write_tone(dir.path / "a.wav", 400, 4.0, 8000));  // longer than one fill
  ASSERT_TRUE(write_tone(dir.path / "broken.wav", 0, 0, 8000));
  fs::resize_file(dir.path / "broken.wav", 3);  // not a sound file any more
  std::deque<std::function<void()>> jobs;
  MohClassOptions o =
      opts("w", {(dir.path / "broken.wav").string(), (dir.path / "a.wav").string()});
  o.run_blocking = [&jobs](std::function<void()> fn) { jobs.push_back(std::move(fn)); };
  auto cls = MohClass::create(o).value();
  auto l = cls->listen(8000).value();
  std::vector<std::int16_t> frame(160);
  EXPECT_FALSE(l->read(frame)) << "nothing decoded yet: silence, and the reader never blocks";
  EXPECT_EQ(cls->files_opened(), 0u);
  ASSERT_EQ(jobs.size(), 1u) << "the read asked the worker for music";
  EXPECT_FALSE(l->read(frame));
  EXPECT_EQ(jobs.size(), 1u) << "one fill at a time";
  auto job = std::move(jobs.front());
  jobs.pop_front();
  job();
  EXPECT_EQ(cls->files_failed(), 1u);
  EXPECT_EQ(cls->files_opened(), 1u);
  EXPECT_TRUE(l->read(frame));
  EXPECT_GT(tone_level(frame, 400, 8000), 5000);
}

TEST(MohService, ClassesByDirectoryDefaultForUnknownNamesClearErrors) {
  TempDir dir;
  fs::create_directories(dir.path / "default");
  fs::create_directories(dir.path / "premium");
  fs::create_directories(dir.path / "empty");
  ASSERT_TRUE(write_tone(dir.path / "default" / "a.wav", 400, 0.5, 8000));
  ASSERT_TRUE(write_tone(dir.path / "premium" / "b.ogg", 1000, 0.5, 22050,
                         SF_FORMAT_OGG | SF_FORMAT_VORBIS));
  std::ofstream(dir.path / "premium" / "notes.txt") << "not music";
  bool mp3 = write_tone(dir.path / "premium" / "c.mp3", 1000, 0.5, 22050,
                        SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III);
  MohServiceOptions o;
  o.directory = dir.path.string();
  auto svc = MohService::create(o);
  ASSERT_TRUE(svc.ok()) << svc.error().message;
  EXPECT_EQ((*svc)->classes(), (std::vector<std::string>{"default", "premium"}));
  EXPECT_EQ((*svc)->find("premium")->name(), "premium");
  auto premium = (*svc)->listen("premium", 16000);
  ASSERT_TRUE(premium.ok());
  std::vector<std::int16_t> frame(320);
  ASSERT_TRUE((*premium)->read(frame));
  EXPECT_GT(tone_level(frame, 1000, 16000), 3000);
  auto fallback = (*svc)->listen("no-such-class", 8000);
  ASSERT_TRUE(fallback.ok());
  std::vector<std::int16_t> f8(160);
  ASSERT_TRUE((*fallback)->read(f8));
  EXPECT_GT(tone_level(f8, 400, 8000), 3000);
  EXPECT_EQ((*svc)->find("default")->listeners(), 1);
  EXPECT_EQ((*svc)->listen("", 44100).error().code, ErrorCode::kInvalidArgument);
  if (mp3) {
    EXPECT_EQ(moh_files((dir.path / "premium").string()).size(), 2u);
  }

  o.directory = (dir.path / "missing").string();
  EXPECT_EQ(MohService::create(o).error().code, ErrorCode::kNotFound);
  o.directory = (dir.path / "empty").string();
  EXPECT_EQ(MohService::create(o).error().code, ErrorCode::kNotFound);
  // Files directly in the directory are the default class.
  o.directory = (dir.path / "default").string();
  auto flat = MohService::create(o);
  ASSERT_TRUE(flat.ok());
  EXPECT_EQ((*flat)->classes(), (std::vector<std::string>{"default"}));
}

}  // namespace
}  // namespace switchboard::media::audio
