#include "media/codec/codec.hpp"

#include <gtest/gtest.h>
#include <spandsp.h>

#include <array>
#include <random>
#include <string>

#include "media/codec/g711.hpp"
#include "sdp/codec.hpp"
#include "unit/media/codec/tone_measure.hpp"

namespace switchboard::media {
namespace {

using test::frequency;
using test::level_db;
using test::sine;

TEST(Codecs, MatchTheCodecsSdpNegotiates) {
  const auto specs = sdp::default_codecs();
  ASSERT_EQ(specs.size(), supported_codecs().size());
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const CodecInfo& info = supported_codecs()[i];
    EXPECT_EQ(specs[i].name, info.name);
    EXPECT_EQ(specs[i].clock_rate, info.clock_rate);
    EXPECT_EQ(specs[i].channels, info.channels);
    const auto pt = sdp::static_payload_type(specs[i]);
    EXPECT_EQ(pt.value_or(-1), info.static_payload_type) << info.name;
  }
}

TEST(Codecs, FindAndMakeByNameCaseInsensitively) {
  ASSERT_TRUE(find_codec("pcmu"));
  EXPECT_EQ((*find_codec("OPUS", 48000))->sample_rate, 48000u);
  EXPECT_EQ((*find_codec("g722"))->sample_rate, 16000u);
  EXPECT_FALSE(find_codec("opus", 8000));
  EXPECT_EQ(find_codec("GSM").error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(make_codec("iLBC"));
  for (const auto& info : supported_codecs()) {
    auto codec = make_codec(info.name);
    ASSERT_TRUE(codec) << info.name;
    EXPECT_EQ((*codec)->info().name, info.name);
  }
}

TEST(G711, KnownCodesAndEveryCodeRoundTrips) {
  EXPECT_EQ(g711::linear_to_ulaw(0), 0xFF);
  EXPECT_EQ(g711::linear_to_alaw(0), 0xD5);
  EXPECT_EQ(g711::ulaw_to_linear(0x80), 32124);  // G.711 µ-law extremes
  EXPECT_EQ(g711::ulaw_to_linear(0x00), -32124);
  EXPECT_EQ(g711::ulaw_to_linear(0x7F), 0);
  EXPECT_EQ(g711::alaw_to_linear(0xAA), 32256);  // A-law extremes
  EXPECT_EQ(g711::alaw_to_linear(0x2A), -32256);
  EXPECT_EQ(g711::linear_to_ulaw(32767), 0x80);
  EXPECT_EQ(g711::linear_to_ulaw(-32768), 0x00);
  for (int code = 0; code < 256; ++code) {
    const auto c = static_cast<std::uint8_t>(code);
    EXPECT_EQ(g711::linear_to_alaw(g711::alaw_to_linear(c)), c) << code;
    if (code != 0x7F) {  // µ-law has a negative zero that encodes as +0
      EXPECT_EQ(g711::linear_to_ulaw(g711::ulaw_to_linear(c)), c) << code;
    }
  }
  // µ-law reconstructs at the lower edge of a step (8 << segment), A-law
  // at its middle (half of 16 << (segment - 1)).
  for (int v = -32000; v <= 32000; v += 7) {
    const auto s = static_cast<std::int16_t>(v);
    EXPECT_LE(std::abs(g711::ulaw_to_linear(g711::linear_to_ulaw(s)) - v), 8 + std::abs(v) / 8);
    EXPECT_LE(std::abs(g711::alaw_to_linear(g711::linear_to_alaw(s)) - v), 8 + std::abs(v) / 32);
  }
}

// spandsp's G.711 (an independent implementation) as the reference: every
// 16-bit sample encodes to the same code, every code decodes to the same value.
TEST(G711, MatchesSpandspForEverySampleAndCode) {
  int mismatches = 0;
  for (int v = -32768; v <= 32767; ++v) {
    const auto s = static_cast<std::int16_t>(v);
    mismatches += g711::linear_to_ulaw(s) != ::linear_to_ulaw(v);
    mismatches += g711::linear_to_alaw(s) != ::linear_to_alaw(v);
  }
  EXPECT_EQ(mismatches, 0);
  for (int code = 0; code < 256; ++code) {
    const auto c = static_cast<std::uint8_t>(code);
    EXPECT_EQ(g711::ulaw_to_linear(c), ::ulaw_to_linear(c)) << code;
    EXPECT_EQ(g711::alaw_to_linear(c), ::alaw_to_linear(c)) << code;
  }
}

// Bounds each codec keeps for a 1004 Hz sine at -10 dBFS over one second of
// 20 ms frames (the first 100 ms, codec start-up, are not measured).
struct RoundTripCase {
  const char* name;
  double max_level_error_db;
  double max_frequency_error_hz;
  std::size_t payload_bytes;  // per 20 ms frame; 0 = variable
};

class RoundTrip : public ::testing::TestWithParam<RoundTripCase> {};

TEST_P(RoundTrip, KeepsFrequencyAndLevelOfATone) {
  const auto& param = GetParam();
  auto made = make_codec(param.name);
  ASSERT_TRUE(made);
  Codec& codec = **made;
  const auto rate = codec.info().sample_rate;
  const double amplitude = 32767 * std::pow(10.0, -10 / 20.0);
  const auto in = sine(1004, amplitude, rate, rate);
  std::vector<std::int16_t> out;
  std::array<std::uint8_t, kMaxPayloadBytes> payload{};
  std::vector<std::int16_t> decoded(kMaxDecodedSamples);
  const std::size_t frame = codec.info().frame_samples();
  for (std::size_t pos = 0; pos + frame <= in.size(); pos += frame) {
    auto bytes = codec.encode(std::span(in).subspan(pos, frame), payload);
    ASSERT_TRUE(bytes) << bytes.error().message;
    if (param.payload_bytes != 0) {
      EXPECT_EQ(*bytes, param.payload_bytes);
    }
    auto n = codec.decode(std::span(payload).first(*bytes), decoded);
    ASSERT_TRUE(n) << n.error().message;
    EXPECT_EQ(*n, frame);
    out.insert(out.end(), decoded.begin(), decoded.begin() + static_cast<long>(*n));
  }
  const auto measured = std::span(out).subspan(rate / 10);
  EXPECT_NEAR(level_db(measured), -10.0, param.max_level_error_db) << param.name;
  EXPECT_NEAR(frequency(measured, rate), 1004.0, param.max_frequency_error_hz) << param.name;
  // Concealment fills one frame.
  EXPECT_EQ(codec.conceal(decoded), frame);
}

INSTANTIATE_TEST_SUITE_P(Codecs, RoundTrip,
                         ::testing::Values(RoundTripCase{"PCMU", 0.2, 0.5, 160},
                                           RoundTripCase{"PCMA", 0.2, 0.5, 160},
                                           RoundTripCase{"G722", 1.0, 0.5, 160},
                                           RoundTripCase{"opus", 1.0, 0.5, 0},
                                           RoundTripCase{"G729", 3.0, 2.0, 20}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Opus, InBandFecRebuildsALostFrame) {
  auto made = make_codec("opus");
  ASSERT_TRUE(made);
  Codec& codec = **made;
  const auto in = sine(440, 8000, 48000, 48000);
  std::vector<std::vector<std::uint8_t>> packets;
  std::array<std::uint8_t, kMaxPayloadBytes> payload{};
  for (std::size_t pos = 0; pos + 960 <= in.size(); pos += 960) {
    auto bytes = codec.encode(std::span(in).subspan(pos, 960), payload);
    ASSERT_TRUE(bytes);
    packets.emplace_back(payload.begin(), payload.begin() + static_cast<long>(*bytes));
  }
  std::vector<std::int16_t> decoded(kMaxDecodedSamples);
  for (std::size_t i = 0; i < 25; ++i) ASSERT_TRUE(codec.decode(packets[i], decoded));
  // Packet 25 is lost; 26 carries its FEC copy.
  const std::size_t n = codec.recover(packets[26], decoded);
  ASSERT_EQ(n, 960u);
  EXPECT_NEAR(level_db(std::span(decoded).first(n)), level_db(std::span(in).first(960)), 3.0);
  EXPECT_NEAR(frequency(std::span(decoded).first(n), 48000), 440.0, 5.0);
}

// Payloads come from the network: random bytes of any length (up to an
// MTU) decode or fail cleanly in every codec (ASan/UBSan builds check it).
TEST(Codecs, RandomPayloadsDecodeOrFailCleanly) {
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<std::size_t> length(0, 1400);
  std::vector<std::int16_t> out(kMaxDecodedSamples);
  for (const auto& info : supported_codecs()) {
    auto codec = std::move(make_codec(info.name)).value();
    for (int i = 0; i < 300; ++i) {
      std::vector<std::uint8_t> payload(i < 50 ? static_cast<std::size_t>(i) : length(rng));
      for (auto& b : payload) b = static_cast<std::uint8_t>(byte(rng));
      const auto n = codec->decode(payload, out);
      if (n) {
        EXPECT_LE(*n, out.size()) << info.name;
      }
      if (i % 10 == 0) {
        EXPECT_LE(codec->conceal(out), info.frame_samples());
        EXPECT_LE(codec->recover(payload, out), info.frame_samples());
      }
    }
  }
}

TEST(Codecs, RejectWrongFrameSizesAndBadPayloads) {
  auto pcmu = make_codec("PCMU");
  std::array<std::uint8_t, kMaxPayloadBytes> payload{};
  std::vector<std::int16_t> pcm(100);
  EXPECT_FALSE((*pcmu)->encode(pcm, payload));
  auto g729 = make_codec("G729");
  std::vector<std::int16_t> decoded(kMaxDecodedSamples);
  const std::array<std::uint8_t, 7> odd{};
  EXPECT_FALSE((*g729)->decode(odd, decoded));
  auto opus = make_codec("opus");
  EXPECT_FALSE((*opus)->decode({}, decoded));
}

}  // namespace
}  // namespace switchboard::media
