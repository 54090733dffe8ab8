// RTCP (RFC 3550 §6): compound packets of SR, RR, SDES, BYE (and any other
// type kept as raw bytes), parsed with strict bounds checks and written back.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "common/result.hpp"

namespace switchboard::media::rtp {

enum RtcpType : std::uint8_t {
  kRtcpSr = 200,
  kRtcpRr = 201,
  kRtcpSdes = 202,
  kRtcpBye = 203,
  kRtcpApp = 204,
};

/// One reception report block (RFC 3550 §6.4.1).
struct ReportBlock {
  std::uint32_t ssrc = 0;
  std::uint8_t fraction_lost = 0;      ///< /256
  std::int32_t cumulative_lost = 0;    ///< 24-bit signed
  std::uint32_t highest_sequence = 0;  ///< extended
  std::uint32_t jitter = 0;            ///< timestamp units
  std::uint32_t last_sr = 0;
  std::uint32_t delay_since_last_sr = 0;
  bool operator==(const ReportBlock&) const = default;
};

struct SenderReport {
  std::uint32_t ssrc = 0;
  std::uint64_t ntp_timestamp = 0;
  std::uint32_t rtp_timestamp = 0;
  std::uint32_t packet_count = 0;
  std::uint32_t octet_count = 0;
  std::vector<ReportBlock> blocks;
  std::vector<std::uint8_t> extension;  ///< profile-specific, multiple of 4
  bool operator==(const SenderReport&) const = default;
};

struct ReceiverReport {
  std::uint32_t ssrc = 0;
  std::vector<ReportBlock> blocks;
  std::vector<std::uint8_t> extension;
  bool operator==(const ReceiverReport&) const = default;
};

struct SdesItem {
  std::uint8_t type = 1;  ///< 1 CNAME, 2 NAME, ... (8 PRIV kept as raw text)
  std::string text;
  bool operator==(const SdesItem&) const = default;
};

struct SdesChunk {
  std::uint32_t ssrc = 0;
  std::vector<SdesItem> items;
  bool operator==(const SdesChunk&) const = default;
};

struct Sdes {
  std::vector<SdesChunk> chunks;
  bool operator==(const Sdes&) const = default;
};

struct Bye {
  std::vector<std::uint32_t> ssrcs;
  std::string reason;
  bool operator==(const Bye&) const = default;
};

/// Any other packet type (APP, RTPFB, PSFB, XR ...), body after the 4-byte header.
struct RtcpOther {
  std::uint8_t packet_type = 0;
  std::uint8_t count = 0;  ///< the 5-bit field
  std::vector<std::uint8_t> body;
  bool operator==(const RtcpOther&) const = default;
};

using RtcpPacket = std::variant<SenderReport, ReceiverReport, Sdes, Bye, RtcpOther>;

/// Parses a compound packet. Every length, count and padding is checked
/// against the buffer; padding is allowed on the last packet only (§6.4.1).
/// kInvalidArgument on anything malformed.
Result<std::vector<RtcpPacket>> parse_rtcp(std::span<const std::uint8_t> data);

/// RFC 3550 §6.1 / A.2: a compound packet starts with SR or RR.
bool starts_with_report(const std::vector<RtcpPacket>& packets);

/// Serializes a compound packet (no padding). Fails (kInvalidArgument) when a
/// count or length does not fit the wire format.
Result<std::vector<std::uint8_t>> write_rtcp(const std::vector<RtcpPacket>& packets);

/// The first report block of the first SR/RR, if any: the relay's source of
/// the peer's view of loss and jitter.
const ReportBlock* first_report_block(const std::vector<RtcpPacket>& packets);

}  // namespace switchboard::media::rtp
