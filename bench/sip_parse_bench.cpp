// SIP message layer throughput: parse, and parse + serialize, for a typical
// INVITE with SDP, a REGISTER and a 200 OK. Each iteration copies the bytes
// into a fresh std::string first, as a transport hands over a new receive
// buffer per datagram; that copy is part of the measured cost.
//
//   build/bin/sip_parse_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <string>

#include "sip/message_headers.hpp"
#include "sip/parser.hpp"
#include "sip/serializer.hpp"

namespace {

using namespace switchboard::sip;

std::string crlf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out.push_back('\r');
    out.push_back(c);
  }
  return out;
}

const std::string kInvite = crlf(
    "INVITE sip:1002@pbx.example.com SIP/2.0\n"
    "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-524287-1---77ba3f8e5c6b4d12;rport\n"
    "Max-Forwards: 70\n"
    "Contact: <sip:1001@192.0.2.10:5060;transport=udp>\n"
    "To: <sip:1002@pbx.example.com>\n"
    "From: \"Alice Example\" <sip:1001@pbx.example.com>;tag=4b9e7a21\n"
    "Call-ID: 8Jq2bJ0dLw9Xe1mV3kQ7pA..\n"
    "CSeq: 1 INVITE\n"
    "Allow: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, MESSAGE, OPTIONS, INFO, SUBSCRIBE\n"
    "Content-Type: application/sdp\n"
    "Supported: replaces, norefersub, timer\n"
    "User-Agent: Z 5.6.4 v2.10.20.5\n"
    "Allow-Events: presence, kpml, talk\n"
    "Content-Length: 224\n"
    "\n"
    "v=0\n"
    "o=Z 1700000000 1 IN IP4 192.0.2.10\n"
    "s=Z\n"
    "c=IN IP4 192.0.2.10\n"
    "t=0 0\n"
    "m=audio 8000 RTP/AVP 0 8 101\n"
    "a=rtpmap:0 PCMU/8000\n"
    "a=rtpmap:8 PCMA/8000\n"
    "a=rtpmap:101 telephone-event/8000\n"
    "a=fmtp:101 0-16\n"
    "a=sendrecv\n"
    "a=ptime:20\n");

const std::string kRegister = crlf(
    "REGISTER sip:pbx.example.com SIP/2.0\n"
    "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-524287-1---9a0c1d2e3f4a5b6c;rport\n"
    "Max-Forwards: 70\n"
    "Contact: <sip:1001@192.0.2.10:5060;rinstance=5f8c0e3b7a1d2c4e;transport=udp>;expires=3600\n"
    "To: <sip:1001@pbx.example.com>\n"
    "From: <sip:1001@pbx.example.com>;tag=93ab17c2\n"
    "Call-ID: Yz3kP0qLw8Rt5uVx1mN2bC..\n"
    "CSeq: 2 REGISTER\n"
    "Expires: 3600\n"
    "Allow: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, MESSAGE, OPTIONS, INFO, SUBSCRIBE\n"
    "Supported: replaces, norefersub, extended-refer, timer, outbound, path, X-cisco-serviceuri\n"
    "User-Agent: Z 5.6.4 v2.10.20.5\n"
    "Authorization: Digest username=\"1001\",realm=\"pbx.example.com\","
    "nonce=\"AAAAAGVTAQBgq3Jb0v3oWQk8eC0mS1vQpZy2xF7nL4hD8aRtUoEwIcKjYbNmHsGq\","
    "uri=\"sip:pbx.example.com\",response=\"0f5a8e1b2c3d4e5f60718293a4b5c6d7\","
    "cnonce=\"c2b9a1f0e3d4\",nc=00000001,qop=auth,algorithm=MD5,opaque=\"b3BhcXVl\"\n"
    "Allow-Events: presence, kpml, talk\n"
    "Content-Length: 0\n"
    "\n");

const std::string kOk = crlf(
    "SIP/2.0 200 OK\n"
    "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-524287-1---77ba3f8e5c6b4d12;rport=5060;"
    "received=192.0.2.10\n"
    "Record-Route: <sip:192.0.2.1;lr>\n"
    "Contact: <sip:1002@192.0.2.20:5062>\n"
    "To: <sip:1002@pbx.example.com>;tag=as6f1e2d3c\n"
    "From: \"Alice Example\" <sip:1001@pbx.example.com>;tag=4b9e7a21\n"
    "Call-ID: 8Jq2bJ0dLw9Xe1mV3kQ7pA..\n"
    "CSeq: 1 INVITE\n"
    "Server: Switchboard/0.1\n"
    "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, SUBSCRIBE, NOTIFY, INFO, PUBLISH, MESSAGE\n"
    "Supported: replaces, timer\n"
    "Content-Length: 0\n"
    "\n");

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
