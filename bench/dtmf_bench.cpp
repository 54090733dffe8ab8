// DTMF detection cost (issue 6, point 9): our Goertzel detector at 8 and
// 16 kHz against spandsp's dtmf_rx on the same 8 kHz input, fed in 20 ms
// frames as a media thread would. "channels" = 20 ms frames processed per
// second / 50, i.e. how many real-time channels one core keeps up with.
#include <benchmark/benchmark.h>
#include <spandsp.h>

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "media/dsp/dtmf_detector.hpp"

namespace {

using switchboard::media::dsp::dbm0_to_amplitude;
using switchboard::media::dsp::DtmfDetector;
using switchboard::media::dsp::DtmfReport;

// 10 s: digits of 60 ms with 60 ms pauses at -10 dBm0 per tone, in white
// noise 20 dB below, so both detectors do their full work on each block.
std::vector<std::int16_t> input(std::uint32_t rate) {
  static constexpr double kRows[] = {697, 770, 852, 941};
  static constexpr double kCols[] = {1209, 1336, 1477, 1633};
  std::vector<std::int16_t> x(10 * rate);
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(0.0, dbm0_to_amplitude(-30) / std::sqrt(2.0));
  const std::size_t cycle = rate * 120 / 1000;
  const double a = dbm0_to_amplitude(-10);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const std::size_t digit = i / cycle;
    const bool on = i % cycle >= cycle / 2;
    double v = noise(rng);
    if (on) {
      const double t = static_cast<double>(i) / rate;
      v += a * std::sin(2 * std::numbers::pi * kRows[digit % 4] * t) +
           a * std::sin(2 * std::numbers::pi * kCols[(digit / 4) % 4] * t);
    }
    x[i] = static_cast<std::int16_t>(std::lround(v));
  }
  return x;
}

void set_counters(benchmark::State& state, std::size_t frames) {
  state.counters["frames"] =
      benchmark::Counter(static_cast<double>(frames), benchmark::Counter::kIsRate);
  state.counters["channels"] =
      benchmark::Counter(static_cast<double>(frames) / 50.0, benchmark::Counter::kIsRate);
}

void BM_GoertzelDetector(benchmark::State& state) {
  const auto rate = static_cast<std::uint32_t>(state.range(0));
  const auto x = input(rate);
  const std::size_t frame = rate / 50;
  DtmfDetector detector(rate);
  std::vector<DtmfReport> reports;
  std::size_t frames = 0;
  std::size_t pos = 0;
  for (auto _ : state) {
    detector.process(std::span(x).subspan(pos, frame), reports);
    pos = (pos + frame) % x.size();
    if (reports.size() > 1000) reports.clear();
    ++frames;
  }
  set_counters(state, frames);
}
BENCHMARK(BM_GoertzelDetector)->Arg(8000)->Arg(16000);

void BM_SpandspDtmfRx(benchmark::State& state) {
  const auto x = input(8000);
  std::size_t digits = 0;
  dtmf_rx_state_t* rx = dtmf_rx_init(
      nullptr, [](void* user, const char*, int len) { *static_cast<std::size_t*>(user) += len; },
      &digits);
  std::size_t frames = 0;
  std::size_t pos = 0;
  for (auto _ : state) {
    dtmf_rx(rx, x.data() + pos, 160);
    pos = (pos + 160) % x.size();
    ++frames;
  }
  dtmf_rx_free(rx);
  benchmark::DoNotOptimize(digits);
  set_counters(state, frames);
}
BENCHMARK(BM_SpandspDtmfRx);

}  // namespace
