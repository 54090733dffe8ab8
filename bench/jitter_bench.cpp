// The terminating receive path per leg (issue 6, point 6): one 20 ms packet
// pushed into the adaptive jitter buffer and one frame read out through the
// PlayoutSource (L16 decode, PLC bookkeeping), with 5 % loss and reordering.
// "legs_per_core" is how many 8 kHz legs one core keeps in real time.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

#include "media/audio/playout_source.hpp"

namespace {

using namespace std::chrono_literals;
namespace audio = switchboard::media::audio;

void BM_JitterPlayout(benchmark::State& state) {
  audio::PlayoutSource rx(std::make_unique<audio::L16Decoder>(8000));
  std::vector<std::int16_t> pcm(160, 1000), frame(160);
  auto payload = audio::l16_payload(pcm);
  std::mt19937 rng(1);
  std::uniform_int_distribution<int> dice(0, 99), jitter(0, 30);
  auto t = switchboard::TimePoint{} + 1h;
  std::uint16_t seq = 0;
  std::uint32_t ts = 0;
  for (auto _ : state) {
    int roll = dice(rng);
    if (roll >= 5) {  // 5 % lost
      rx.push({seq, ts, 160, payload}, t + std::chrono::milliseconds(jitter(rng)));
    }
    ++seq;
    ts += 160;
    t += 20ms;
    benchmark::DoNotOptimize(rx.read(frame));
  }
  state.counters["legs_per_core"] = benchmark::Counter(
      0.020 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_JitterPlayout);

}  // namespace
