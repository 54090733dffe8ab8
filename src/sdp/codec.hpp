// The codec model: a payload type of an m= line resolved through its rtpmap
// or the RFC 3551 static table, and the list of codecs the PBX supports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sdp/session.hpp"

namespace switchboard::sdp {

/// "telephone-event" (RFC 4733).
inline constexpr const char* kTelephoneEvent = "telephone-event";

/// One payload type of one m= line.
struct Codec {
  int payload_type = 0;
  std::string name;  ///< encoding name as written ("PCMU", "opus", ...)
  std::uint32_t clock_rate = 8000;
  std::uint32_t channels = 1;
  std::string fmtp;  ///< a=fmtp parameters of this payload type, may be empty
  bool operator==(const Codec&) const = default;

  bool is_telephone_event() const { return iequals(name, kTelephoneEvent); }
};

/// A codec the PBX can handle. Matches a Codec by name (case-insensitively),
/// clock rate and channel count; fmtp is not compared.
struct CodecSpec {
  std::string name;
  std::uint32_t clock_rate = 8000;
  std::uint32_t channels = 1;
  std::string fmtp;  ///< written in our own offers/answers when not empty
  bool operator==(const CodecSpec&) const = default;

  bool matches(const Codec& codec) const;
};

/// The RFC 3551 static assignment of a payload type (0 PCMU, 8 PCMA, 9 G722,
/// 18 G729, ...), or nullopt for a dynamic or unassigned one.
std::optional<Codec> static_codec(int payload_type);

/// The payload type the static table gives a spec (PCMU → 0), or nullopt.
std::optional<int> static_payload_type(const CodecSpec& spec);

/// The codecs of an RTP m= line in its order, each with its fmtp. Dynamic
/// payload types without an rtpmap are unknown and left out; so is every
/// format of a non-RTP protocol.
std::vector<Codec> codecs_of(const MediaDescription& media);

/// The first codec in `offered` (in the offerer's order) that `supported`
/// contains, or nullptr. telephone-event is never chosen here.
const Codec* first_supported(const std::vector<Codec>& offered,
                             const std::vector<CodecSpec>& supported);

/// The telephone-event payload type among `offered` for an audio codec
/// clocked at `clock_rate`: the one of that rate, else any (phones often
/// pair opus/48000 with telephone-event/8000); nullptr if none.
const Codec* telephone_event_for(const std::vector<Codec>& offered, std::uint32_t clock_rate);

/// What the media layer will handle (DESIGN §5): opus, G722, PCMU, PCMA,
/// G729 — in the order our own offers use.
std::vector<CodecSpec> default_codecs();

/// The codecs of legs the PBX terminates (IVR, voicemail): PCMU, PCMA.
std::vector<CodecSpec> terminated_leg_codecs();

/// Adds a codec to an m= line: format, rtpmap (always, also for static
/// payload types, as most phones do) and fmtp.
void add_codec(MediaDescription& media, const Codec& codec);

}  // namespace switchboard::sdp
