// DTMF seen by the relay (issue 7 §2, feature codes): RFC 4733 events are
// reported once each at their end (repeated end packets, a lost end), per
// side, and only while detection is on; a side without telephone-event has
// its G.711 audio searched for in-band tones instead, unless only events
// were asked for.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "media/codec/g711.hpp"
#include "media/dsp/telephone_event.hpp"
#include "media/rtp/relay_core.hpp"
#include "media/rtp/rtp_packet.hpp"

namespace switchboard::media::rtp {
namespace {

using std::chrono::milliseconds;

const PayloadFormat kPcmu{0, "PCMU", 8000, 1};
const PayloadFormat kPcma{8, "PCMA", 8000, 1};
const PayloadFormat kEventA{101, "telephone-event", 8000, 1};
const PayloadFormat kEventB{96, "telephone-event", 8000, 1};

Endpoint ep(const char* a, std::uint16_t p) {
  return Endpoint(boost::asio::ip::make_address(a), p);
}

SideParams side(const char* addr, std::uint16_t port, std::vector<PayloadFormat> codecs,
                std::optional<PayloadFormat> te) {
  SideParams p;
  p.remote_address = addr;
  p.remote_rtp_port = port;
  p.codecs = std::move(codecs);
  p.telephone_event = te;
  return p;
}

std::vector<std::uint8_t> packet(std::uint8_t pt, std::uint16_t seq, std::uint32_t ts, bool marker,
                                 std::span<const std::uint8_t> payload,
                                 std::uint32_t ssrc = 0x4242) {
  RtpHeader h;
  h.payload_type = pt;
  h.sequence = seq;
  h.timestamp = ts;
  h.marker = marker;
  h.ssrc = ssrc;
  std::vector<std::uint8_t> out(12 + payload.size());
  out.resize(write_rtp(h, {}, payload, 0, out));
  return out;
}

// Row and column frequencies of a digit (RFC 4733 §3.2 table, Q.23).
std::pair<double, double> freqs(char d) {
  static const std::string keys = "123A456B789C*0#D";
  static const double rows[] = {697, 770, 852, 941};
  static const double cols[] = {1209, 1336, 1477, 1633};
  auto i = keys.find(d);
  return {rows[i / 4], cols[i % 4]};
}

struct RelayDigitsTest : ::testing::Test {
  RelayCore core{RelayOptions{}};
  TimePoint now = TimePoint{} + std::chrono::hours(1);
  Endpoint a_src = ep("10.0.0.1", 4000);
  Endpoint b_src = ep("10.0.0.2", 6000);
  std::uint16_t seq[2] = {1, 1};
  std::uint32_t ts[2] = {1000, 5000};
  std::uint32_t ssrc = 0x4242;
  std::vector<DigitEvent> seen;

  void send(Side from, std::vector<std::uint8_t> p) {
    (void)core.on_rtp(from, p, from == Side::kA ? a_src : b_src, now);
    collect();
  }
  void collect() {
    for (const auto& d : core.take_digits(now)) seen.push_back(d);
  }
  // One RFC 4733 event the way phones send it: three start/update packets,
  // then the end packet three times (§2.5.1.4), 20 ms apart.
  void event(Side from, std::uint8_t pt, char digit, bool with_end = true) {
    const std::uint32_t t = ts[index(from)];
    for (int i = 1; i <= 3 + (with_end ? 3 : 0); ++i) {
      dsp::TelephoneEvent e;
      e.event = *dsp::dtmf_event_of(digit);
      e.duration = static_cast<std::uint16_t>(160 * std::min(i, 4));
      e.end = i > 3;
      auto payload = dsp::serialize(e);
      send(from, packet(pt, seq[index(from)]++, t, i == 1, payload, ssrc));
      now += milliseconds(20);
    }
    ts[index(from)] += 1600;
  }
  // `ms` of G.711 audio (the digit's two tones at -10 dBm0 each, or silence
  // for '\0') in 20 ms packets.
  void audio(Side from, const PayloadFormat& codec, char digit, int ms) {
    const double amp = 22826.0 * std::pow(10.0, -10.0 / 20.0);
    auto [f1, f2] = digit ? freqs(digit) : std::pair{0.0, 0.0};
    for (int k = 0; k < ms / 20; ++k) {
      std::vector<std::uint8_t> payload(160);
      for (int n = 0; n < 160; ++n) {
        const double t = (ts[index(from)] + n) / 8000.0;
        const double v = digit ? amp * (std::sin(2 * std::numbers::pi * f1 * t) +
                                        std::sin(2 * std::numbers::pi * f2 * t))
                               : 0.0;
        const auto s = static_cast<std::int16_t>(std::lround(v));
        payload[n] = codec.name == "PCMA" ? g711::linear_to_alaw(s) : g711::linear_to_ulaw(s);
      }
      send(from, packet(static_cast<std::uint8_t>(codec.payload_type), seq[index(from)]++,
                        ts[index(from)], false, payload));
      ts[index(from)] += 160;
      now += milliseconds(20);
    }
  }
  std::string digits_of(Side s) const {
    std::string out;
    for (const auto& d : seen) {
      if (d.side == s) out.push_back(d.digit);
    }
    return out;
  }
};

TEST_F(RelayDigitsTest, NothingIsDetectedUntilTurnedOn) {
  core.configure(Side::kA, side("10.0.0.1", 4000, {kPcmu}, kEventA), now);
  core.configure(Side::kB, side("10.0.0.2", 6000, {kPcmu}, kEventB), now);
  event(Side::kA, 101, '5');
  audio(Side::kB, kPcmu, '7', 100);  // B has telephone-event: its audio is not searched anyway
  EXPECT_TRUE(seen.empty());
}

TEST_F(RelayDigitsTest, Rfc4733EventsAreReportedOnceEachAtTheirEndPerSide) {
  core.configure(Side::kA, side("10.0.0.1", 4000, {kPcmu}, kEventA), now);
  core.configure(Side::kB, side("10.0.0.2", 6000, {kPcmu}, kEventB), now);
  core.set_digit_detection(DigitDetection::kEventsAndTones);
  event(Side::kA, 101, '#');
  ASSERT_EQ(seen.size(), 1u);  // the end, not the start, and its repeats count once
  EXPECT_EQ(seen[0], (DigitEvent{Side::kA, '#'}));
  event(Side::kA, 101, '#');  // the same digit again: a new timestamp, a new event
  event(Side::kB, 96, '1');
  event(Side::kA, 101, '0');
  EXPECT_EQ(digits_of(Side::kA), "##0");
  EXPECT_EQ(digits_of(Side::kB), "1");
}

TEST_F(RelayDigitsTest, AnEventWhoseEndWasLostEndsAfterTheTimeout) {
  core.configure(Side::kA, side("10.0.0.1", 4000, {kPcmu}, kEventA), now);
  core.configure(Side::kB, side("10.0.0.2", 6000, {kPcmu}, kEventB), now);
  core.set_digit_detection(DigitDetection::kEventsAndTones);
  event(Side::kA, 101, '3', /*with_end=*/false);
  EXPECT_TRUE(seen.empty());
  now += milliseconds(600);
  collect();
  EXPECT_EQ(digits_of(Side::kA), "3");
}

TEST_F(RelayDigitsTest, AnotherPhoneOnTheSideStartsAfresh) {
  core.configure(Side::kA, side("10.0.0.1", 4000, {kPcmu}, kEventA), now);
  core.configure(Side::kB, side("10.0.0.2", 6000, {kPcmu}, kEventB), now);
  core.set_digit_detection(DigitDetection::kEventsAndTones);
  ts[index(Side::kB)] = 100000;
  event(Side::kB, 96, '1');
  // A transfer put another phone on side B: its timestamps start anywhere,
  // here "before" the last event's.
  ssrc = 0x9999;
  ts[index(Side::kB)] = 50;
  event(Side::kB, 96, '2');
  EXPECT_EQ(digits_of(Side::kB), "12");
}

TEST_F(RelayDigitsTest, InBandTonesOfASideWithoutTelephoneEventAreDetected) {
  core.configure(Side::kA, side("10.0.0.1", 4000, {kPcma}, std::nullopt), now);
  core.configure(Side::kB, side("10.0.0.2", 6000, {kPcmu}, std::nullopt), now);
  core.set_digit_detection(DigitDetection::kEventsAndTones);
  for (char d : std::string("##1003#")) {
    audio(Side::kA, kPcma, d, 100);
    audio(Side::kA, kPcma, '\0', 100);
  }
  audio(Side::kB, kPcmu, '*', 80);
  audio(Side::kB, kPcmu, '\0', 100);
  EXPECT_EQ(digits_of(Side::kA), "##1003#");
  EXPECT_EQ(digits_of(Side::kB), "*");
}

TEST_F(RelayDigitsTest, TheAudioOfASideWithTelephoneEventIsNotSearched) {
  core.configure(Side::kA, side("10.0.0.1", 4000, {kPcmu}, kEventA), now);
  core.configure(Side::kB, side("10.0.0.2", 6000, {kPcmu}, kEventB), now);
  core.set_digit_detection(DigitDetection::kEventsAndTones);
  audio(Side::kA, kPcmu, '9', 200);  // a phone that sends both: counted once, as the event
  audio(Side::kA, kPcmu, '\0', 100);
  event(Side::kA, 101, '9');
  EXPECT_EQ(digits_of(Side::kA), "9");
}

TEST_F(RelayDigitsTest, TurningDetectionOffForgetsAndStops) {
  core.configure(Side::kA, side("10.0.0.1", 4000, {kPcmu}, std::nullopt), now);
  core.configure(Side::kB, side("10.0.0.2", 6000, {kPcmu}, kEventB), now);
  core.set_digit_detection(DigitDetection::kEventsAndTones);
  audio(Side::kA, kPcmu, '4', 100);
  audio(Side::kA, kPcmu, '\0', 100);
  core.set_digit_detection(DigitDetection::kOff);
  audio(Side::kA, kPcmu, '6', 100);
  audio(Side::kA, kPcmu, '\0', 100);
  event(Side::kB, 96, '2');
  EXPECT_EQ(digits_of(Side::kA), "4");
  EXPECT_EQ(digits_of(Side::kB), "");
}

TEST_F(RelayDigitsTest, EventsOnlyLeavesTheAudioOfASideWithoutTelephoneEventAlone) {
  core.configure(Side::kA, side("10.0.0.1", 4000, {kPcmu}, std::nullopt), now);
  core.configure(Side::kB, side("10.0.0.2", 6000, {kPcmu}, kEventB), now);
  core.set_digit_detection(DigitDetection::kEvents);
  audio(Side::kA, kPcmu, '4', 100);
  audio(Side::kA, kPcmu, '\0', 100);
  event(Side::kB, 96, '2');
  EXPECT_EQ(digits_of(Side::kA), "");
  EXPECT_EQ(digits_of(Side::kB), "2");
  // Call codes turned on later: the tones of that side count from then on.
  core.set_digit_detection(DigitDetection::kEventsAndTones);
  audio(Side::kA, kPcmu, '6', 100);
  audio(Side::kA, kPcmu, '\0', 100);
  event(Side::kB, 96, '3');
  EXPECT_EQ(digits_of(Side::kA), "6");
  EXPECT_EQ(digits_of(Side::kB), "23");
}

TEST_F(RelayDigitsTest, DetectedDigitsAreStillRelayed) {
  core.configure(Side::kA, side("10.0.0.1", 4000, {kPcmu}, kEventA), now);
  core.configure(Side::kB, side("10.0.0.2", 6000, {kPcmu}, kEventB), now);
  core.set_digit_detection(DigitDetection::kEventsAndTones);
  dsp::TelephoneEvent e;
  e.event = 1;
  e.end = true;
  e.duration = 800;
  auto payload = dsp::serialize(e);
  auto p = packet(101, 1, 100, true, payload);
  auto out = core.on_rtp(Side::kA, p, a_src, now);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->to, Side::kB);
  EXPECT_EQ(p[1] & 0x7f, 96);  // renumbered to B's telephone-event
}

}  // namespace
}  // namespace switchboard::media::rtp
