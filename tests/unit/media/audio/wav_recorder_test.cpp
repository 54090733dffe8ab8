#include "media/audio/wav_recorder.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "media/audio/sound_file.hpp"
#include "unit/media/audio/test_signals.hpp"

namespace switchboard::media::audio {
namespace {

namespace fs = std::filesystem;
using test::tone;

class WavRecorderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("sb_rec_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(WavRecorderTest, FinishRenamesAndKeepsEverySample) {
  std::string path = (dir_ / "msg.wav").string();
  auto rec = WavRecorder::create(path);
  ASSERT_TRUE(rec.ok()) << rec.error().message;
  EXPECT_TRUE(fs::exists((*rec)->temp_path()));
  auto audio = tone(440, 8000, 8000 * 5 / 2);
  for (std::size_t i = 0; i < audio.size(); i += 160) {
    ASSERT_TRUE((*rec)->write(std::span(audio).subspan(i, 160)).ok());
  }
  EXPECT_NEAR((*rec)->seconds(), 2.5, 1e-9);
  ASSERT_TRUE((*rec)->finish().ok());
  EXPECT_FALSE(fs::exists(path + ".part"));
  auto back = read_sound_file(path);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->rate, 8000);
  EXPECT_EQ(back->samples, audio);
}

TEST_F(WavRecorderTest, TruncateDropsTheTail) {
  std::string path = (dir_ / "t.wav").string();
  auto rec = WavRecorder::create(path);
  ASSERT_TRUE(rec.ok());
  auto audio = tone(440, 8000, 16000);
  ASSERT_TRUE((*rec)->write(audio).ok());
  ASSERT_TRUE((*rec)->truncate(12000).ok());
  EXPECT_EQ((*rec)->samples_written(), 12000);
  ASSERT_TRUE((*rec)->write(std::span(audio).subspan(0, 800)).ok());
  ASSERT_TRUE((*rec)->finish().ok());
  auto back = read_sound_file(path);
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->samples.size(), 12800u);
  EXPECT_TRUE(std::equal(audio.begin(), audio.begin() + 12000, back->samples.begin()));
}

TEST_F(WavRecorderTest, AbortAndDestructorRemoveThePartialFile) {
  std::string path = (dir_ / "a.wav").string();
  {
    auto rec = WavRecorder::create(path);
    ASSERT_TRUE(rec.ok());
    ASSERT_TRUE((*rec)->write(tone(440, 8000, 800)).ok());
  }
  EXPECT_FALSE(fs::exists(path + ".part"));
  EXPECT_FALSE(fs::exists(path));
}

TEST_F(WavRecorderTest, FsyncRunsWhereTheCallerSays) {
  int jobs = 0;
  RecorderOptions opt;
  opt.run_blocking = [&](std::function<void()> job) {
    ++jobs;
    job();
  };
  auto rec = WavRecorder::create((dir_ / "s.wav").string(), opt);
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(jobs, 1);  // the empty header
  auto second = tone(440, 8000, 8000);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE((*rec)->write(second).ok());
  EXPECT_EQ(jobs, 4);  // once per second of audio
  ASSERT_TRUE((*rec)->finish().ok());
}

TEST_F(WavRecorderTest, MissingDirectoryIsAnError) {
  auto rec = WavRecorder::create((dir_ / "no" / "such" / "x.wav").string());
  ASSERT_FALSE(rec.ok());
  EXPECT_EQ(rec.error().code, ErrorCode::kIoError);
}

// The real thing: a child process records in real time and is killed with
// SIGKILL mid-recording; the partial file must play and hold every second
// that was completed before the kill.
TEST_F(WavRecorderTest, KillNineLeavesAPlayableFileUpToTheLastSecond) {
  std::string path = (dir_ / "crash.wav").string();
  int pipefd[2];
  ASSERT_EQ(::pipe(pipefd), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(pipefd[0]);
    auto rec = WavRecorder::create(path);
    if (!rec.ok()) ::_exit(2);
    // 3.5 s as fast as possible (3 syncs), then tell the parent and keep
    // recording a frame every 20 ms until killed.
    std::size_t offset = 0;
    for (int i = 0; i < 175; ++i, offset += 160) {
      if (!(*rec)->write(tone(440, 8000, 160, 8000, offset)).ok()) ::_exit(3);
    }
    char c = 'r';
    if (::write(pipefd[1], &c, 1) != 1) ::_exit(4);
    for (;;) {
      (void)(*rec)->write(tone(440, 8000, 160, 8000, offset));
      offset += 160;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  ::close(pipefd[1]);
  char c = 0;
  ASSERT_EQ(::read(pipefd[0], &c, 1), 1);
  ::close(pipefd[0]);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // mid-second
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status));
  ASSERT_EQ(WTERMSIG(status), SIGKILL);

  ASSERT_FALSE(fs::exists(path));
  auto partial = read_sound_file(path + ".part");
  ASSERT_TRUE(partial.ok()) << partial.error().message;
  EXPECT_GE(partial->seconds(), 3.0);  // every completed second
  EXPECT_LE(partial->seconds(), 4.6);
  auto expected = tone(440, 8000, partial->samples.size());
  EXPECT_EQ(partial->samples, expected);

  auto recovered = recover_recordings(dir_.string());
  ASSERT_TRUE(recovered.ok());
  ASSERT_EQ(recovered->size(), 1u);
  EXPECT_EQ(recovered->front(), path);
  auto after = read_sound_file(path);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->samples.size(), partial->samples.size());
}

}  // namespace
}  // namespace switchboard::media::audio
