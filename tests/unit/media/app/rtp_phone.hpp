// The phone's side of a terminating leg in tests: PCMU audio packets and
// RFC 4733 digit packets with a running sequence number and timestamp, and
// the decoding of what the leg sent. No sockets.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "media/codec/codec.hpp"
#include "media/dsp/rfc4733_sender.hpp"
#include "media/rtp/rtp_packet.hpp"

namespace switchboard::media::app::test {

using Bytes = std::vector<std::uint8_t>;

class RtpPhone {
 public:
  explicit RtpPhone(int telephone_event_pt = 101)
      : te_pt_(telephone_event_pt), codec_(make_codec("PCMU").value()) {}

  /// One 20 ms PCMU packet of `frame` (160 samples).
  Bytes audio(std::span<const std::int16_t> frame) {
    std::vector<std::uint8_t> payload(kMaxPayloadBytes);
    payload.resize(codec_->encode(frame, payload).value());
    Bytes out = packet(0, false, ts_, payload);
    ts_ += 160;
    return out;
  }

  /// The packets of one 100 ms key press, one per 20 ms (the end three times).
  std::vector<Bytes> digit(char d) {
    dsp::Rfc4733Sender sender;
    EXPECT_TRUE(sender.send(d, ts_, 800));
    std::vector<Bytes> out;
    while (auto p = sender.poll(ts_)) {
      auto payload = p->payload();
      out.push_back(packet(static_cast<std::uint8_t>(te_pt_), p->marker, p->timestamp, payload));
      ts_ += 160;
    }
    return out;
  }

 private:
  Bytes packet(std::uint8_t pt, bool marker, std::uint32_t ts,
               std::span<const std::uint8_t> payload) {
    rtp::RtpHeader h;
    h.payload_type = pt;
    h.marker = marker;
    h.sequence = seq_++;
    h.timestamp = ts;
    h.ssrc = 0x1234;
    Bytes out(rtp::kRtpFixedHeader + payload.size());
    out.resize(rtp::write_rtp(h, {}, payload, 0, out));
    return out;
  }

  int te_pt_;
  std::unique_ptr<Codec> codec_;
  std::uint16_t seq_ = 100;
  std::uint32_t ts_ = 5000;
};

/// PCM of PCMU packets' payloads, in order.
inline std::vector<std::int16_t> decode_pcmu(const std::vector<Bytes>& packets) {
  auto codec = make_codec("PCMU").value();
  std::vector<std::int16_t> pcm, buf(kMaxDecodedSamples);
  for (const auto& p : packets) {
    auto parsed = rtp::parse_rtp(p);
    EXPECT_TRUE(parsed.ok());
    auto n = codec->decode(parsed.packet.payload, buf).value();
    pcm.insert(pcm.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
  }
  return pcm;
}

/// Checks a run of packets from the leg: one SSRC and payload type, the
/// sequence +1 and the timestamp +`step` from one to the next.
inline void expect_continuous(const std::vector<Bytes>& packets, std::uint8_t pt,
                              std::uint32_t step) {
  ASSERT_FALSE(packets.empty());
  auto first = rtp::parse_rtp(packets.front()).packet.header;
  for (std::size_t i = 1; i < packets.size(); ++i) {
    auto r = rtp::parse_rtp(packets[i]);
    ASSERT_TRUE(r.ok());
    const auto& h = r.packet.header;
    EXPECT_EQ(h.ssrc, first.ssrc);
    EXPECT_EQ(h.payload_type, pt);
    EXPECT_EQ(h.sequence, static_cast<std::uint16_t>(first.sequence + i)) << i;
    EXPECT_EQ(h.timestamp, first.timestamp + step * i) << i;
    EXPECT_FALSE(h.marker) << i;
  }
}

}  // namespace switchboard::media::app::test
