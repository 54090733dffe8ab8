// What a terminating RTP leg is told about its stream: the values the core
// takes from the SDP negotiated on that leg (plain values, no dependency on
// src/sdp), and how the leg behaves.
#pragma once

#include <cstdint>
#include <string>

#include "common/timers.hpp"
#include "media/audio/jitter_buffer.hpp"
#include "media/rtp/relay_types.hpp"

namespace switchboard::media::app {

struct LegParams {
  /// The remote's c= address and m= port (0.0.0.0 / port 0: not known yet,
  /// or held; the leg sends once it has latched onto the remote's packets).
  std::string remote_address;
  std::uint16_t remote_rtp_port = 0;
  /// The negotiated audio codec: a=rtpmap encoding name and clock rate
  /// ("PCMU"/8000, "G722"/8000, "opus"/48000, ...) and its payload type.
  std::string codec = "PCMU";
  std::uint32_t clock_rate = 8000;
  int payload_type = 0;
  /// telephone-event's payload type, -1 when not negotiated: then digits
  /// are detected in-band (SessionConfig::inband_dtmf).
  int telephone_event_pt = -1;
  /// a=ptime: multiples of 20 ms up to 60 are sent as such (opus: 20 only);
  /// other values round down to a multiple of 20 ms.
  int ptime_ms = 20;
  /// The direction as the remote declared it (a=sendonly: it holds us, we
  /// send nothing; a=recvonly: we ignore what it sends).
  rtp::Direction direction = rtp::Direction::kSendRecv;
  rtp::LatchMode latch = rtp::LatchMode::kExpectedHost;
};

struct LegBehaviour {
  /// Send encoded silence while the application plays nothing (keeps NATs
  /// and the phone's dead-media timers happy); false: send nothing then,
  /// and mark the first packet after the gap (RFC 3551 §4.1 marker).
  bool send_silence = true;
  /// Jitter buffer delays (its clock_rate is the codec's).
  audio::JitterConfig jitter{};
  Duration relatch_after{2000};
};

}  // namespace switchboard::media::app
