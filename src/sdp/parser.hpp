// SDP parser (RFC 4566). Strict where a wrong value would mislead the PBX
// (v=, o=, c=, m=, rtpmap, ptime, rtcp, missing connection address), lenient
// where real phones deviate: LF-only line ends, trailing whitespace, blank
// lines, any line order after o= within a section, unknown lines and
// attributes (kept verbatim), attribute names in any case.
#pragma once

#include <cstddef>
#include <string_view>

#include "common/result.hpp"
#include "sdp/session.hpp"

namespace switchboard::sdp {

/// Caps that bound the work done on hostile input.
struct ParseLimits {
  std::size_t max_bytes = 64 * 1024;
  std::size_t max_lines = 2048;
  std::size_t max_media = 64;
};

/// Parses a session description. Errors are kInvalidArgument with a message
/// naming the line ("line 4 (m=): port is not a number").
Result<SessionDescription> parse(std::string_view text, const ParseLimits& limits = {});

}  // namespace switchboard::sdp
