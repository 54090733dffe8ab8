// Codec cost per 20 ms frame (issue 6, point 9): encode and decode of each
// codec, the resampler and a transcoding bridge, on one core.
#include <benchmark/benchmark.h>

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "media/codec/codec.hpp"
#include "media/codec/resampler.hpp"
#include "media/codec/transcoder.hpp"

namespace {

using namespace switchboard::media;

// 1 s of a voice-like signal: three harmonics of a gliding 120-220 Hz
// fundamental plus noise, about -16 dBFS.
std::vector<std::int16_t> input(std::uint32_t rate) {
  std::vector<std::int16_t> x(rate);
  std::mt19937 rng(3);
  std::normal_distribution<double> noise(0.0, 300.0);
  double phase = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double t = static_cast<double>(i) / rate;
    phase += 2 * std::numbers::pi * (170 + 50 * std::sin(2 * std::numbers::pi * 3 * t)) / rate;
    const double v =
        3000 * std::sin(phase) + 2000 * std::sin(3 * phase) + 1000 * std::sin(5 * phase);
    x[i] = static_cast<std::int16_t>(std::lround(v + noise(rng)));
  }
  return x;
}

void BM_Encode(benchmark::State& state, const char* name) {
  auto codec = std::move(make_codec(name)).value();
  const auto x = input(codec->info().sample_rate);
  const std::size_t frame = codec->info().frame_samples();
  std::vector<std::uint8_t> out(kMaxPayloadBytes);
  std::size_t pos = 0;
  std::size_t bytes = 0;
  for (auto _ : state) {
    bytes += *codec->encode(std::span(x).subspan(pos, frame), out);
    pos = (pos + frame) % x.size();
  }
  state.counters["bytes_per_frame"] =
      static_cast<double>(bytes) / static_cast<double>(state.iterations());
}

void BM_Decode(benchmark::State& state, const char* name) {
  auto codec = std::move(make_codec(name)).value();
  const auto x = input(codec->info().sample_rate);
  const std::size_t frame = codec->info().frame_samples();
  std::vector<std::vector<std::uint8_t>> payloads;
  std::vector<std::uint8_t> out(kMaxPayloadBytes);
  for (std::size_t pos = 0; pos + frame <= x.size(); pos += frame) {
    const std::size_t n = *codec->encode(std::span(x).subspan(pos, frame), out);
    payloads.emplace_back(out.begin(), out.begin() + static_cast<long>(n));
  }
  std::vector<std::int16_t> pcm(kMaxDecodedSamples);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(*codec->decode(payloads[i], pcm));
    i = (i + 1) % payloads.size();
  }
}

#define SB_CODEC_BENCH(name)                 \
  BENCHMARK_CAPTURE(BM_Encode, name, #name); \
  BENCHMARK_CAPTURE(BM_Decode, name, #name)
SB_CODEC_BENCH(PCMU);
SB_CODEC_BENCH(PCMA);
SB_CODEC_BENCH(G722);
SB_CODEC_BENCH(opus);
SB_CODEC_BENCH(G729);

void BM_Resample(benchmark::State& state) {
  const auto in_rate = static_cast<std::uint32_t>(state.range(0));
  const auto out_rate = static_cast<std::uint32_t>(state.range(1));
  auto resampler = std::move(Resampler::create(in_rate, out_rate)).value();
  const auto x = input(in_rate);
  const std::size_t frame = in_rate / 50;
  std::vector<std::int16_t> out(out_rate / 50);
  std::size_t pos = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(resampler.process(std::span(x).subspan(pos, frame), out));
    pos = (pos + frame) % x.size();
  }
}
BENCHMARK(BM_Resample)
    ->Args({8000, 16000})
    ->Args({16000, 8000})
    ->Args({8000, 48000})
    ->Args({48000, 8000});

void BM_Transcode(benchmark::State& state, const char* from, const char* to) {
  auto encoder = std::move(make_codec(from)).value();
  auto transcoder = std::move(Transcoder::create(from, to)).value();
  const auto x = input(encoder->info().sample_rate);
  const std::size_t frame = encoder->info().frame_samples();
  std::vector<std::vector<std::uint8_t>> payloads;
  std::vector<std::uint8_t> out(kMaxPayloadBytes);
  for (std::size_t pos = 0; pos + frame <= x.size(); pos += frame) {
    const std::size_t n = *encoder->encode(std::span(x).subspan(pos, frame), out);
    payloads.emplace_back(out.begin(), out.begin() + static_cast<long>(n));
  }
  std::vector<std::vector<std::uint8_t>> frames;
  std::size_t i = 0;
  for (auto _ : state) {
    frames.clear();
    benchmark::DoNotOptimize(transcoder.transcode(payloads[i], frames).ok());
    i = (i + 1) % payloads.size();
  }
}
BENCHMARK_CAPTURE(BM_Transcode, PCMU_to_PCMA, "PCMU", "PCMA");
BENCHMARK_CAPTURE(BM_Transcode, G722_to_PCMU, "G722", "PCMU");
BENCHMARK_CAPTURE(BM_Transcode, opus_to_PCMU, "opus", "PCMU");
BENCHMARK_CAPTURE(BM_Transcode, PCMU_to_opus, "PCMU", "opus");
BENCHMARK_CAPTURE(BM_Transcode, G729_to_opus, "G729", "opus");

}  // namespace
