// The SIP message parser: start line, header section and body framing
// (RFC 3261 §7, §18.3). Header values are not interpreted here; typed access
// parses them on demand (via.hpp, name_addr.hpp, ...), so a message costs one
// pass over its bytes and no allocation beyond the Message itself.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "sip/message.hpp"

namespace switchboard::sip {

/// Bounds that protect the parser against hostile input; each is enforced.
struct ParseLimits {
  std::size_t max_message_size = 65535;  ///< whole datagram / framed message
  std::size_t max_header_count = 256;    ///< header fields (lines after unfolding)
  std::size_t max_line_length = 8192;    ///< one physical line, CRLF excluded
};

/// How the bytes arrived: a datagram carries exactly one message and octets
/// beyond Content-Length are ignored (RFC 3261 §18.3, RFC 4475 §3.1.1.8); a
/// stream message must carry Content-Length.
enum class Framing { kDatagram, kStream };

/// Parses one message, taking ownership of `buffer`. Folded header lines are
/// unfolded in place. On failure the Error's message is a short phrase fit
/// for a 400 reason phrase ("Content-Length Exceeds Message", ...).
Result<Message> parse_message(std::string buffer, const ParseLimits& limits = {},
                              Framing framing = Framing::kDatagram);

/// Like parse_message, but on failure leaves the bytes in `buffer` (folded
/// lines possibly unfolded) so the caller can still answer the request; on
/// success `buffer` is moved into the Message.
Result<Message> try_parse_message(std::string& buffer, const ParseLimits& limits = {},
                                  Framing framing = Framing::kDatagram);

/// A best-effort parse of a message that parse_message rejected: the start
/// line only needs a leading token (the method), malformed header lines are
/// skipped and the body is ignored. Used to build the 400 for a broken
/// request (RFC 4475 §3.1.2); never use its result for anything else.
Result<Message> parse_message_leniently(std::string buffer, const ParseLimits& limits = {});

}  // namespace switchboard::sip
