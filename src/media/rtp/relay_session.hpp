// A media relay between the two legs of a call (DESIGN.md §2 "Bridge", two
// legs: packet relay, no decoding). Created by a RelayFactory (the
// MediaEngine) on the core thread; runs on one media thread.
//
//   core thread                        media thread
//   create_relay() ── binds 2x(RTP, RTCP) ──▶ reads both sides
//   configure(kA, sdp of leg A) ─ post ──▶ PT map, latching, direction
//   configure(kB, ...)          ─ post ──▶ forwards A <-> B
//   stats()  (any thread, a snapshot)
//   close()  ── post ──▶ sockets closed, ports back to the pool
//   ◀── callbacks (on_dead_peer, ...) posted to the core executor
//
// Forwarding: payload types are rewritten when the legs numbered the same
// codec (or telephone-event) differently; PCMU <-> PCMA is transcoded; SSRC,
// sequence numbers and timestamps pass unchanged (a new SSRC after a
// re-INVITE or a phone restart is forwarded as is). RTCP is relayed.
//
// Injection (issue 7: music on hold, an announcement to one party without a
// re-INVITE): inject(toward, producer) replaces what the other side sends
// toward `toward` with the producer's audio, encoded in that side's codec,
// with the relay's own SSRC/sequence/timestamps for that side (continuous
// across injections, marker on each start); stop_inject() resumes
// forwarding (the phone sees the other party's SSRC again). Recording:
// start_recording() decodes what both sides send into one WAV (mixed mono
// or stereo, A left) written off the media thread (AsyncWavWriter on the
// given serial executor); completion comes back on the core executor.
// Terminating sessions (IVR, voicemail, conference) are media/app's
// TerminatingLeg; the core moves a relay side to one with configure().
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "media/audio/frame_io.hpp"
#include "media/rtp/call_recorder.hpp"
#include "media/rtp/relay_types.hpp"

namespace switchboard::media::rtp {

/// Notifications from the media thread, each run on the core executor and
/// never after close() was called.
struct RelayCallbacks {
  /// No RTP from `side` for RelayOptions::dead_peer_timeout while that side
  /// was expected to send (sendrecv/sendonly, not on hold). Fires once per
  /// silence; again only after RTP resumed or the side was reconfigured.
  std::function<void(Side side)> on_dead_peer;
  /// The side latched (or re-latched) to the source address it sends from.
  std::function<void(Side side, const std::string& address, std::uint16_t port)> on_latched;
  /// A DTMF digit `side` sent (at its end), while set_digit_detection(true).
  std::function<void(Side side, char digit)> on_digit;
};

struct RelayOptions {
  /// 0 disables dead-peer detection.
  std::chrono::milliseconds dead_peer_timeout{std::chrono::seconds(30)};
  /// A latched side may move to a new source (same host for kExpectedHost)
  /// after the latched one has been silent this long (phone restarted its
  /// stream, NAT rebinding).
  std::chrono::milliseconds relatch_after{std::chrono::seconds(2)};
};

/// What start_recording() records and where.
struct RecordingRequest {
  /// The final WAV path; written as "<path>.part" until finished (media/audio
  /// WavRecorder), so a crash leaves a recoverable file.
  std::string path;
  RecordingMode mode = RecordingMode::kMixed;
  int rate = 8000;  ///< 8000, 16000 or 48000
  /// Runs the file work (create, write, fsync, rename) one job at a time in
  /// order: a strand of the worker pool. Unset: inline on the media thread
  /// (tests only).
  audio::Post run_serial;
};

struct RecordingDone {
  std::string path;
  double seconds = 0;  ///< audio in the file
  Status status;       ///< the first error, else Ok (the file exists then)
};

/// One relayed call's media. Thread-safe: every member may be called from
/// any thread (the core thread in practice).
class RelaySession {
 public:
  virtual ~RelaySession() = default;

  /// Our RTP port for `side` (the port written into that leg's SDP); RTCP
  /// is this + 1. Valid until close().
  virtual std::uint16_t local_port(Side side) const = 0;
  /// The address the sockets are bound to.
  virtual std::string local_address() const = 0;

  /// (Re)configures one side from its negotiated SDP. Takes effect on the
  /// media thread shortly after; a new remote address resets latching.
  virtual void configure(Side side, SideParams params) = 0;

  /// Sends `producer`'s audio (20 ms frames pulled on the media thread at
  /// `producer_rate`: 8000, 16000 or 48000; converted to the side's codec
  /// rate) toward `toward` instead of what the other side sends, until
  /// stop_inject(toward) or another inject() replaces it. Encoded in the
  /// side's first negotiated codec (PCMU/PCMA/G722/opus/G729). Nothing is
  /// sent while that side does not receive (it holds us) or has no address.
  /// The producer is read on the media thread only (it may be a MOH
  /// listener shared with nobody else). Errors, checked at once:
  /// kInvalidArgument (no producer, bad rate), kFailedPrecondition (the side
  /// was not configured), kNotFound (its codec is not one media/codec has),
  /// kUnavailable (closed). A configure() with a new codec keeps injecting
  /// in the old one: inject again after it.
  virtual Status inject(Side toward, std::shared_ptr<audio::FrameSource> producer,
                        int producer_rate) = 0;
  /// Resumes forwarding toward `toward`. Idempotent.
  virtual void stop_inject(Side toward) = 0;

  /// Records both directions of the call (what each side sends, decoded,
  /// aligned on 20 ms ticks, silence where a side sends nothing). `on_done`
  /// runs on the core executor once the file is complete, also when the
  /// recording ended because of close(). Errors at once: kInvalidArgument
  /// (empty path, bad rate), kNotFound (the directory does not exist),
  /// kFailedPrecondition (already recording), kUnavailable (closed).
  /// Errors while writing come in RecordingDone::status.
  virtual Status start_recording(RecordingRequest request,
                                 std::function<void(const RecordingDone&)> on_done) = 0;
  /// Ends the recording (on_done follows). Idempotent.
  virtual void stop_recording() = 0;

  /// Watches both sides for DTMF (RFC 4733 telephone-events; with
  /// kEventsAndTones also in-band tones in G.711 audio of a side without
  /// telephone-event), each digit reported through RelayCallbacks::on_digit.
  /// Off by default (no cost then).
  virtual void set_digit_detection(DigitDetection mode) = 0;

  /// A consistent snapshot of both sides' counters (for the CDR).
  virtual RelayStats stats() const = 0;

  /// Stops relaying, closes the sockets and returns the ports to the pool.
  /// Idempotent; also done by the destructor of the last reference.
  virtual void close() = 0;
  virtual bool closed() const = 0;
};

using RelaySessionPtr = std::shared_ptr<RelaySession>;

/// Makes relays; the MediaEngine is the real one, tests of the core may use
/// a fake.
class RelayFactory {
 public:
  virtual ~RelayFactory() = default;
  /// Allocates two RTP/RTCP port pairs and binds them. kUnavailable when the
  /// port range is exhausted or the engine is stopped.
  /// `options`: nullopt takes the factory's defaults.
  virtual Result<RelaySessionPtr> create_relay(
      RelayCallbacks callbacks, std::optional<RelayOptions> options = std::nullopt) = 0;
};

}  // namespace switchboard::media::rtp
