// The link between a terminating leg and a conference room, which may run
// on different media threads: the leg's session puts what its caller said
// (one 20 ms frame per tick) and takes what the caller should hear; the
// room reads the voice as a FrameSource and writes the caller's N-1 mix as
// a FrameSink. Each direction is a small queue (at most kMaxFrames, the
// oldest dropped beyond: the two threads' 20 ms clocks drift by a frame
// now and then, never more than that in latency). Frames are at the leg's
// rate; the room converts when its rate differs.
// Thread-safety: put/take from the leg's thread, voice()/mix() from the
// room's thread, concurrently; one mutex guards both queues.
#pragma once

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "media/audio/frame_io.hpp"

namespace switchboard::media::app {

class PartyPort : public std::enable_shared_from_this<PartyPort> {
 public:
  static constexpr std::size_t kMaxFrames = 3;

  /// `rate`: the leg's PCM rate (8000, 16000, 48000).
  explicit PartyPort(int rate);

  int rate() const { return rate_; }

  // The leg's side.
  /// What the caller said this tick (frame_samples(rate) samples).
  void put_voice(std::span<const std::int16_t> frame);
  /// What the caller hears this tick; false when the room sent nothing.
  bool take_mix(std::span<std::int16_t> frame);

  /// The room let the party go: the leg's session drops the port at its
  /// next tick (the leg need not outlive the room, nor the room the leg).
  void close() { closed_.store(true); }
  bool closed() const { return closed_.load(); }

  // The room's side (kept alive by the room while it is a party).
  std::shared_ptr<audio::FrameSource> voice();
  std::shared_ptr<audio::FrameSink> mix();

 private:
  class Voice;
  class Mix;
  using Queue = std::deque<std::vector<std::int16_t>>;
  static void push(Queue& q, std::span<const std::int16_t> frame);
  static bool pop(Queue& q, std::span<std::int16_t> frame);

  int rate_;
  std::atomic<bool> closed_{false};
  std::mutex mu_;
  Queue voice_, mix_;
};

}  // namespace switchboard::media::app
