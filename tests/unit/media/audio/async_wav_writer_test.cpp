// AsyncWavWriter: every file operation runs on the given executor, in
// order; the file appears only when finished (crash-safe .part before);
// stereo frames; errors come back in Done.
#include "media/audio/async_wav_writer.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>
#include <unistd.h>

#include <deque>
#include <filesystem>

namespace switchboard::media::audio {
namespace {

namespace fs = std::filesystem;

fs::path temp_dir() {
  auto p =
      fs::temp_directory_path() / ("sb-async-wav-" + std::to_string(::getpid()) + "-" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::create_directories(p);
  return p;
}

TEST(AsyncWavWriter, WritesStereoOnlyOnTheExecutorAndRenamesWhenFinished) {
  auto dir = temp_dir();
  std::deque<std::function<void()>> jobs;
  auto run = [&jobs](std::function<void()> fn) { jobs.push_back(std::move(fn)); };
  std::string path = (dir / "s.wav").string();
  RecorderOptions o;
  o.channels = 2;
  std::optional<AsyncWavWriter::Done> done;
  {
    AsyncWavWriter w(path, o, run, 100);
    std::vector<std::int16_t> frame(320);
    for (std::size_t i = 0; i < 160; ++i) {
      frame[2 * i] = 1000;
      frame[2 * i + 1] = -2000;
    }
    for (int i = 0; i < 50; ++i) w.write(frame);  // 1 s
    EXPECT_EQ(w.frames(), 8000);
    EXPECT_FALSE(fs::exists(path + ".part")) << "nothing touched the disk on this thread";
    w.finish([&](AsyncWavWriter::Done d) { done = std::move(d); });
  }
  EXPECT_GE(jobs.size(), 10u);
  while (!jobs.empty()) {
    auto job = std::move(jobs.front());
    jobs.pop_front();
    job();
  }
  ASSERT_TRUE(done);
  ASSERT_TRUE(done->status.ok()) << done->status.error().message;
  EXPECT_DOUBLE_EQ(done->seconds, 1.0);
  SF_INFO info{};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(info.channels, 2);
  EXPECT_EQ(info.frames, 8000);
  std::int16_t pair[2];
  sf_read_short(f, pair, 2);
  sf_close(f);
  EXPECT_EQ(pair[0], 1000);
  EXPECT_EQ(pair[1], -2000);
  fs::remove_all(dir);
}

TEST(AsyncWavWriter, ReportsACreateErrorInDoneAndWavRecorderRefusesHalfFrames) {
  auto dir = temp_dir();
  std::optional<AsyncWavWriter::Done> done;
  {
    AsyncWavWriter w((dir / "nope" / "x.wav").string(), {}, nullptr);
    std::vector<std::int16_t> frame(160, 5);
    w.write(frame);
    w.finish([&](AsyncWavWriter::Done d) { done = std::move(d); });
  }
  ASSERT_TRUE(done);
  EXPECT_FALSE(done->status.ok());
  EXPECT_EQ(done->status.error().code, ErrorCode::kIoError);

  RecorderOptions o;
  o.channels = 2;
  auto rec = WavRecorder::create((dir / "h.wav").string(), o);
  ASSERT_TRUE(rec.ok());
  std::vector<std::int16_t> odd(3, 1);
  EXPECT_EQ((*rec)->write(odd).error().code, ErrorCode::kInvalidArgument);
  o.channels = 3;
  EXPECT_EQ(WavRecorder::create((dir / "t.wav").string(), o).error().code,
            ErrorCode::kInvalidArgument);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace switchboard::media::audio
