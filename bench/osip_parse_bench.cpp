// The reference for sip_parse_bench: GNU oSIP (libosip2, Debian's C SIP
// parser) parsing, and parsing + serializing, the same three messages on the
// same machine in the same run. docs/PERFORMANCE.md reports our figures as
// ratios to these.
//
//   build/bin/osip_parse_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>
#include <osipparser2/osip_message.h>
#include <osipparser2/osip_parser.h>

#include <cstdlib>
#include <string>

#include "sip_messages.hpp"

namespace {

using namespace switchboard::bench;

void osip_parse(benchmark::State& state, const std::string& bytes) {
  for (auto _ : state) {
    std::string copy(bytes);  // same per-message receive-buffer copy as ours
    osip_message_t* m = nullptr;
    osip_message_init(&m);
    int rc = osip_message_parse(m, copy.data(), copy.size());
    benchmark::DoNotOptimize(rc);
    osip_message_free(m);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void osip_parse_serialize(benchmark::State& state, const std::string& bytes) {
  for (auto _ : state) {
    std::string copy(bytes);
    osip_message_t* m = nullptr;
    osip_message_init(&m);
    osip_message_parse(m, copy.data(), copy.size());
    char* out = nullptr;
    size_t len = 0;
    osip_message_to_str(m, &out, &len);
    benchmark::DoNotOptimize(out);
    osip_free(out);
    osip_message_free(m);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

[[maybe_unused]] const int kInit = (parser_init(), 0);

BENCHMARK_CAPTURE(osip_parse, invite, kInvite);
BENCHMARK_CAPTURE(osip_parse, register, kRegister);
BENCHMARK_CAPTURE(osip_parse, ok200, kOk);
BENCHMARK_CAPTURE(osip_parse_serialize, invite, kInvite);
BENCHMARK_CAPTURE(osip_parse_serialize, register, kRegister);
BENCHMARK_CAPTURE(osip_parse_serialize, ok200, kOk);

}  // namespace
