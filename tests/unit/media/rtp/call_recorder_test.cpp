// CallRecorder without sockets or clocks: packets in, 20 ms frames out.
#include "media/rtp/call_recorder.hpp"

#include <gtest/gtest.h>

#include "unit/media/rtp/goertzel.hpp"

namespace switchboard::media::rtp {
namespace {

using test::SineGenerator;
using test::tone_power;

SideParams side(PayloadFormat f) {
  SideParams p;
  p.codecs = {std::move(f)};
  return p;
}

struct Sender {
  Sender(PayloadFormat f, double freq)
      : fmt(f),
        codec(make_codec(f.name, f.clock_rate).value()),
        sine(freq, static_cast<int>(codec->info().sample_rate)) {}
  PayloadFormat fmt;
  std::unique_ptr<Codec> codec;
  SineGenerator sine;
  std::uint32_t ts = 100;
  void send(CallRecorder& r, Side s, bool lose = false) {
    std::vector<std::int16_t> pcm(codec->info().frame_samples());
    sine.fill(pcm);
    std::vector<std::uint8_t> payload(kMaxPayloadBytes);
    payload.resize(codec->encode(pcm, payload).value());
    RtpHeader h;
    h.payload_type = static_cast<std::uint8_t>(fmt.payload_type);
    h.timestamp = ts;
    h.ssrc = 7;
    ts += codec->info().timestamp_step();
    if (!lose) r.on_rtp(s, h, payload);
  }
};

TEST(CallRecorder, StereoPutsEachSideInItsChannelAndSilenceWhereNothingCame) {
  CallRecorder r(RecordingMode::kStereo, 8000);
  r.configure(Side::kA, side({0, "PCMU", 8000, 1}));
  r.configure(Side::kB, side({9, "G722", 8000, 1}));
  Sender a({0, "PCMU", 8000, 1}, 500), b({9, "G722", 8000, 1}, 1500);
  std::vector<std::int16_t> left, right;
  for (int i = 0; i < 50; ++i) {
    a.send(r, Side::kA);
    if (i < 25) b.send(r, Side::kB);  // B falls silent halfway
    auto f = r.tick();
    ASSERT_EQ(f.size(), 320u);
    for (std::size_t k = 0; k < 160; ++k) {
      left.push_back(f[2 * k]);
      right.push_back(f[2 * k + 1]);
    }
  }
  EXPECT_EQ(r.channels(), 2);
  std::span<const std::int16_t> l(left), rr(right);
  EXPECT_GT(tone_power(l, 500, 8000), 0.01);
  EXPECT_GT(tone_power(rr.subspan(800, 2400), 1500, 8000), 0.01);
  EXPECT_LT(tone_power(l, 1500, 8000), 0.0001);
  // The second half of B's channel is silence.
  EXPECT_LT(tone_power(rr.subspan(26 * 160), 1500, 8000), 1e-6);
}

TEST(CallRecorder, MixedSumsBothAndFillsLostPacketsWithoutShiftingTheTimeline) {
  CallRecorder r(RecordingMode::kMixed, 8000);
  r.configure(Side::kA, side({0, "PCMU", 8000, 1}));
  r.configure(Side::kB, side({8, "PCMA", 8000, 1}));
  Sender a({0, "PCMU", 8000, 1}, 500), b({8, "PCMA", 8000, 1}, 1500);
  // B's packets arrive two at a time (a burst), one of them lost on the way:
  // the lost one becomes silence in place (timestamps), so B's audio keeps
  // its position relative to A.
  std::vector<std::int16_t> all;
  for (int i = 0; i < 20; ++i) {
    a.send(r, Side::kA);
    if (i % 2 == 1) {
      b.send(r, Side::kB, i == 5);
      b.send(r, Side::kB);
    }
    auto f = r.tick();
    all.insert(all.end(), f.begin(), f.end());
  }
  EXPECT_EQ(r.channels(), 1);
  EXPECT_GT(tone_power(all, 500, 8000), 0.01);
  EXPECT_GT(tone_power(all, 1500, 8000), 0.01);
  EXPECT_EQ(r.gap_samples(Side::kB), 160u);
  EXPECT_EQ(r.frames(), 20u);
}

TEST(CallRecorder, IgnoresUnknownPayloadTypesAndLatePackets) {
  CallRecorder r(RecordingMode::kMixed, 8000);
  r.configure(Side::kA, side({0, "PCMU", 8000, 1}));
  std::vector<std::uint8_t> payload(160, 0x00);  // loud PCMU
  RtpHeader h;
  h.payload_type = 101;  // telephone-event
  h.timestamp = 1000;
  r.on_rtp(Side::kA, h, payload);
  auto f = r.tick();
  for (auto v : f) ASSERT_EQ(v, 0);
  h.payload_type = 0;
  r.on_rtp(Side::kA, h, payload);
  r.on_rtp(Side::kA, h, payload);  // a repeat: dropped
  bool loud = false;
  for (auto v : r.tick()) loud = loud || v != 0;
  EXPECT_TRUE(loud);
  for (auto v : r.tick()) ASSERT_EQ(v, 0);
}

}  // namespace
}  // namespace switchboard::media::rtp
