// Recording from a media thread without blocking it: write() only appends to
// a batch; every `batch` of audio the batch is handed to a serial blocking
// executor (a strand of the worker pool), which owns the WavRecorder — file
// creation, writes, header updates, fsync and the final rename all happen
// there, with the WavRecorder's crash-safety (<path>.part, rename on finish).
//
//   media thread: start() → write() … write() → finish(on_done)
//   worker:       create ─ write ─ write ─ … ─ finish/rename → on_done(Done)
//
// Thread-safety: the object is owned and called by one thread (the media
// thread); `run_serial` must run jobs one at a time in the order given
// (unset: inline, for tests). on_done runs on the executor's thread.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "media/audio/frame_io.hpp"
#include "media/audio/wav_recorder.hpp"

namespace switchboard::media::audio {

class AsyncWavWriter {
 public:
  struct Done {
    std::string path;
    double seconds = 0;
    Status status;  ///< the first error (create, write, finish), else Ok
  };
  using OnDone = std::function<void(Done)>;

  /// `options.run_blocking` is ignored: the recorder already runs on the
  /// executor. `batch_ms` of audio go to the executor per job.
  AsyncWavWriter(std::string path, RecorderOptions options, Post run_serial, int batch_ms = 200);
  /// Without finish(): finishes the file anyway (a recording is never lost
  /// because its owner went away), without a callback.
  ~AsyncWavWriter();
  AsyncWavWriter(const AsyncWavWriter&) = delete;
  AsyncWavWriter& operator=(const AsyncWavWriter&) = delete;

  /// Mono samples or interleaved stereo frames.
  void write(std::span<const std::int16_t> samples);
  /// Flushes the batch, completes the file on the executor, then on_done.
  /// Later writes are ignored.
  void finish(OnDone on_done);

  const std::string& path() const { return path_; }
  /// Frames handed over so far.
  std::int64_t frames() const { return frames_; }

 private:
  struct State;
  void flush();

  std::string path_;
  int channels_;
  Post run_;
  std::size_t batch_samples_;
  std::vector<std::int16_t> pending_;
  std::shared_ptr<State> state_;
  std::int64_t frames_ = 0;
  bool finished_ = false;
};

}  // namespace switchboard::media::audio
