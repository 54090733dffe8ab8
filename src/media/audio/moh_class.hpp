// One music-on-hold class (issue 7): the audio files of one directory
// played in sequential or random order, looped seamlessly across files (the
// next file continues in the same 20 ms frame the last one ended in), by
// ONE decoder shared by every listener — a broadcast: each listener gets
// the same frames, at its own rate (8, 16 or 48 kHz, converted once per
// class, not per listener).
//
//   decoder (worker pool)  files → 48 kHz → frames at 48/16/8 kHz → ring
//   listener (media thread) reads frame n, n+1, … of the ring (a copy)
//
// Time: the class advances only while listened to. Frame numbers are the
// class's playing position; a listener joins at the current position
// (position at the pause + 20 ms frames since the first listener joined),
// then reads one frame per read() — listeners on media threads read 50
// frames a second, so they stay together. With nobody listening the
// position stays put and the next listener resumes where music stopped.
//
// Files are read off the media thread: the ring is filled ahead (lead) on
// `run_blocking` (the worker pool), triggered by a read that finds less
// than `lead_frames` buffered and by preload(); a listener never opens or
// reads a file. A read the decoder could not serve (the worker is late) is
// silence (read() false) and the listener moves on with the others.
//
// Thread-safety: every member and every listener may be used from any
// thread; the ring is guarded by one mutex (a frame copy per read).
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "common/timers.hpp"
#include "media/audio/frame_io.hpp"
#include "media/audio/pcm.hpp"

namespace switchboard::media::audio {

enum class MohOrder : std::uint8_t { kSequential, kRandom };

struct MohClassOptions {
  std::string name;
  std::vector<std::string> files;  ///< played in this order when sequential
  MohOrder order = MohOrder::kSequential;
  std::uint32_t seed = 0;  ///< random order: the shuffle's seed (0: random_device)
  /// Blocking work (decoding): the worker pool. Unset: inline (tests).
  Post run_blocking;
  /// The clock for listeners joining; unset: steady_clock.
  std::function<TimePoint()> now;
  int lead_frames = 100;  ///< refill when fewer than this are buffered ahead (2 s)
  int fill_frames = 150;  ///< a refill decodes up to this far ahead (3 s)
};

class MohClass : public std::enable_shared_from_this<MohClass> {
 public:
  static constexpr int kDecodeRate = 48000;

  /// kInvalidArgument without files or with bad lead/fill sizes.
  static Result<std::shared_ptr<MohClass>> create(MohClassOptions options);
  ~MohClass();

  /// A listener at `rate` (8000, 16000 or 48000; else kInvalidArgument),
  /// joining at the current position. Reading it is thread-safe, but one
  /// listener is read by one thread (its frame number is its own).
  Result<std::shared_ptr<FrameSource>> listen(int rate);

  /// Decodes the first `fill_frames` now (on run_blocking), so the first
  /// listener hears music at once.
  void preload();

  const std::string& name() const { return options_.name; }
  int listeners() const { return listeners_.load(); }
  /// Files opened by the decoder so far (one decoder, whatever the listeners).
  std::uint64_t files_opened() const { return files_opened_.load(); }
  /// Files that could not be opened (skipped).
  std::uint64_t files_failed() const { return files_failed_.load(); }
  /// Frames decoded so far.
  std::uint64_t frames_decoded() const;

 private:
  class Listener;
  class Decoder;
  struct Frame {
    std::int16_t s8[160];
    std::int16_t s16[320];
    std::int16_t s48[960];
  };

  explicit MohClass(MohClassOptions options);
  TimePoint now() const;
  std::uint64_t join();
  void leave(std::uint64_t position);
  /// Copies frame `n` at `rate` into `out`; false when it is not (or no
  /// longer) buffered. May start a refill.
  bool read_frame(std::uint64_t n, int rate, std::span<std::int16_t> out);
  void request_fill(std::uint64_t upto);
  void fill(std::uint64_t upto);

  MohClassOptions options_;
  std::unique_ptr<Decoder> decoder_;  // used by one fill job at a time (fill_pending_)
  mutable std::mutex mu_;             // ring_, first_, position state
  std::deque<Frame> ring_;
  std::uint64_t first_ = 0;  // frame number of ring_.front()
  int joined_ = 0;
  std::uint64_t paused_at_ = 0;  // position while nobody listens
  TimePoint epoch_{};            // when the first of the current listeners joined
  std::uint64_t epoch_position_ = 0;
  bool fill_pending_ = false;
  std::atomic<int> listeners_{0};
  std::atomic<std::uint64_t> files_opened_{0};
  std::atomic<std::uint64_t> files_failed_{0};
};

}  // namespace switchboard::media::audio
