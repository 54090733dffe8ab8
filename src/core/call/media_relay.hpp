// What the B2BUA needs from the media engine for one two-leg call: a local
// RTP port per side, where each side's remote sends and receives, quality
// counters, and a close that returns the ports. Side A is the caller's leg,
// side B the callee's. The production implementation adapts the RTP engine
// (src/media/rtp); unit tests use a fake. Core thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/result.hpp"
#include "sdp/stream.hpp"

namespace switchboard::core {

enum class MediaSide : std::uint8_t { kA, kB };

/// Where a side's RTP may come from. A phone whose SDP names another address
/// than the one its signalling comes from is behind NAT (or multi-homed):
/// its SDP address is useless, so the relay latches onto the first packet
/// from any host (symmetric RTP, "comedia"), and re-latches only after the
/// old source falls silent.
enum class MediaLatch : std::uint8_t { kExpectedHost, kAnyHost };

inline MediaSide other(MediaSide s) {
  return s == MediaSide::kA ? MediaSide::kB : MediaSide::kA;
}
inline const char* to_string(MediaSide s) {
  return s == MediaSide::kA ? "A" : "B";
}

/// Per-call counters (RTP relayed each way, loss and jitter from RTCP).
struct MediaQuality {
  std::uint64_t packets_from_a = 0;
  std::uint64_t packets_from_b = 0;
  std::uint64_t packets_lost = 0;
  std::uint32_t jitter_ms = 0;
};

class MediaRelay {
 public:
  virtual ~MediaRelay() = default;
  /// Our RTP port facing `side` (written into the SDP sent to that side).
  virtual std::uint16_t local_port(MediaSide side) const = 0;
  /// What `side`'s remote described: address, codecs (its payload types),
  /// telephone-event, direction. Called again on every re-offer.
  virtual Status configure(MediaSide side, const sdp::StreamParams& stream, MediaLatch latch) = 0;
  virtual MediaQuality quality() const = 0;

  /// Music on hold of class `moh_class` ("" = the default class) toward
  /// `toward` instead of what the other side sends (that side holds);
  /// kUnavailable when there is no music (none configured: silence).
  virtual Status start_music(MediaSide toward, const std::string& moh_class) = 0;
  /// Resumes relaying toward `toward`; idempotent.
  virtual void stop_music(MediaSide toward) = 0;

  struct RecordingResult {
    std::string path;
    double seconds = 0;
    Status status;
  };
  /// Records both directions into the WAV `path` (written as `<path>.part`
  /// until finished: crash-safe), mixed mono or stereo (A left, B right).
  /// `done` runs on the core thread once the file is complete (also after
  /// close()). kFailedPrecondition when already recording.
  virtual Status start_recording(const std::string& path, bool stereo,
                                 std::function<void(const RecordingResult&)> done) = 0;
  /// Ends the recording; idempotent.
  virtual void stop_recording() = 0;

  /// Told on the core thread of each DTMF digit a side sends (at its end):
  /// RFC 4733 telephone-events, and with kEventsAndTones also in-band tones
  /// in G.711 from a side that negotiated no telephone-event (feature codes,
  /// issue 7 §2; the call.dtmf event, issue 9). The digits are still
  /// relayed. A null listener (the default) turns detection off.
  using DigitListener = std::function<void(MediaSide side, char digit)>;
  enum class Detection : std::uint8_t { kEvents, kEventsAndTones };
  virtual void set_digit_listener(DigitListener listener, Detection detection) = 0;

  /// Stops relaying and returns the ports; idempotent.
  virtual void close() = 0;
};

using MediaRelayPtr = std::unique_ptr<MediaRelay>;

class MediaRelayFactory {
 public:
  /// Told on the core thread when `side` sent no RTP for the configured time.
  using DeadPeer = std::function<void(MediaSide side)>;
  virtual ~MediaRelayFactory() = default;
  /// Two ports from the pool; kUnavailable when it is exhausted.
  virtual Result<MediaRelayPtr> open(DeadPeer dead_peer) = 0;
};

}  // namespace switchboard::core
