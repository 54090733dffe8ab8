#include "media/rtp/rtp_packet.hpp"

#include <cstring>

namespace switchboard::media::rtp {

RtpParseResult parse_rtp(std::span<const std::uint8_t> data) {
  RtpParseResult r;
  if (data.size() < kRtpFixedHeader) {
    r.error = RtpParseError::kTooShort;
    return r;
  }
  const std::uint8_t* p = data.data();
  if ((p[0] >> 6) != 2) {
    r.error = RtpParseError::kBadVersion;
    return r;
  }
  RtpHeader& h = r.packet.header;
  h.padding = (p[0] & 0x20) != 0;
  h.extension = (p[0] & 0x10) != 0;
  h.csrc_count = p[0] & 0x0F;
  h.marker = (p[1] & 0x80) != 0;
  h.payload_type = p[1] & 0x7F;
  h.sequence = read_u16(p + 2);
  h.timestamp = read_u32(p + 4);
  h.ssrc = read_u32(p + 8);
  std::size_t off = kRtpFixedHeader;
  if (data.size() - off < std::size_t{h.csrc_count} * 4) {
    r.error = RtpParseError::kCsrcOverflow;
    return r;
  }
  for (std::size_t i = 0; i < h.csrc_count; ++i, off += 4) h.csrc[i] = read_u32(p + off);
  if (h.extension) {
    if (data.size() - off < 4) {
      r.error = RtpParseError::kExtensionOverflow;
      return r;
    }
    h.extension_profile = read_u16(p + off);
    std::size_t words = read_u16(p + off + 2);
    off += 4;
    if (data.size() - off < words * 4) {
      r.error = RtpParseError::kExtensionOverflow;
      return r;
    }
    r.packet.extension_data = data.subspan(off, words * 4);
    off += words * 4;
  }
  std::size_t end = data.size();
  if (h.padding) {
    std::uint8_t pad = p[end - 1];
    if (pad == 0 || pad > end - off) {
      r.error = RtpParseError::kBadPadding;
      return r;
    }
    r.packet.padding_size = pad;
    end -= pad;
  }
  r.packet.header_size = off;
  r.packet.payload = data.subspan(off, end - off);
  return r;
}

std::size_t write_rtp(const RtpHeader& h, std::span<const std::uint8_t> ext,
                      std::span<const std::uint8_t> payload, std::uint8_t padding,
                      std::span<std::uint8_t> out) {
  if (h.csrc_count > 15 || h.payload_type > 127) return 0;
  if (h.extension && (ext.size() % 4 != 0 || ext.size() / 4 > 0xFFFF)) return 0;
  if (!h.extension && !ext.empty()) return 0;
  std::size_t need = kRtpFixedHeader + std::size_t{h.csrc_count} * 4 +
                     (h.extension ? 4 + ext.size() : 0) + payload.size() + padding;
  if (out.size() < need) return 0;
  std::uint8_t* p = out.data();
  bool pad = padding > 0;
  p[0] =
      static_cast<std::uint8_t>(0x80 | (pad ? 0x20 : 0) | (h.extension ? 0x10 : 0) | h.csrc_count);
  p[1] = static_cast<std::uint8_t>((h.marker ? 0x80 : 0) | h.payload_type);
  write_u16(p + 2, h.sequence);
  write_u32(p + 4, h.timestamp);
  write_u32(p + 8, h.ssrc);
  std::size_t off = kRtpFixedHeader;
  for (std::size_t i = 0; i < h.csrc_count; ++i, off += 4) write_u32(p + off, h.csrc[i]);
  if (h.extension) {
    write_u16(p + off, h.extension_profile);
    write_u16(p + off + 2, static_cast<std::uint16_t>(ext.size() / 4));
    off += 4;
    if (!ext.empty()) std::memcpy(p + off, ext.data(), ext.size());
    off += ext.size();
  }
  if (!payload.empty()) std::memcpy(p + off, payload.data(), payload.size());
  off += payload.size();
  if (pad) {
    std::memset(p + off, 0, padding - 1u);
    off += padding;
    p[off - 1] = padding;
  }
  return off;
}

void set_payload_type(std::span<std::uint8_t> packet, std::uint8_t pt) {
  packet[1] = static_cast<std::uint8_t>((packet[1] & 0x80) | (pt & 0x7F));
}

}  // namespace switchboard::media::rtp
