// RTP fixed header (RFC 3550 §5.1): strict parsing over a byte span, writing,
// and the in-place edits the relay makes (payload type). No allocation.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace switchboard::media::rtp {

inline constexpr std::size_t kRtpFixedHeader = 12;

struct RtpHeader {
  bool padding = false;
  bool extension = false;
  bool marker = false;
  std::uint8_t payload_type = 0;  ///< 0..127
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
  std::uint8_t csrc_count = 0;
  std::array<std::uint32_t, 15> csrc{};
  std::uint16_t extension_profile = 0;  ///< when `extension`
  bool operator==(const RtpHeader&) const = default;
};

enum class RtpParseError : std::uint8_t {
  kNone,
  kTooShort,      ///< shorter than the fixed header
  kBadVersion,    ///< V != 2
  kCsrcOverflow,  ///< CSRC list runs past the end
  kExtensionOverflow,
  kBadPadding,  ///< padding count 0 or larger than what follows the header
};

/// A parsed packet: views into the caller's buffer.
struct RtpPacket {
  RtpHeader header;
  std::span<const std::uint8_t> extension_data;  ///< words after the extension header
  std::span<const std::uint8_t> payload;         ///< without padding
  std::size_t header_size = 0;                   ///< fixed + CSRC + extension
  std::uint8_t padding_size = 0;
};

struct RtpParseResult {
  RtpParseError error = RtpParseError::kNone;
  RtpPacket packet;
  bool ok() const { return error == RtpParseError::kNone; }
};

/// Parses and bounds-checks everything; never reads outside `data`.
RtpParseResult parse_rtp(std::span<const std::uint8_t> data);

/// Writes header + extension + payload (+ padding of `padding` bytes, 0 for
/// none) into `out`; returns the bytes written, 0 if `out` is too small or
/// the header is not representable (extension data not a multiple of 4).
std::size_t write_rtp(const RtpHeader& header, std::span<const std::uint8_t> extension_data,
                      std::span<const std::uint8_t> payload, std::uint8_t padding,
                      std::span<std::uint8_t> out);

/// In-place edits of a packet that parsed (at least 12 bytes).
void set_payload_type(std::span<std::uint8_t> packet, std::uint8_t pt);

/// RFC 5761 §4: on a multiplexed port, second byte 192..223 is RTCP (packet
/// types 192-223 collide with RTP payload types 64-95 with the marker set).
inline bool looks_like_rtcp(std::span<const std::uint8_t> data) {
  return data.size() >= 2 && data[1] >= 192 && data[1] <= 223;
}

inline std::uint16_t read_u16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
inline std::uint32_t read_u32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}
inline void write_u16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}
inline void write_u32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}

}  // namespace switchboard::media::rtp
