// Music on hold per core (issue 7): what N held calls of one MOH class cost
// on a media thread per 20 ms tick — each listener's frame copied out of the
// class's shared ring, encoded in the held phone's codec and packetised by
// the relay's Injector (no socket: the relay's sendmmsg cost per packet is
// measured in docs/PERFORMANCE.md "RTP relay"). The class's one decoder runs
// inline here (run_blocking unset) so its cost — a 44.1 kHz stereo WAV
// converted to 48/16/8 kHz — is included once per tick, as it is once per
// class in production (on the worker pool).
// "listeners_per_core" is N times the ticks one core runs per 20 ms of CPU time.
#include <benchmark/benchmark.h>
#include <sndfile.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <numbers>
#include <vector>

#include "media/audio/moh_class.hpp"
#include "media/rtp/injector.hpp"

namespace {

using namespace switchboard::media;

std::string music_file() {
  static const std::string path = [] {
    auto p = std::filesystem::temp_directory_path() /
             ("sb-moh-bench-" + std::to_string(::getpid()) + ".wav");
    SF_INFO info{};
    info.samplerate = 44100;
    info.channels = 2;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SNDFILE* f = sf_open(p.c_str(), SFM_WRITE, &info);
    std::vector<std::int16_t> v(44100 * 2 * 10);  // 10 s: a chord, so no codec shortcut
    for (std::size_t i = 0; i < v.size() / 2; ++i) {
      double t = static_cast<double>(i) / 44100;
      auto s = static_cast<std::int16_t>(3000 * (std::sin(2 * std::numbers::pi * 262 * t) +
                                                 std::sin(2 * std::numbers::pi * 330 * t) +
                                                 std::sin(2 * std::numbers::pi * 392 * t)));
      v[2 * i] = v[2 * i + 1] = s;
    }
    sf_writef_short(f, v.data(), static_cast<sf_count_t>(v.size() / 2));
    sf_close(f);
    return p.string();
  }();
  return path;
}

void run(benchmark::State& state, const char* codec, std::uint32_t clock, int rate) {
  const auto n = static_cast<std::size_t>(state.range(0));
  audio::MohClassOptions o;
  o.name = "bench";
  o.files = {music_file()};
  auto cls = audio::MohClass::create(o).value();
  cls->preload();
  rtp::SideParams side;
  side.codecs = {{0, codec, clock, 1}};
  std::vector<std::unique_ptr<rtp::Injector>> injectors;
  std::vector<rtp::InjectStream> streams(n);
  for (std::size_t i = 0; i < n; ++i)
    injectors.push_back(rtp::Injector::create(side, cls->listen(rate).value(), rate).value());
  std::size_t bytes = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i) bytes += injectors[i]->next(streams[i])->size();
  }
  benchmark::DoNotOptimize(bytes);
  state.counters["listeners_per_core"] = benchmark::Counter(
      static_cast<double>(n) * 0.020 * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

void BM_MohTickPcmu(benchmark::State& state) {
  run(state, "PCMU", 8000, 8000);
}
void BM_MohTickG722(benchmark::State& state) {
  run(state, "G722", 8000, 16000);
}
BENCHMARK(BM_MohTickPcmu)->Arg(1)->Arg(100)->Arg(1000);
BENCHMARK(BM_MohTickG722)->Arg(1)->Arg(100)->Arg(1000);

}  // namespace
