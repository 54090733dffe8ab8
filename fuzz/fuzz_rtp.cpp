// libFuzzer target: RTP and RTCP parsing and the relay's packet path.
// Invariants: a parsed RTP packet written back from its fields is the same
// bytes (when nothing was dropped) and parses to the same header; a parsed
// RTCP compound packet that can be written parses back equal; the relay
// logic accepts or drops any datagram without touching memory outside it.
#include <cstdint>
#include <cstring>
#include <vector>

#include "media/rtp/relay_core.hpp"
#include "media/rtp/rtcp_packet.hpp"
#include "media/rtp/rtp_packet.hpp"

using namespace switchboard::media::rtp;

namespace {

void check_rtp(std::span<const std::uint8_t> in) {
  auto r = parse_rtp(in);
  if (!r.ok()) return;
  const RtpPacket& p = r.packet;
  if (p.header_size + p.payload.size() + p.padding_size != in.size()) __builtin_trap();
  std::vector<std::uint8_t> out(in.size() + 16);
  std::size_t n = write_rtp(p.header, p.extension_data, p.payload, p.padding_size, out);
  if (n == 0) __builtin_trap();
  out.resize(n);
  auto again = parse_rtp(out);
  if (!again.ok() || !(again.packet.header == p.header)) __builtin_trap();
  if (again.packet.payload.size() != p.payload.size() ||
      !std::equal(p.payload.begin(), p.payload.end(), again.packet.payload.begin()))
    __builtin_trap();
}

void check_rtcp(std::span<const std::uint8_t> in) {
  auto r = parse_rtcp(in);
  if (!r.ok()) return;
  (void)first_report_block(*r);
  auto wire = write_rtcp(*r);
  if (!wire.ok()) return;  // e.g. an SR extension not a multiple of 4 after padding
  auto again = parse_rtcp(*wire);
  if (!again.ok() || !(*again == *r)) __builtin_trap();
}

void check_relay(std::span<const std::uint8_t> in) {
  RelayCore core(RelayOptions{});
  auto now = switchboard::TimePoint{} + std::chrono::hours(1);
  SideParams a;
  a.remote_address = "127.0.0.1";
  a.remote_rtp_port = 4000;
  a.codecs = {{0, "PCMU", 8000, 1}, {96, "opus", 48000, 2}};
  a.telephone_event = PayloadFormat{101, "telephone-event", 8000, 1};
  SideParams b = a;
  b.remote_rtp_port = 6000;
  b.codecs = {{8, "PCMA", 8000, 1}, {111, "opus", 48000, 2}};
  b.telephone_event = PayloadFormat{100, "telephone-event", 8000, 1};
  b.rtcp_mux = true;
  core.configure(Side::kA, a, now);
  core.configure(Side::kB, b, now);
  Endpoint src(boost::asio::ip::make_address("127.0.0.1"), 4000);
  std::vector<std::uint8_t> buf(in.begin(), in.end());
  (void)core.on_rtp(Side::kA, buf, src, now);
  (void)core.on_rtcp(Side::kB, in, src, now, true);
  (void)core.stats();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const std::uint8_t> in(data, size);
  check_rtp(in);
  check_rtcp(in);
  check_relay(in);
  return 0;
}
