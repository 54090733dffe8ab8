// Kernels of the RTP relay's packet path (Google Benchmark): RTP parsing,
// the relay logic per packet (pass-through, renumbered, PCMU->PCMA
// transcoded, with DTMF detection of RFC 4733 events only or also of
// in-band tones) and RTCP parsing. The end-to-end figures with sockets come from
// bench/rtp_relay_bench.py.
#include <benchmark/benchmark.h>

#include <vector>

#include "media/rtp/relay_core.hpp"
#include "media/rtp/rtcp_packet.hpp"
#include "media/rtp/rtp_packet.hpp"

using namespace switchboard::media::rtp;

namespace {

std::vector<std::uint8_t> pcmu_packet() {
  RtpHeader h;
  h.sequence = 1;
  h.ssrc = 42;
  std::vector<std::uint8_t> payload(160, 0x55), out(200);
  out.resize(write_rtp(h, {}, payload, 0, out));
  return out;
}

void BM_ParseRtp(benchmark::State& state) {
  auto p = pcmu_packet();
  for (auto _ : state) benchmark::DoNotOptimize(parse_rtp(p));
}
BENCHMARK(BM_ParseRtp);

void relay(benchmark::State& state, const char* b_codec, int b_pt,
           DigitDetection digits = DigitDetection::kOff, bool a_has_events = false) {
  RelayCore core(RelayOptions{});
  auto now = switchboard::TimePoint{} + std::chrono::hours(1);
  SideParams a, b;
  a.remote_address = "127.0.0.1";
  a.remote_rtp_port = 4000;
  a.codecs = {{0, "PCMU", 8000, 1}};
  b = a;
  b.remote_rtp_port = 6000;
  b.codecs = {{b_pt, b_codec, 8000, 1}};
  if (a_has_events) a.telephone_event = PayloadFormat{101, "telephone-event", 8000, 1};
  core.configure(Side::kA, a, now);
  core.configure(Side::kB, b, now);
  core.set_digit_detection(digits);
  Endpoint src(boost::asio::ip::make_address("127.0.0.1"), 4000);
  auto p = pcmu_packet();
  std::uint16_t seq = 0;
  for (auto _ : state) {
    p[0] = 0x80;
    p[1] = 0;  // undo the previous iteration's rewrite
    p[2] = static_cast<std::uint8_t>(seq >> 8);
    p[3] = static_cast<std::uint8_t>(seq++);
    now += std::chrono::milliseconds(20);
    benchmark::DoNotOptimize(core.on_rtp(Side::kA, p, src, now));
  }
}
void BM_RelayPass(benchmark::State& state) {
  relay(state, "PCMU", 0);
}
void BM_RelayRenumber(benchmark::State& state) {
  relay(state, "PCMU", 96);
}
void BM_RelayTranscodePcmuToPcma(benchmark::State& state) {
  relay(state, "PCMA", 8);
}
// DTMF detection on (issue 9 §4, call.dtmf): audio from a side that
// negotiated telephone-event (its packets are only compared with the
// event's payload type), and from one that did not, with and without the
// in-band detector.
void BM_RelayPassDigitsEventsSideWithEvents(benchmark::State& state) {
  relay(state, "PCMU", 0, DigitDetection::kEvents, true);
}
void BM_RelayPassDigitsEventsSideWithoutEvents(benchmark::State& state) {
  relay(state, "PCMU", 0, DigitDetection::kEvents, false);
}
void BM_RelayPassDigitsTonesSideWithoutEvents(benchmark::State& state) {
  relay(state, "PCMU", 0, DigitDetection::kEventsAndTones, false);
}
BENCHMARK(BM_RelayPass);
BENCHMARK(BM_RelayRenumber);
BENCHMARK(BM_RelayTranscodePcmuToPcma);
BENCHMARK(BM_RelayPassDigitsEventsSideWithEvents);
BENCHMARK(BM_RelayPassDigitsEventsSideWithoutEvents);
BENCHMARK(BM_RelayPassDigitsTonesSideWithoutEvents);

void BM_ParseRtcpSrSdes(benchmark::State& state) {
  SenderReport sr;
  sr.ssrc = 1;
  sr.blocks.push_back(ReportBlock{2, 10, 5, 70000, 80, 0, 0});
  Sdes sdes;
  sdes.chunks.push_back({1, {{1, "alice@example.com"}}});
  auto wire = write_rtcp({sr, sdes});
  for (auto _ : state) benchmark::DoNotOptimize(parse_rtcp(*wire));
}
BENCHMARK(BM_ParseRtcpSrSdes);

}  // namespace
