// SIP message layer throughput: parse, and parse + serialize, for a typical
// INVITE with SDP, a REGISTER and a 200 OK. Each iteration copies the bytes
// into a fresh std::string first, as a transport hands over a new receive
// buffer per datagram; that copy is part of the measured cost.
//
//   build/bin/sip_parse_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <string>

#include "sip/message_headers.hpp"
#include "sip_messages.hpp"
#include "sip/parser.hpp"
#include "sip/serializer.hpp"

namespace {

using namespace switchboard::sip;
using namespace switchboard::bench;

// Refuses to measure a message that does not parse (a typo in a fixture
// would otherwise benchmark the error path).
bool fixture_ok(benchmark::State& state, const std::string& bytes) {
  auto m = parse_message(std::string(bytes));
  if (m.ok() && m->body().size() == get_content_length(*m).value()) return true;
  state.SkipWithError("fixture does not parse");
  return false;
}

void parse(benchmark::State& state, const std::string& bytes) {
  if (!fixture_ok(state, bytes)) return;
  for (auto _ : state) {
    auto m = parse_message(std::string(bytes));
    benchmark::DoNotOptimize(m);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}

void parse_serialize(benchmark::State& state, const std::string& bytes) {
  if (!fixture_ok(state, bytes)) return;
  std::string out;
  for (auto _ : state) {
    auto m = parse_message(std::string(bytes));
    out.clear();
    serialize_to(*m, out);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

// What a transaction layer reads from every request: the top Via branch,
// From tag, Call-ID and CSeq.
void parse_and_read_keys(benchmark::State& state, const std::string& bytes) {
  if (!fixture_ok(state, bytes)) return;
  for (auto _ : state) {
    auto m = parse_message(std::string(bytes));
    auto via = get_top_via(*m);
    auto from = get_from(*m);
    auto call_id = get_call_id(*m);
    auto cseq = get_cseq(*m);
    benchmark::DoNotOptimize(via);
    benchmark::DoNotOptimize(from);
    benchmark::DoNotOptimize(call_id);
    benchmark::DoNotOptimize(cseq);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

BENCHMARK_CAPTURE(parse, invite, kInvite);
BENCHMARK_CAPTURE(parse, register, kRegister);
BENCHMARK_CAPTURE(parse, ok200, kOk);
BENCHMARK_CAPTURE(parse_serialize, invite, kInvite);
BENCHMARK_CAPTURE(parse_serialize, register, kRegister);
BENCHMARK_CAPTURE(parse_serialize, ok200, kOk);
BENCHMARK_CAPTURE(parse_and_read_keys, invite, kInvite);

}  // namespace
