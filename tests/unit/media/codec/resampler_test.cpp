#include "media/codec/resampler.hpp"

#include <gtest/gtest.h>

#include "media/codec/transcoder.hpp"
#include "unit/media/codec/tone_measure.hpp"

namespace switchboard::media {
namespace {

using test::frequency;
using test::level_db;
using test::sine;

TEST(Resampler, RejectsOtherRates) {
  EXPECT_FALSE(Resampler::create(8000, 44100));
  EXPECT_FALSE(Resampler::create(11025, 8000));
  EXPECT_FALSE(Resampler::create(8000, 16000, 11));
}

struct RatePair {
  std::uint32_t in;
  std::uint32_t out;
};

class Resampling : public ::testing::TestWithParam<RatePair> {};

// A 1 kHz sine at -6 dBFS in 20 ms frames keeps its frequency (±0.5 Hz) and
// level (±0.5 dB), and every frame gives exactly its share of output.
TEST_P(Resampling, KeepsAToneIn20msFrames) {
  const auto [in_rate, out_rate] = GetParam();
  auto resampler = Resampler::create(in_rate, out_rate);
  ASSERT_TRUE(resampler);
  const auto in = sine(1000, 16384, in_rate, in_rate);
  const std::size_t frame = in_rate / 50;
  std::vector<std::int16_t> out;
  std::vector<std::int16_t> buffer(resampler->output_size(frame));
  for (std::size_t pos = 0; pos + frame <= in.size(); pos += frame) {
    const std::size_t n = resampler->process(std::span(in).subspan(pos, frame), buffer);
    EXPECT_EQ(n, out_rate / 50);
    out.insert(out.end(), buffer.begin(), buffer.begin() + static_cast<long>(n));
  }
  ASSERT_EQ(out.size(), out_rate);
  const auto steady = std::span(out).subspan(out_rate / 10);
  EXPECT_NEAR(frequency(steady, out_rate), 1000.0, 0.5);
  EXPECT_NEAR(level_db(steady), level_db(in), 0.5);
}

INSTANTIATE_TEST_SUITE_P(Rates, Resampling,
                         ::testing::Values(RatePair{8000, 16000}, RatePair{16000, 8000},
                                           RatePair{8000, 48000}, RatePair{48000, 8000},
                                           RatePair{16000, 48000}, RatePair{48000, 16000},
                                           RatePair{8000, 8000}),
                         [](const auto& info) {
                           return std::to_string(info.param.in) + "to" +
                                  std::to_string(info.param.out);
                         });

TEST(Resampler, DownsamplingRemovesWhatTheLowerRateCannotCarry) {
  auto resampler = Resampler::create(16000, 8000);
  ASSERT_TRUE(resampler);
  const auto in = sine(6000, 16384, 16000, 16000);  // above 4 kHz
  std::vector<std::int16_t> out(8000);
  const std::size_t n = resampler->process(in, out);
  ASSERT_EQ(n, 8000u);
  EXPECT_LT(level_db(std::span(out).subspan(800)), level_db(in) - 40);
}

struct Pair {
  const char* from;
  const char* to;
};

class Transcoding : public ::testing::TestWithParam<Pair> {};

// Every pair of codecs: a 1004 Hz tone at -10 dBFS encoded with `from`,
// transcoded, decoded with `to` keeps its frequency (±2 Hz) and level
// (±3.5 dB: two lossy codecs in a row, G.729 the loosest of them).
TEST_P(Transcoding, KeepsAToneBetweenAnyTwoCodecs) {
  const auto [from_name, to_name] = GetParam();
  auto encoder = make_codec(from_name);
  auto decoder = make_codec(to_name);
  auto transcoder = Transcoder::create(from_name, to_name);
  ASSERT_TRUE(encoder && decoder && transcoder);
  const auto in_rate = (*encoder)->info().sample_rate;
  const auto out_rate = (*decoder)->info().sample_rate;
  const auto in = sine(1004, 32767 * std::pow(10.0, -0.5), in_rate, in_rate);
  const std::size_t frame = (*encoder)->info().frame_samples();
  std::array<std::uint8_t, kMaxPayloadBytes> payload{};
  std::vector<std::vector<std::uint8_t>> frames;
  std::vector<std::int16_t> decoded(kMaxDecodedSamples);
  std::vector<std::int16_t> out;
  for (std::size_t pos = 0; pos + frame <= in.size(); pos += frame) {
    auto bytes = (*encoder)->encode(std::span(in).subspan(pos, frame), payload);
    ASSERT_TRUE(bytes);
    frames.clear();
    ASSERT_TRUE(transcoder->transcode(std::span(payload).first(*bytes), frames).ok());
    for (const auto& f : frames) {
      auto n = (*decoder)->decode(f, decoded);
      ASSERT_TRUE(n);
      out.insert(out.end(), decoded.begin(), decoded.begin() + static_cast<long>(*n));
    }
  }
  ASSERT_GE(out.size(), out_rate * 9 / 10);
  const auto steady = std::span(out).subspan(out_rate / 5);
  EXPECT_NEAR(frequency(steady, out_rate), 1004.0, 2.0);
  EXPECT_NEAR(level_db(steady), -10.0, 3.5);
}

std::vector<Pair> all_pairs() {
  std::vector<Pair> pairs;
  for (const auto& a : supported_codecs()) {
    for (const auto& b : supported_codecs()) {
      if (a.name != b.name) pairs.push_back({a.name.data(), b.name.data()});
    }
  }
  return pairs;
}

INSTANTIATE_TEST_SUITE_P(Codecs, Transcoding, ::testing::ValuesIn(all_pairs()),
                         [](const auto& info) {
                           return std::string(info.param.from) + "to" + info.param.to;
                         });

TEST(Transcoder, RepacketizesThirtyMillisecondPacketsIntoTwentyMillisecondFrames) {
  auto transcoder = Transcoder::create("PCMU", "PCMA");
  ASSERT_TRUE(transcoder);
  std::vector<std::uint8_t> packet(240, 0xFF);  // 30 ms of µ-law silence
  std::vector<std::vector<std::uint8_t>> out;
  ASSERT_TRUE(transcoder->transcode(packet, out).ok());
  EXPECT_EQ(out.size(), 1u);  // 20 ms out, 10 ms pending
  ASSERT_TRUE(transcoder->transcode(packet, out).ok());
  ASSERT_EQ(out.size(), 3u);  // 60 ms in, 60 ms out
  for (const auto& f : out) EXPECT_EQ(f.size(), 160u);
  ASSERT_TRUE(transcoder->lost(out).ok());
  EXPECT_EQ(out.size(), 4u);
}

}  // namespace
}  // namespace switchboard::media
