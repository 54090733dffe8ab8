// Parsing of the lines inside a section: c=, m= and the attributes the PBX
// interprets (internal to the parser).
#pragma once

#include <optional>
#include <string_view>

#include "common/result.hpp"
#include "sdp/session.hpp"

namespace switchboard::sdp::detail {

/// "IN IP4 192.0.2.1" (c= value, and the tail of a=rtcp).
Result<Connection> parse_connection(std::string_view text);

/// "audio 49170 RTP/AVP 0 8 101"; formats of RTP protocols must be 0-127.
Result<MediaDescription> parse_media_line(std::string_view text);

/// One a= line of a media section: typed attributes fill their fields,
/// others are appended verbatim.
Status parse_media_attribute(std::string_view name, std::optional<std::string_view> value,
                             MediaDescription& media);

/// One a= line of the session section (direction typed, others verbatim).
Status parse_session_attribute(std::string_view name, std::optional<std::string_view> value,
                               SessionDescription& session);

}  // namespace switchboard::sdp::detail
