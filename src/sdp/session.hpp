// The SDP data model (RFC 4566): a session description with its media
// descriptions. Lines the PBX acts on are typed (o=, c=, m=, rtpmap, fmtp,
// ptime, direction, rtcp, rtcp-mux); everything else is kept verbatim so a
// relayed description loses nothing. Values compare with ==, which is what the
// round-trip invariant (parse → serialize → parse) is checked with.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace switchboard::sdp {

/// RFC 3264 §5.1 stream direction, from the point of view of the writer.
enum class Direction : std::uint8_t { kSendRecv, kSendOnly, kRecvOnly, kInactive };

/// "sendrecv", "sendonly", "recvonly", "inactive".
const char* to_string(Direction direction);
/// True when the writer of the description sends media in this direction.
inline bool sends(Direction d) {
  return d == Direction::kSendRecv || d == Direction::kSendOnly;
}
/// True when the writer of the description wants to receive media.
inline bool receives(Direction d) {
  return d == Direction::kSendRecv || d == Direction::kRecvOnly;
}
/// The direction from its two halves.
Direction make_direction(bool send, bool receive);

/// Address type of o=, c= and a=rtcp (RFC 4566 §5.7).
enum class AddressType : std::uint8_t { kIp4, kIp6 };

/// "IP6" when the address contains a ':', else "IP4".
AddressType address_type_of(const std::string& address);

/// c=IN <IP4|IP6> <address>. A multicast "/ttl/count" suffix stays in address.
struct Connection {
  AddressType type = AddressType::kIp4;
  std::string address;
  bool operator==(const Connection&) const = default;
};

/// o=<username> <sess-id> <sess-version> IN <IP4|IP6> <address>
struct Origin {
  std::string username = "-";
  std::string session_id;  ///< digits, kept as text (phones send up to 20 of them)
  std::uint64_t version = 0;
  AddressType type = AddressType::kIp4;
  std::string address;
  bool operator==(const Origin&) const = default;
};

/// An attribute the PBX does not interpret, kept as written ("a=name:value").
struct Attribute {
  std::string name;
  std::optional<std::string> value;  ///< absent for property attributes ("a=name")
  bool operator==(const Attribute&) const = default;
};

/// A line other than a=/c=/m= kept verbatim (i=, u=, e=, p=, b=, k=, z=, r=).
struct RawLine {
  char type = 'x';
  std::string value;
  bool operator==(const RawLine&) const = default;
};

/// a=rtpmap:<pt> <encoding>/<clock rate>[/<channels>]
struct RtpMap {
  int payload_type = 0;
  std::string encoding;  ///< as written; compare with iequals()
  std::uint32_t clock_rate = 0;
  std::optional<std::uint32_t> channels;
  bool operator==(const RtpMap&) const = default;
};

/// a=fmtp:<format> <parameters>
struct Fmtp {
  std::string format;
  std::string parameters;
  bool operator==(const Fmtp&) const = default;
};

/// a=rtcp:<port> [IN <IP4|IP6> <address>] (RFC 3605).
struct RtcpAttribute {
  std::uint16_t port = 0;
  std::optional<Connection> connection;
  bool operator==(const RtcpAttribute&) const = default;
};

/// One m= section.
struct MediaDescription {
  std::string media;       ///< "audio", "video", ...
  std::uint16_t port = 0;  ///< 0: the stream is rejected/disabled (RFC 3264 §6)
  std::optional<std::uint16_t> port_count;
  std::string protocol;              ///< "RTP/AVP", "RTP/SAVP", "udptl", ...
  std::vector<std::string> formats;  ///< payload types for RTP protocols
  std::optional<Connection> connection;
  std::vector<RtpMap> rtpmaps;
  std::vector<Fmtp> fmtps;
  std::optional<std::uint32_t> ptime;  ///< milliseconds
  std::optional<std::uint32_t> maxptime;
  std::optional<Direction> direction;  ///< media-level; see effective_direction()
  std::optional<RtcpAttribute> rtcp;
  bool rtcp_mux = false;
  std::vector<RawLine> lines;         ///< i=, b=, k= in order
  std::vector<Attribute> attributes;  ///< the others, in order
  bool operator==(const MediaDescription&) const = default;

  /// True for "RTP/..." protocols, whose formats are payload types 0-127.
  bool is_rtp() const;
  /// The rtpmap of a payload type, or nullptr.
  const RtpMap* rtpmap(int payload_type) const;
  /// The fmtp parameters of a format, or nullptr.
  const std::string* fmtp(const std::string& format) const;
};

/// A whole description.
struct SessionDescription {
  Origin origin;
  std::string session_name;  ///< s=; empty is written "s= " (RFC 4566 §5.3)
  std::optional<Connection> connection;
  std::vector<std::string> timing = {"0 0"};  ///< t= values (r=/z= go to lines)
  std::optional<Direction> direction;         ///< session-level default
  std::vector<RawLine> lines;                 ///< other session-level lines in order
  std::vector<Attribute> attributes;          ///< other session-level attributes
  std::vector<MediaDescription> media;
  bool operator==(const SessionDescription&) const = default;

  /// The connection that applies to a media section (its own or the session's).
  const Connection* connection_of(const MediaDescription& m) const;
  /// The media-level direction, else the session-level one, else sendrecv.
  Direction effective_direction(const MediaDescription& m) const;
};

/// ASCII case-insensitive equality (codec names, RFC 4566 §6).
bool iequals(const std::string& a, const std::string& b);

}  // namespace switchboard::sdp
