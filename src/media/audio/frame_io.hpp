// The seams between the media API / mixer and whatever carries a leg's audio
// (an RTP terminating session with its jitter buffer and codec, a test).
// One 20 ms frame of 16-bit PCM per call, on the media thread that owns both.
#pragma once

#include <cstdint>
#include <functional>
#include <span>

namespace switchboard::media::audio {

/// Runs a function on another thread (a media thread's task queue, the
/// worker pool): how the media layer hops threads without knowing the loop.
using Post = std::function<void(std::function<void()>)>;

/// Audio coming from a party (decoded, after the jitter buffer and PLC).
class FrameSource {
 public:
  virtual ~FrameSource() = default;
  /// Fills `frame` (frame_samples(rate) samples). False: nothing this tick
  /// (no stream yet, on hold, DTX); `frame` is then not read.
  virtual bool read(std::span<std::int16_t> frame) = 0;
};

/// Audio going to a party (to be encoded and sent).
class FrameSink {
 public:
  virtual ~FrameSink() = default;
  virtual void write(std::span<const std::int16_t> frame) = 0;
};

/// In-band digits ("0"-"9", "*", "#", "A"-"D") from RFC 4733 events or the
/// Goertzel detector, reported once per key press at its start.
class DigitListener {
 public:
  virtual ~DigitListener() = default;
  virtual void on_digit(char digit) = 0;
};

}  // namespace switchboard::media::audio
