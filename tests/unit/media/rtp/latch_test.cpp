// Symmetric RTP: latch on the expected host (any port), ignore others,
// re-latch only after silence, reset on a new remote, keep on hold.
#include "media/rtp/latch.hpp"

#include <gtest/gtest.h>

namespace switchboard::media::rtp {
namespace {

using std::chrono::milliseconds;

Endpoint ep(const char* a, std::uint16_t p) {
  return Endpoint(boost::asio::ip::make_address(a), p);
}

const TimePoint t0 = TimePoint{} + std::chrono::hours(1);

TEST(Latch, SendsToTheSdpAddressUntilAPacketArrives) {
  Latch l;
  l.configure(ep("10.0.0.5", 4000), LatchMode::kExpectedHost, milliseconds(2000));
  EXPECT_EQ(l.destination(), ep("10.0.0.5", 4000));
  EXPECT_FALSE(l.latched());
}

TEST(Latch, LatchesToTheNatPortOfTheExpectedHost) {
  Latch l;
  l.configure(ep("10.0.0.5", 4000), LatchMode::kExpectedHost, milliseconds(2000));
  EXPECT_EQ(l.on_packet(ep("10.0.0.5", 61000), t0), Latch::Verdict::kAcceptLatched);
  EXPECT_EQ(l.destination(), ep("10.0.0.5", 61000));
  EXPECT_EQ(l.on_packet(ep("10.0.0.5", 61000), t0 + milliseconds(20)), Latch::Verdict::kAccept);
}

TEST(Latch, IgnoresUnexpectedHosts) {
  Latch l;
  l.configure(ep("10.0.0.5", 4000), LatchMode::kExpectedHost, milliseconds(2000));
  EXPECT_EQ(l.on_packet(ep("10.9.9.9", 4000), t0), Latch::Verdict::kIgnore);
  EXPECT_FALSE(l.latched());
  EXPECT_EQ(l.destination(), ep("10.0.0.5", 4000));
}

TEST(Latch, AnyHostLatchesOnTheFirstPacket) {
  Latch l;
  l.configure(ep("192.168.1.20", 4000), LatchMode::kAnyHost, milliseconds(2000));
  EXPECT_EQ(l.on_packet(ep("203.0.113.7", 33333), t0), Latch::Verdict::kAcceptLatched);
  EXPECT_EQ(l.destination(), ep("203.0.113.7", 33333));
}

TEST(Latch, RelatchesOnlyAfterTheLatchedSourceFellSilent) {
  Latch l;
  l.configure(ep("10.0.0.5", 4000), LatchMode::kExpectedHost, milliseconds(2000));
  ASSERT_EQ(l.on_packet(ep("10.0.0.5", 61000), t0), Latch::Verdict::kAcceptLatched);
  // A second stream from the same host while the first is alive: ignored.
  EXPECT_EQ(l.on_packet(ep("10.0.0.5", 62000), t0 + milliseconds(500)), Latch::Verdict::kIgnore);
  EXPECT_EQ(l.on_packet(ep("10.0.0.5", 61000), t0 + milliseconds(1000)), Latch::Verdict::kAccept);
  // The phone restarted its stream on a new port: after 2 s of silence it wins.
  EXPECT_EQ(l.on_packet(ep("10.0.0.5", 62000), t0 + milliseconds(2500)), Latch::Verdict::kIgnore);
  EXPECT_EQ(l.on_packet(ep("10.0.0.5", 62000), t0 + milliseconds(3000)),
            Latch::Verdict::kAcceptLatched);
  EXPECT_EQ(l.destination(), ep("10.0.0.5", 62000));
  // Another host never takes over in kExpectedHost mode.
  EXPECT_EQ(l.on_packet(ep("10.6.6.6", 1), t0 + milliseconds(60000)), Latch::Verdict::kIgnore);
}

TEST(Latch, NewRemoteHostResetsHoldKeeps) {
  Latch l;
  l.configure(ep("10.0.0.5", 4000), LatchMode::kExpectedHost, milliseconds(2000));
  ASSERT_EQ(l.on_packet(ep("10.0.0.5", 61000), t0), Latch::Verdict::kAcceptLatched);
  // Hold with c=0.0.0.0: nothing is sent, the latch stays for the resume.
  l.configure(Endpoint{}, LatchMode::kExpectedHost, milliseconds(2000));
  EXPECT_EQ(l.destination(), std::nullopt);
  EXPECT_EQ(l.on_packet(ep("10.0.0.5", 61000), t0 + milliseconds(10)), Latch::Verdict::kAccept);
  l.configure(ep("10.0.0.5", 4000), LatchMode::kExpectedHost, milliseconds(2000));
  EXPECT_EQ(l.destination(), ep("10.0.0.5", 61000));
  // Re-INVITE to another phone: unlatched, packets from the old one ignored.
  l.configure(ep("10.0.0.7", 5000), LatchMode::kExpectedHost, milliseconds(2000));
  EXPECT_FALSE(l.latched());
  EXPECT_EQ(l.destination(), ep("10.0.0.7", 5000));
  EXPECT_EQ(l.on_packet(ep("10.0.0.5", 61000), t0 + milliseconds(20)), Latch::Verdict::kIgnore);
}

TEST(Latch, ANewPortOfTheSameHostUnlatchesAtOnceTheSameSdpKeepsTheNatLatch) {
  Latch l;
  l.configure(ep("127.0.0.1", 4000), LatchMode::kExpectedHost, milliseconds(2000));
  ASSERT_EQ(l.on_packet(ep("127.0.0.1", 4000), t0), Latch::Verdict::kAcceptLatched);
  // The core moves the side to a terminating leg on loopback: sent there at once.
  l.configure(ep("127.0.0.1", 5000), LatchMode::kExpectedHost, milliseconds(2000));
  EXPECT_FALSE(l.latched());
  EXPECT_EQ(l.destination(), ep("127.0.0.1", 5000));
  ASSERT_EQ(l.on_packet(ep("127.0.0.1", 5000), t0 + milliseconds(20)),
            Latch::Verdict::kAcceptLatched);
  // And back to the phone: at once again.
  l.configure(ep("127.0.0.1", 4000), LatchMode::kExpectedHost, milliseconds(2000));
  EXPECT_EQ(l.destination(), ep("127.0.0.1", 4000));
  // A NAT'd phone (any host): the same SDP again, or a hold and a resume to
  // it, keeps the latched public address.
  Latch nat;
  nat.configure(ep("192.168.1.20", 4000), LatchMode::kAnyHost, milliseconds(2000));
  ASSERT_EQ(nat.on_packet(ep("203.0.113.9", 61000), t0), Latch::Verdict::kAcceptLatched);
  nat.configure(ep("192.168.1.20", 4000), LatchMode::kAnyHost, milliseconds(2000));
  EXPECT_EQ(nat.destination(), ep("203.0.113.9", 61000));
  nat.configure(Endpoint{}, LatchMode::kAnyHost, milliseconds(2000));
  nat.configure(ep("192.168.1.20", 4000), LatchMode::kAnyHost, milliseconds(2000));
  EXPECT_EQ(nat.destination(), ep("203.0.113.9", 61000));
}

TEST(Latch, TheSdpEndpointTakesOverFromAnOldSourceOfTheSameHostAtOnce) {
  // A phone on the same host replaces another (INVITE with Replaces, a
  // transfer): the old phone's last packets latch before the new one sends.
  Latch l;
  l.configure(ep("127.0.0.1", 4000), LatchMode::kExpectedHost, milliseconds(2000));
  ASSERT_EQ(l.on_packet(ep("127.0.0.1", 4000), t0), Latch::Verdict::kAcceptLatched);
  l.configure(ep("127.0.0.1", 6000), LatchMode::kExpectedHost, milliseconds(2000));
  ASSERT_EQ(l.on_packet(ep("127.0.0.1", 4000), t0 + milliseconds(5)),
            Latch::Verdict::kAcceptLatched);
  EXPECT_EQ(l.on_packet(ep("127.0.0.1", 6000), t0 + milliseconds(10)),
            Latch::Verdict::kAcceptLatched);
  EXPECT_EQ(l.destination(), ep("127.0.0.1", 6000));
  // The old one's stragglers no longer take it back.
  EXPECT_EQ(l.on_packet(ep("127.0.0.1", 4000), t0 + milliseconds(15)), Latch::Verdict::kIgnore);
}

TEST(Latch, OffNeverLatches) {
  Latch l;
  l.configure(ep("10.0.0.5", 4000), LatchMode::kOff, milliseconds(2000));
  EXPECT_EQ(l.on_packet(ep("10.0.0.5", 61000), t0), Latch::Verdict::kAccept);
  EXPECT_EQ(l.on_packet(ep("10.0.0.6", 4000), t0), Latch::Verdict::kIgnore);
  EXPECT_EQ(l.destination(), ep("10.0.0.5", 4000));
}

TEST(Latch, SdpEndpointRejectsHoldAddresses) {
  EXPECT_EQ(sdp_endpoint("0.0.0.0", 4000), std::nullopt);
  EXPECT_EQ(sdp_endpoint("::", 4000), std::nullopt);
  EXPECT_EQ(sdp_endpoint("10.0.0.1", 0), std::nullopt);
  EXPECT_EQ(sdp_endpoint("not-an-ip", 4000), std::nullopt);
  EXPECT_EQ(sdp_endpoint("::1", 4000), ep("::1", 4000));
}

}  // namespace
}  // namespace switchboard::media::rtp
