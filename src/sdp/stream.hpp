// The outcome of offer/answer for one stream of one leg: what the media layer
// needs to relay or terminate it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sdp/codec.hpp"
#include "sdp/session.hpp"

namespace switchboard::sdp {

/// A transport address of the remote party.
struct RtpAddress {
  std::string address;
  std::uint16_t port = 0;
  bool operator==(const RtpAddress&) const = default;
};

/// One m= line of one leg after negotiation; payload types are this leg's.
struct StreamParams {
  std::size_t index = 0;                       ///< m= line number, from 0
  std::string media;                           ///< "audio", "video", ...
  bool active = false;                         ///< false: rejected (port 0) by either side
  std::optional<Codec> codec;                  ///< the first agreed codec: what we send
  std::vector<Codec> codecs;                   ///< all agreed codecs (telephone-event apart)
  std::optional<Codec> telephone_event;        ///< RFC 4733 payload type on this leg
  std::optional<std::uint32_t> ptime;          ///< what the remote wants to receive (ms)
  Direction direction = Direction::kSendRecv;  ///< as the remote declared it
  bool held = false;                           ///< the remote's description holds the stream
  RtpAddress remote_rtp;                       ///< where to send RTP
  RtpAddress remote_rtcp;                      ///< a=rtcp, else RTP port + 1 (same with mux)
  bool rtcp_mux = false;                       ///< RTP and RTCP share the port on this leg
  bool operator==(const StreamParams&) const = default;
};

/// The streams of one leg, one per m= line.
using LegMedia = std::vector<StreamParams>;

/// Describes stream `index` as written by the remote in `remote` (its offer or
/// answer), with the agreed codecs (this leg's payload types); `rtcp_mux` says
/// whether both sides agreed to it.
StreamParams describe_remote(const SessionDescription& remote, std::size_t index,
                             std::vector<Codec> agreed, std::optional<Codec> telephone_event,
                             bool rtcp_mux);

/// A stream rejected by either side.
StreamParams rejected_stream(const MediaDescription& m, std::size_t index);

}  // namespace switchboard::sdp
