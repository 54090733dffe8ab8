#include "media/rtp/rtcp_packet.hpp"

#include "media/rtp/rtp_packet.hpp"

namespace switchboard::media::rtp {
namespace {

Error bad(const char* what) {
  return make_error(ErrorCode::kInvalidArgument, what);
}

constexpr std::size_t kBlockSize = 24;

ReportBlock read_block(const std::uint8_t* p) {
  ReportBlock b;
  b.ssrc = read_u32(p);
  b.fraction_lost = p[4];
  std::uint32_t cum = (std::uint32_t{p[5]} << 16) | (std::uint32_t{p[6]} << 8) | p[7];
  b.cumulative_lost = (cum & 0x800000) ? static_cast<std::int32_t>(cum) - 0x1000000
                                       : static_cast<std::int32_t>(cum);
  b.highest_sequence = read_u32(p + 8);
  b.jitter = read_u32(p + 12);
  b.last_sr = read_u32(p + 16);
  b.delay_since_last_sr = read_u32(p + 20);
  return b;
}

// Reads `count` report blocks and what follows them (profile extension).
bool read_blocks(std::span<const std::uint8_t> body, std::size_t count,
                 std::vector<ReportBlock>& blocks, std::vector<std::uint8_t>& extension) {
  if (body.size() < count * kBlockSize) return false;
  for (std::size_t i = 0; i < count; ++i)
    blocks.push_back(read_block(body.data() + i * kBlockSize));
  auto rest = body.subspan(count * kBlockSize);
  extension.assign(rest.begin(), rest.end());
  return true;
}

Result<Sdes> read_sdes(std::span<const std::uint8_t> body, std::size_t count) {
  Sdes sdes;
  std::size_t off = 0;
  for (std::size_t c = 0; c < count; ++c) {
    if (body.size() - off < 4) return bad("SDES chunk truncated");
    SdesChunk chunk;
    chunk.ssrc = read_u32(body.data() + off);
    off += 4;
    for (;;) {
      if (off >= body.size()) return bad("SDES items unterminated");
      std::uint8_t type = body[off];
      if (type == 0) {
        ++off;  // end of list, then pad to a word boundary
        while (off % 4 != 0) {
          if (off >= body.size() || body[off] != 0) return bad("SDES chunk padding");
          ++off;
        }
        break;
      }
      if (body.size() - off < 2) return bad("SDES item truncated");
      std::size_t len = body[off + 1];
      if (body.size() - off - 2 < len) return bad("SDES item overflows");
      chunk.items.push_back(
          {type, std::string(reinterpret_cast<const char*>(body.data() + off + 2), len)});
      off += 2 + len;
    }
    sdes.chunks.push_back(std::move(chunk));
  }
  if (off != body.size()) return bad("SDES trailing bytes");
  return sdes;
}

Result<Bye> read_bye(std::span<const std::uint8_t> body, std::size_t count) {
  Bye bye;
  if (body.size() < count * 4) return bad("BYE SSRC list truncated");
  for (std::size_t i = 0; i < count; ++i) bye.ssrcs.push_back(read_u32(body.data() + i * 4));
  std::size_t off = count * 4;
  if (off < body.size()) {
    std::size_t len = body[off];
    if (body.size() - off - 1 < len) return bad("BYE reason overflows");
    bye.reason.assign(reinterpret_cast<const char*>(body.data() + off + 1), len);
    off += 1 + len;
    while (off < body.size()) {
      if (body[off] != 0) return bad("BYE trailing bytes");
      ++off;
    }
  }
  return bye;
}

Result<RtcpPacket> read_one(std::uint8_t pt, std::uint8_t count,
                            std::span<const std::uint8_t> body) {
  switch (pt) {
    case kRtcpSr: {
      if (body.size() < 24) return bad("SR too short");
      SenderReport sr;
      sr.ssrc = read_u32(body.data());
      sr.ntp_timestamp =
          (std::uint64_t{read_u32(body.data() + 4)} << 32) | read_u32(body.data() + 8);
      sr.rtp_timestamp = read_u32(body.data() + 12);
      sr.packet_count = read_u32(body.data() + 16);
      sr.octet_count = read_u32(body.data() + 20);
      if (!read_blocks(body.subspan(24), count, sr.blocks, sr.extension))
        return bad("SR report blocks truncated");
      return RtcpPacket{std::move(sr)};
    }
    case kRtcpRr: {
      if (body.size() < 4) return bad("RR too short");
      ReceiverReport rr;
      rr.ssrc = read_u32(body.data());
      if (!read_blocks(body.subspan(4), count, rr.blocks, rr.extension))
        return bad("RR report blocks truncated");
      return RtcpPacket{std::move(rr)};
    }
    case kRtcpSdes: {
      auto s = read_sdes(body, count);
      if (!s) return s.error();
      return RtcpPacket{std::move(s).value()};
    }
    case kRtcpBye: {
      auto b = read_bye(body, count);
      if (!b) return b.error();
      return RtcpPacket{std::move(b).value()};
    }
    default:
      return RtcpPacket{RtcpOther{pt, count, {body.begin(), body.end()}}};
  }
}

// Writers append to `out`.
void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  std::uint8_t b[4];
  write_u32(b, v);
  out.insert(out.end(), b, b + 4);
}

void put_block(std::vector<std::uint8_t>& out, const ReportBlock& b) {
  put_u32(out, b.ssrc);
  auto cum = static_cast<std::uint32_t>(b.cumulative_lost) & 0xFFFFFF;
  put_u32(out, (std::uint32_t{b.fraction_lost} << 24) | cum);
  put_u32(out, b.highest_sequence);
  put_u32(out, b.jitter);
  put_u32(out, b.last_sr);
  put_u32(out, b.delay_since_last_sr);
}

struct Body {
  std::uint8_t pt = 0;
  std::size_t count = 0;
  std::vector<std::uint8_t> bytes;
};

Result<Body> body_of(const RtcpPacket& packet) {
  Body b;
  if (const auto* sr = std::get_if<SenderReport>(&packet)) {
    b.pt = kRtcpSr;
    b.count = sr->blocks.size();
    put_u32(b.bytes, sr->ssrc);
    put_u32(b.bytes, static_cast<std::uint32_t>(sr->ntp_timestamp >> 32));
    put_u32(b.bytes, static_cast<std::uint32_t>(sr->ntp_timestamp));
    put_u32(b.bytes, sr->rtp_timestamp);
    put_u32(b.bytes, sr->packet_count);
    put_u32(b.bytes, sr->octet_count);
    for (const auto& blk : sr->blocks) put_block(b.bytes, blk);
    b.bytes.insert(b.bytes.end(), sr->extension.begin(), sr->extension.end());
  } else if (const auto* rr = std::get_if<ReceiverReport>(&packet)) {
    b.pt = kRtcpRr;
    b.count = rr->blocks.size();
    put_u32(b.bytes, rr->ssrc);
    for (const auto& blk : rr->blocks) put_block(b.bytes, blk);
    b.bytes.insert(b.bytes.end(), rr->extension.begin(), rr->extension.end());
  } else if (const auto* sdes = std::get_if<Sdes>(&packet)) {
    b.pt = kRtcpSdes;
    b.count = sdes->chunks.size();
    for (const auto& chunk : sdes->chunks) {
      put_u32(b.bytes, chunk.ssrc);
      for (const auto& item : chunk.items) {
        if (item.type == 0 || item.text.size() > 255) return bad("SDES item not representable");
        b.bytes.push_back(item.type);
        b.bytes.push_back(static_cast<std::uint8_t>(item.text.size()));
        b.bytes.insert(b.bytes.end(), item.text.begin(), item.text.end());
      }
      b.bytes.push_back(0);
      while (b.bytes.size() % 4 != 0) b.bytes.push_back(0);
    }
  } else if (const auto* bye = std::get_if<Bye>(&packet)) {
    b.pt = kRtcpBye;
    b.count = bye->ssrcs.size();
    for (auto s : bye->ssrcs) put_u32(b.bytes, s);
    if (!bye->reason.empty()) {
      if (bye->reason.size() > 255) return bad("BYE reason too long");
      b.bytes.push_back(static_cast<std::uint8_t>(bye->reason.size()));
      b.bytes.insert(b.bytes.end(), bye->reason.begin(), bye->reason.end());
      while (b.bytes.size() % 4 != 0) b.bytes.push_back(0);
    }
  } else {
    const auto& other = std::get<RtcpOther>(packet);
    b.pt = other.packet_type;
    b.count = other.count;
    b.bytes = other.body;
  }
  if (b.count > 31) return bad("RTCP count over 31");
  if (b.bytes.size() % 4 != 0) return bad("RTCP body not a multiple of 4");
  if (b.bytes.size() / 4 > 0xFFFF) return bad("RTCP packet too long");
  return b;
}

}  // namespace

Result<std::vector<RtcpPacket>> parse_rtcp(std::span<const std::uint8_t> data) {
  std::vector<RtcpPacket> out;
  if (data.empty()) return bad("empty RTCP");
  std::size_t off = 0;
  while (off < data.size()) {
    if (data.size() - off < 4) return bad("RTCP header truncated");
    const std::uint8_t* p = data.data() + off;
    if ((p[0] >> 6) != 2) return bad("RTCP version not 2");
    bool padding = (p[0] & 0x20) != 0;
    auto count = static_cast<std::uint8_t>(p[0] & 0x1F);
    std::uint8_t pt = p[1];
    std::size_t len = (std::size_t{read_u16(p + 2)} + 1) * 4;
    if (len > data.size() - off) return bad("RTCP length overflows");
    std::size_t body_len = len - 4;
    if (padding) {
      if (off + len != data.size()) return bad("RTCP padding not on the last packet");
      std::uint8_t pad = p[len - 1];
      if (pad == 0 || pad > body_len) return bad("RTCP bad padding");
      body_len -= pad;
    }
    auto one = read_one(pt, count, data.subspan(off + 4, body_len));
    if (!one) return one.error();
    out.push_back(std::move(one).value());
    off += len;
  }
  return out;
}

bool starts_with_report(const std::vector<RtcpPacket>& packets) {
  return !packets.empty() && (std::holds_alternative<SenderReport>(packets.front()) ||
                              std::holds_alternative<ReceiverReport>(packets.front()));
}

Result<std::vector<std::uint8_t>> write_rtcp(const std::vector<RtcpPacket>& packets) {
  std::vector<std::uint8_t> out;
  for (const auto& packet : packets) {
    auto body = body_of(packet);
    if (!body) return body.error();
    out.push_back(static_cast<std::uint8_t>(0x80 | body->count));
    out.push_back(body->pt);
    std::uint8_t len[2];
    write_u16(len, static_cast<std::uint16_t>(body->bytes.size() / 4));
    out.insert(out.end(), len, len + 2);
    out.insert(out.end(), body->bytes.begin(), body->bytes.end());
  }
  return out;
}

const ReportBlock* first_report_block(const std::vector<RtcpPacket>& packets) {
  for (const auto& p : packets) {
    if (const auto* sr = std::get_if<SenderReport>(&p)) {
      if (!sr->blocks.empty()) return &sr->blocks.front();
    } else if (const auto* rr = std::get_if<ReceiverReport>(&p)) {
      if (!rr->blocks.empty()) return &rr->blocks.front();
    }
  }
  return nullptr;
}

}  // namespace switchboard::media::rtp
