// Mixer participants per core at 20 ms ticks (issue 6, point 9).
// One iteration = one tick of an N-party conference at 8 kHz.
//  BM_MixerTick: linear PCM — every party's 20 ms input copied in (what a
//    FrameSource does after decoding), the N-1 mix, every output read out.
//  BM_MixerTickG711: the same with G.711 µ-law both ways (src/media/codec):
//    each party's 160-byte payload decoded, the mix, each output encoded —
//    what a conference of PCMU phones costs, without the sockets.
// "participants_per_core" is N times the ticks one core runs per 20 ms of
// CPU time.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <numbers>
#include <vector>

#include "media/codec/codec.hpp"
#include "media/mixer/mixer.hpp"

namespace {

using switchboard::media::mixer::Mixer;
using switchboard::media::mixer::PartyId;

std::vector<std::vector<std::int16_t>> speech_like(std::size_t parties, std::size_t frame) {
  std::vector<std::vector<std::int16_t>> v(parties, std::vector<std::int16_t>(frame));
  for (std::size_t p = 0; p < parties; ++p) {
    for (std::size_t i = 0; i < frame; ++i) {
      v[p][i] = static_cast<std::int16_t>(
          3000 * std::sin(2 * std::numbers::pi * (300.0 + 7.0 * static_cast<double>(p)) *
                          static_cast<double>(i) / 8000));
    }
  }
  return v;
}

void run(benchmark::State& state, bool with_gains) {
  const auto n = static_cast<std::size_t>(state.range(0));
  Mixer mixer(8000);
  for (PartyId id = 0; id < n; ++id) {
    switchboard::media::mixer::PartyOptions o;
    if (with_gains) {
      o.talk_gain_db = 3;
      o.listen_gain_db = -2;
    }
    if (mixer.add(id, o).ok() == false) state.SkipWithError("add");
  }
  auto inputs = speech_like(n, mixer.frame_size());
  std::int64_t sink = 0;
  for (auto _ : state) {
    for (PartyId id = 0; id < n; ++id) {
      auto in = mixer.input(id);
      std::copy(inputs[id].begin(), inputs[id].end(), in.begin());
      mixer.set_input_present(id);
    }
    mixer.mix();
    for (PartyId id = 0; id < n; ++id) sink += mixer.output(id)[static_cast<std::size_t>(id) % 160];
    benchmark::DoNotOptimize(sink);
  }
  // Each iteration stands for 20 ms of audio for n parties; the rate is taken
  // over CPU time (per core), not wall time (the machines are shared).
  state.counters["participants_per_core"] =
      benchmark::Counter(static_cast<double>(n) * 0.020 * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}

void BM_MixerTickG711(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  Mixer mixer(8000);
  std::vector<std::unique_ptr<switchboard::media::Codec>> codecs;
  std::vector<std::vector<std::uint8_t>> payloads;
  auto pcm = speech_like(n, mixer.frame_size());
  std::vector<std::uint8_t> encoded(switchboard::media::kMaxPayloadBytes);
  for (PartyId id = 0; id < n; ++id) {
    auto codec = switchboard::media::make_codec("PCMU");
    if (!mixer.add(id).ok() || !codec.ok()) {
      state.SkipWithError("setup");
      return;
    }
    auto bytes = (*codec)->encode(pcm[id], encoded);
    payloads.emplace_back(encoded.begin(), encoded.begin() + static_cast<std::ptrdiff_t>(*bytes));
    codecs.push_back(std::move(*codec));
  }
  // decode() wants room for any codec's largest payload.
  std::vector<std::int16_t> decoded(switchboard::media::kMaxDecodedSamples);
  std::int64_t sink = 0;
  for (auto _ : state) {
    for (PartyId id = 0; id < n; ++id) {
      auto got = codecs[id]->decode(payloads[id], decoded);
      if (!got.ok()) continue;
      auto in = mixer.input(id);
      std::copy_n(decoded.begin(), in.size(), in.begin());
      mixer.set_input_present(id);
    }
    mixer.mix();
    for (PartyId id = 0; id < n; ++id) {
      auto bytes = codecs[id]->encode(mixer.output(id), encoded);
      sink += bytes.ok() ? encoded[static_cast<std::size_t>(id) % 160] : 0;
    }
    benchmark::DoNotOptimize(sink);
  }
  state.counters["participants_per_core"] =
      benchmark::Counter(static_cast<double>(n) * 0.020 * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}

void BM_MixerTick(benchmark::State& state) {
  run(state, false);
}
void BM_MixerTickWithGains(benchmark::State& state) {
  run(state, true);
}

BENCHMARK(BM_MixerTick)->Arg(3)->Arg(10)->Arg(50)->Arg(300)->Arg(1000);
BENCHMARK(BM_MixerTickG711)->Arg(10)->Arg(50)->Arg(300)->Arg(1000);
BENCHMARK(BM_MixerTickWithGains)->Arg(50)->Arg(300)->Arg(1000);

}  // namespace
