// Crash-safe WAV recording (DESIGN.md §5): samples go to "<path>.part" in the
// target directory; at least every second of audio the WAV header is rewritten
// to cover everything written so far and the file is fsync'd, so a kill -9
// leaves a playable file holding all but the last second at most. finish()
// writes the final header, fsyncs, renames to <path> and fsyncs the directory.
// recover_recordings() renames what a crash left behind at the next start.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace switchboard::media::audio {

struct RecorderOptions {
  int rate = 8000;  ///< 16-bit PCM WAV at this rate (recording: 8 kHz)
  /// 1 (mono) or 2 (stereo: write() takes interleaved left/right samples).
  int channels = 1;
  /// Audio between two header updates + fsyncs.
  std::chrono::milliseconds sync_interval{1000};
  /// Runs a blocking job (fsync). Production: post to the worker pool
  /// (DESIGN.md §3); unset: run inline.
  std::function<void(std::function<void()>)> run_blocking;
};

/// Owned by one thread (the media thread that produces the audio).
class WavRecorder {
 public:
  /// Creates <path>.part (kIoError if the directory is missing or read-only).
  static Result<std::unique_ptr<WavRecorder>> create(const std::string& path,
                                                     RecorderOptions options = {});
  ~WavRecorder();  ///< Without finish(): abort() (the partial file is removed).
  WavRecorder(const WavRecorder&) = delete;
  WavRecorder& operator=(const WavRecorder&) = delete;

  /// Mono: samples; stereo: interleaved pairs (an odd count is refused).
  Status write(std::span<const std::int16_t> samples);
  /// Drops everything after the first `samples` frames (trailing silence).
  Status truncate(std::int64_t samples);
  /// Completes the file at its final path (blocking: fsync, rename).
  Status finish();
  /// Stops and deletes the partial file.
  void abort();

  const std::string& path() const { return path_; }
  std::string temp_path() const { return path_ + kPartSuffix; }
  /// Frames written (a stereo frame is one sample per channel).
  std::int64_t samples_written() const { return written_; }
  double seconds() const { return static_cast<double>(written_) / options_.rate; }

  static constexpr const char* kPartSuffix = ".part";

 private:
  struct Fd;
  WavRecorder(std::string path, RecorderOptions options);
  Status sync_now();

  std::string path_;
  RecorderOptions options_;
  std::shared_ptr<Fd> fd_;  // shared with in-flight fsync jobs
  void* sndfile_ = nullptr;
  std::int64_t written_ = 0;
  std::int64_t synced_at_ = 0;
  bool done_ = false;
};

/// Renames every readable "<name>.part" in `dir` (left by a crash) to "<name>";
/// returns the recovered paths.
Result<std::vector<std::string>> recover_recordings(const std::string& dir);

}  // namespace switchboard::media::audio
