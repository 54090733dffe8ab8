// The recording policy from the configuration: who is recorded, where the
// files go, and the start-up recovery of what a crash left as .part.
#include "features/recording/storage_policy.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>

#include "store/time.hpp"

namespace switchboard::features::recording {
namespace {

namespace fs = std::filesystem;

core::CallRecord call(const std::string& caller, const std::string& callee,
                      const std::string& id = "abc@host") {
  core::CallRecord r;
  r.call_id = id;
  r.caller = caller;
  r.callee = callee;
  return r;
}

class StoragePolicyTest : public ::testing::Test {
 protected:
  StoragePolicyTest() {
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  ~StoragePolicyTest() override { fs::remove_all(dir_); }

  StoragePolicy policy(RecordingSettings s) {
    s.storage_path = dir_.string();
    return StoragePolicy(std::move(s), [this] { return now; });
  }
  /// A 16-bit mono 8 kHz WAV of `samples` samples (a header as WavRecorder's syncs write).
  static void write_wav(const fs::path& p, std::uint32_t samples) {
    std::ofstream out(p, std::ios::binary);
    auto u32 = [&](std::uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
    auto u16 = [&](std::uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
    out.write("RIFF", 4);
    u32(36 + samples * 2);
    out.write("WAVEfmt ", 8);
    u32(16);
    u16(1);
    u16(1);
    u32(8000);
    u32(16000);
    u16(2);
    u16(16);
    out.write("data", 4);
    u32(samples * 2);
    for (std::uint32_t i = 0; i < samples; ++i) u16(static_cast<std::uint16_t>(i * 100));
  }

  // One directory per process: ctest runs this fixture's tests in parallel.
  fs::path dir_ =
      fs::temp_directory_path() / ("sb_recording_policy_test_" + std::to_string(::getpid()));
  store::Timestamp now = *store::parse_timestamp("2026-11-25T01:02:03.456Z");
};

TEST_F(StoragePolicyTest, AutoRecordAndTheExtensionsAlwaysAndNever) {
  RecordingSettings s;
  s.extensions = {{"1001", ExtensionRecording::kAlways}, {"1003", ExtensionRecording::kNever}};
  auto off = policy(s);
  EXPECT_FALSE(off.record_on_answer(call("1002", "1004")));
  EXPECT_TRUE(off.record_on_answer(call("1001", "1002")));  // the caller always
  EXPECT_TRUE(off.record_on_answer(call("1002", "1001")));  // the callee always
  EXPECT_TRUE(off.record_on_answer(call("1001", "1003")));  // always beats never
  s.auto_record = true;
  auto on = policy(s);
  EXPECT_TRUE(on.record_on_answer(call("1002", "1004")));
  EXPECT_FALSE(on.record_on_answer(call("1003", "1002")));  // never, either side
  EXPECT_FALSE(on.record_on_answer(call("1002", "1003")));
  EXPECT_EQ(extension_recording_from("always"), ExtensionRecording::kAlways);
  EXPECT_EQ(extension_recording_from("never"), ExtensionRecording::kNever);
  EXPECT_EQ(extension_recording_from("default"), ExtensionRecording::kDefault);
}

TEST_F(StoragePolicyTest, FilesGoUnderTheDayWithTimePartiesAndCallHash) {
  RecordingSettings s;
  s.stereo = true;
  auto p = policy(s);
  auto t = p.new_target(call("1001", "1002"));
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_TRUE(t->stereo);
  ASSERT_EQ(t->reference.size(), std::string("2026/11/25/010203_1001_1002_12345678.wav").size())
      << t->reference;
  EXPECT_EQ(t->reference.substr(0, 28), "2026/11/25/010203_1001_1002_");
  EXPECT_EQ(t->path, (dir_ / t->reference).string());
  EXPECT_TRUE(fs::is_directory(dir_ / "2026/11/25"));
  // The same call's hash again; another call's differs.
  auto again = p.new_target(call("1001", "1002"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->reference, t->reference);  // nothing was written yet
  auto other = p.new_target(call("1001", "1002", "other@host"));
  EXPECT_NE(other->reference, t->reference);
  // A name in use (finished or .part) is not reused.
  std::ofstream(t->path + ".part") << "x";
  auto second = p.new_target(call("1001", "1002"));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->reference, t->reference.substr(0, t->reference.size() - 4) + "-2.wav");
  // Odd characters of a number do not make paths.
  auto odd = p.new_target(call("../etc", "a b/c"));
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(odd->reference.substr(0, 28), "2026/11/25/010203_..-etc_a-b");
  EXPECT_EQ(fs::path(odd->path).parent_path(), dir_ / "2026/11/25");
}

TEST_F(StoragePolicyTest, AnUnwritableStorageIsAnError) {
  std::ofstream(dir_ / "file") << "x";
  RecordingSettings s;
  s.storage_path = (dir_ / "file").string();
  StoragePolicy p(s, [this] { return now; });
  auto t = p.new_target(call("1001", "1002"));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, ErrorCode::kIoError);
}

TEST_F(StoragePolicyTest, RecoverCompletesPartFilesAtAnyDepthAndLeavesTheRest) {
  fs::create_directories(dir_ / "2026/11/24");
  fs::create_directories(dir_ / "2026/11/25");
  write_wav(dir_ / "2026/11/24/a.wav.part", 8000);
  write_wav(dir_ / "2026/11/25/b.wav.part", 4000);
  write_wav(dir_ / "2026/11/25/done.wav", 100);
  std::ofstream(dir_ / "2026/11/25/garbage.wav.part") << "no header";
  auto r = StoragePolicy::recover(dir_.string());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->size(), 2u);
  EXPECT_TRUE(fs::exists(dir_ / "2026/11/24/a.wav"));
  EXPECT_FALSE(fs::exists(dir_ / "2026/11/24/a.wav.part"));
  EXPECT_TRUE(fs::exists(dir_ / "2026/11/25/b.wav"));
  EXPECT_EQ(fs::file_size(dir_ / "2026/11/25/b.wav"), 44u + 8000u);
  EXPECT_TRUE(fs::exists(dir_ / "2026/11/25/done.wav"));
  EXPECT_TRUE(fs::exists(dir_ / "2026/11/25/garbage.wav.part"));  // unreadable: left for a person
  // Nothing left to do; a missing storage is no error.
  EXPECT_TRUE(StoragePolicy::recover(dir_.string())->empty());
  EXPECT_TRUE(StoragePolicy::recover((dir_ / "none").string())->empty());
}

}  // namespace
}  // namespace switchboard::features::recording
