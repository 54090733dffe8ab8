#include <gtest/gtest.h>

#include <random>

#include "media/dsp/rfc4733_receiver.hpp"
#include "media/dsp/rfc4733_sender.hpp"
#include "media/dsp/telephone_event.hpp"

namespace switchboard::media::dsp {
namespace {

using Kind = DtmfReport::Kind;
using Clock = Rfc4733Receiver::Clock;
using std::chrono::milliseconds;

std::array<std::uint8_t, 4> payload(std::uint8_t event, bool end, std::uint16_t duration) {
  return serialize({event, end, 10, duration});
}

TEST(TelephoneEvent, WireFormat) {
  const auto bytes = serialize({5, true, 10, 800});
  EXPECT_EQ(bytes, (std::array<std::uint8_t, 4>{0x05, 0x8A, 0x03, 0x20}));
  const auto parsed = parse_telephone_event(bytes);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, (TelephoneEvent{5, true, 10, 800}));
  // The reserved bit is ignored on receipt; short payloads are not events.
  const std::array<std::uint8_t, 4> reserved{0x0B, 0x4A, 0x00, 0xA0};
  EXPECT_EQ(parse_telephone_event(reserved)->volume, 10);
  EXPECT_FALSE(parse_telephone_event(std::span(reserved).first(3)));
}

TEST(TelephoneEvent, DigitCodes) {
  const std::string digits = "0123456789*#ABCD";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    EXPECT_EQ(dtmf_event_of(digits[i]), i);
    EXPECT_EQ(dtmf_digit_of(static_cast<std::uint8_t>(i)), digits[i]);
  }
  EXPECT_EQ(dtmf_event_of('a'), 12);
  EXPECT_FALSE(dtmf_event_of('x'));
  EXPECT_FALSE(dtmf_event_of('\0'));
  EXPECT_EQ(dtmf_digit_of(16), '\0');  // flash and other events are not digits
}

class ReceiverTest : public ::testing::Test {
 protected:
  void packet(std::uint32_t ts, bool marker, std::uint8_t event, bool end, std::uint16_t duration,
              int at_ms) {
    receiver.on_packet(ts, marker, payload(event, end, duration), t0 + milliseconds(at_ms), out);
  }
  Rfc4733Receiver receiver;
  std::vector<DtmfReport> out;
  Clock::time_point t0 = Clock::now();
};

TEST_F(ReceiverTest, StartUpdatesEndAndItsDuplicates) {
  packet(1000, true, 5, false, 160, 0);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], (DtmfReport{Kind::kStart, '5', 1000, 0}));
  for (int i = 2; i <= 5; ++i)
    packet(1000, false, 5, false, static_cast<std::uint16_t>(160 * i), 20 * i);
  EXPECT_EQ(out.size(), 1u);
  packet(1000, false, 5, true, 960, 120);
  packet(1000, false, 5, true, 960, 140);
  packet(1000, false, 5, true, 960, 160);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1], (DtmfReport{Kind::kEnd, '5', 1000, 960}));
  receiver.on_tick(t0 + milliseconds(5000), out);
  EXPECT_EQ(out.size(), 2u);
}

TEST_F(ReceiverTest, LongPressIsOneDigitWhateverItsUpdates) {
  for (int i = 1; i <= 200; ++i) {
    packet(500, i == 1, 11, false, static_cast<std::uint16_t>(160 * i), 20 * i);
  }
  receiver.on_tick(t0 + milliseconds(4010), out);  // packets keep coming: no timeout
  ASSERT_EQ(out.size(), 1u);
  packet(500, false, 11, true, 32160, 4020);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1], (DtmfReport{Kind::kEnd, '#', 500, 32160}));
}

TEST_F(ReceiverTest, EventsLongerThanOneSegmentContinue) {
  packet(100, true, 1, false, 65000, 0);
  packet(100, false, 1, false, 0xFFFF, 20);
  packet(100 + 0xFFFF, false, 1, false, 160, 40);  // the next segment
  packet(100 + 0xFFFF, false, 1, true, 800, 60);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1], (DtmfReport{Kind::kEnd, '1', 100, 0xFFFF + 800}));
}

TEST_F(ReceiverTest, ANewTimestampIsANewEventEvenForTheSameDigit) {
  packet(1000, true, 1, false, 160, 0);
  packet(1800, true, 1, false, 160, 100);  // the end packets were lost
  packet(1800, false, 1, true, 480, 140);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[1], (DtmfReport{Kind::kEnd, '1', 1000, 160}));
  EXPECT_EQ(out[2], (DtmfReport{Kind::kStart, '1', 1800, 0}));
  EXPECT_EQ(out[3], (DtmfReport{Kind::kEnd, '1', 1800, 480}));
}

TEST_F(ReceiverTest, LostStartOrOnlyEndPacketsStillGiveStartAndEnd) {
  packet(2000, false, 9, false, 480, 0);  // marker packet lost
  EXPECT_EQ(out.size(), 1u);
  packet(4000, false, 3, true, 800, 200);  // only an end packet of the next digit
  packet(4000, false, 3, true, 800, 220);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[2], (DtmfReport{Kind::kStart, '3', 4000, 0}));
  EXPECT_EQ(out[3], (DtmfReport{Kind::kEnd, '3', 4000, 800}));
}

TEST_F(ReceiverTest, TimeoutEndsAnEventWhoseEndPacketsWereLost) {
  packet(0, true, 7, false, 160, 0);
  packet(0, false, 7, false, 320, 20);
  receiver.on_tick(t0 + milliseconds(400), out);
  EXPECT_EQ(out.size(), 1u);
  receiver.on_tick(t0 + milliseconds(520), out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1], (DtmfReport{Kind::kEnd, '7', 0, 320}));
  packet(0, false, 7, true, 800, 600);  // its end arrives late: ignored
  EXPECT_EQ(out.size(), 2u);
}

TEST_F(ReceiverTest, ReorderedPacketsOfAnOlderEventAreIgnored) {
  packet(1000, true, 1, false, 160, 0);
  packet(2000, true, 2, false, 160, 100);
  packet(1000, false, 1, true, 800, 110);
  ASSERT_EQ(out.size(), 3u);  // start 1, end 1, start 2
  EXPECT_EQ(out[2].digit, '2');
  EXPECT_TRUE(receiver.in_event());
  std::array<std::uint8_t, 4> flash = payload(16, false, 160);  // not a DTMF event
  receiver.on_packet(3000, true, flash, t0, out);
  EXPECT_EQ(out.size(), 3u);
}

// Whatever arrives (random events, timestamps, end bits, markers, short
// payloads, pauses), reports alternate start/end for the same digit.
TEST(Rfc4733Receiver, RandomPacketsGiveBalancedReports) {
  std::mt19937 rng(9);
  Rfc4733Receiver receiver;
  std::vector<DtmfReport> out;
  auto now = Clock::now();
  std::uint32_t ts = 0;
  for (int i = 0; i < 20000; ++i) {
    std::array<std::uint8_t, 4> p{};
    for (auto& b : p) b = static_cast<std::uint8_t>(rng());
    p[0] %= 20;
    if (rng() % 4 == 0) ts += rng() % 2000 - 500;  // new, older or the same timestamp
    now += milliseconds(rng() % 3 == 0 ? 700 : 20);
    receiver.on_tick(now, out);
    receiver.on_packet(ts, rng() % 5 == 0, std::span(p).first(rng() % 8 == 0 ? 2 : 4), now, out);
  }
  ASSERT_FALSE(out.empty());
  for (std::size_t i = 0; i < out.size(); ++i) {
    EXPECT_EQ(out[i].kind, i % 2 == 0 ? Kind::kStart : Kind::kEnd) << i;
    if (i % 2 == 1) {
      EXPECT_EQ(out[i].digit, out[i - 1].digit) << i;
    }
  }
}

TEST(Rfc4733Sender, TimestampMarkerVolumeDurationAndThreeEndPackets) {
  Rfc4733Sender sender;
  ASSERT_TRUE(sender.send('5', 1000, 800));
  EXPECT_FALSE(sender.start('6', 1000));  // busy
  std::vector<TelephoneEventPacket> sent;
  for (std::uint32_t now = 1000; now < 1000 + 160 * 20; now += 160) {
    if (auto p = sender.poll(now)) sent.push_back(*p);
  }
  ASSERT_EQ(sent.size(), 7u);  // 160, 320, 480, 640, 800 (end) + 2 more end packets
  for (std::size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(sent[i].timestamp, 1000u);
    EXPECT_EQ(sent[i].marker, i == 0);
    EXPECT_EQ(sent[i].event.event, 5);
    EXPECT_EQ(sent[i].event.volume, 10);
    EXPECT_EQ(sent[i].event.end, i >= 4);
    EXPECT_EQ(sent[i].event.duration, std::min<std::size_t>(160 * (i + 1), 800));
  }
  EXPECT_EQ(sent[4].payload(), sent[6].payload());
  EXPECT_FALSE(sender.busy());
}

TEST(Rfc4733Sender, AShortKeyPressLastsTheMinimumDuration) {
  Rfc4733Sender sender;
  ASSERT_TRUE(sender.start('1', 0));
  sender.stop();
  std::vector<TelephoneEventPacket> sent;
  for (std::uint32_t now = 0; now < 160 * 20; now += 160) {
    if (auto p = sender.poll(now)) sent.push_back(*p);
  }
  ASSERT_EQ(sent.size(), 7u);
  EXPECT_EQ(sent.back().event.duration, 800);
}

TEST(Rfc4733Sender, LongEventsGoOnInNewSegments) {
  Rfc4733Sender sender;
  ASSERT_TRUE(sender.start('0', 100));
  std::vector<TelephoneEventPacket> sent;
  std::uint32_t now = 100;
  for (; now < 100 + 0xFFFF + 480; now += 160) sent.push_back(*sender.poll(now));
  sender.stop();
  for (int i = 0; i < 4; ++i, now += 160) {
    if (auto p = sender.poll(now)) sent.push_back(*p);
  }
  const auto full = std::find_if(sent.begin(), sent.end(),
                                 [](const auto& p) { return p.event.duration == 0xFFFF; });
  ASSERT_NE(full, sent.end());
  EXPECT_EQ(full->timestamp, 100u);
  EXPECT_EQ((full + 1)->timestamp, 100u + 0xFFFF);
  EXPECT_FALSE((full + 1)->marker);
  // The receiver sees one digit through it all.
  Rfc4733Receiver receiver;
  std::vector<DtmfReport> reports;
  for (const auto& p : sent) {
    receiver.on_packet(p.timestamp, p.marker, p.payload(), Clock::now(), reports);
  }
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[1].kind, Kind::kEnd);
  EXPECT_GT(reports[1].duration, 0xFFFFu);
}

TEST(Rfc4733Sender, OptionsForOtherClockRates) {
  const auto o = Rfc4733Sender::Options::for_clock(48000);
  EXPECT_EQ(o.packet_interval, 960u);
  EXPECT_EQ(o.min_duration, 4800u);
  Rfc4733Sender sender(o);
  ASSERT_TRUE(sender.send('9', 0, 4800));
  EXPECT_EQ(sender.poll(0)->event.duration, 960);
}

TEST(Rfc4733, EveryDigitFromSenderToReceiver) {
  Rfc4733Sender sender;
  Rfc4733Receiver receiver;
  std::vector<DtmfReport> reports;
  std::uint32_t now = 12345;
  std::string received;
  for (const char digit : std::string("0123456789*#ABCD")) {
    ASSERT_TRUE(sender.send(digit, now, 960));
    while (sender.busy()) {
      const auto p = sender.poll(now);
      receiver.on_packet(p->timestamp, p->marker, p->payload(), Clock::now(), reports);
      now += 160;
    }
    now += 800;  // pause between digits
  }
  for (const auto& r : reports) {
    if (r.kind == Kind::kEnd) {
      received += r.digit;
      EXPECT_EQ(r.duration, 960u);
    }
  }
  EXPECT_EQ(received, "0123456789*#ABCD");
}

}  // namespace
}  // namespace switchboard::media::dsp
