#include "media/audio/jitter_buffer.hpp"

#include <gtest/gtest.h>

#include <iostream>
#include <random>

#include "media/audio/playout_source.hpp"
#include "unit/media/audio/test_signals.hpp"

namespace switchboard::media::audio {
namespace {

using namespace std::chrono_literals;
using test::tone;

// A sender of 20 ms L16 packets at 8 kHz and a network in virtual time; the
// receiver ticks every 20 ms and records what it plays.
class Network {
 public:
  struct InFlight {
    TimePoint arrival;
    JitterPacket packet;
  };

  explicit Network(std::uint16_t seq0 = 1000, std::uint32_t ts0 = 50000) : seq_(seq0), ts_(ts0) {}

  // The packet sent at `sent`, delivered after `delay` (none when lost);
  // `copies` > 1 duplicates it.
  void send(TimePoint sent, std::optional<Duration> delay, int copies = 1) {
    auto pcm = tone(440, 8000, 160, 8000, samples_);
    sent_pcm.insert(sent_pcm.end(), pcm.begin(), pcm.end());
    JitterPacket p{seq_++, ts_, 160, l16_payload(pcm)};
    ts_ += 160;
    samples_ += 160;
    if (!delay) return;
    for (int i = 0; i < copies; ++i)
      flight_.push_back({sent + *delay + std::chrono::milliseconds(i), p});
  }
  void skip_timestamps(std::uint32_t units) { ts_ += units; }

  // Delivers everything due by `now`.
  void deliver(TimePoint now, PlayoutSource& rx) {
    std::stable_sort(flight_.begin(), flight_.end(),
                     [](const auto& a, const auto& b) { return a.arrival < b.arrival; });
    while (!flight_.empty() && flight_.front().arrival <= now) {
      rx.push(std::move(flight_.front().packet), flight_.front().arrival);
      flight_.erase(flight_.begin());
    }
  }

  std::vector<std::int16_t> sent_pcm;

 private:
  std::uint16_t seq_;
  std::uint32_t ts_;
  std::size_t samples_ = 0;
  std::vector<InFlight> flight_;
};

struct Played {
  std::vector<std::int16_t> pcm;  // audio frames only (idle ticks left out)
  int idle = 0;
};

// Runs `packets` packets through; `delay(i)` is the network delay of packet i
// (nullopt: lost).
template <typename DelayFn>
Played simulate(PlayoutSource& rx, Network& net, int packets, DelayFn delay, int copies_every = 0,
                int extra_ticks = 20) {
  Played out;
  TimePoint t0 = TimePoint{} + 1h;
  std::vector<std::int16_t> frame(160);
  for (int i = 0; i < packets + extra_ticks; ++i) {
    TimePoint now = t0 + 20ms * i;
    if (i < packets) {
      net.send(now, delay(i), copies_every > 0 && i % copies_every == 0 ? 2 : 1);
    }
    net.deliver(now + 19ms, rx);  // what arrived during this tick
    if (rx.read(frame)) {
      out.pcm.insert(out.pcm.end(), frame.begin(), frame.end());
    } else {
      ++out.idle;
    }
  }
  return out;
}

// The played audio starts with the sent audio, sample for sample.
void expect_prefix(const std::vector<std::int16_t>& played, const std::vector<std::int16_t>& sent,
                   std::size_t n) {
  ASSERT_GE(played.size(), n);
  ASSERT_GE(sent.size(), n);
  for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(played[i], sent[i]) << "sample " << i;
}

TEST(JitterBuffer, SteadyStreamPlaysEverySampleInOrder) {
  PlayoutSource rx(std::make_unique<L16Decoder>(8000));
  Network net;
  auto out = simulate(rx, net, 200, [](int) { return std::optional<Duration>(30ms); });
  expect_prefix(out.pcm, net.sent_pcm, net.sent_pcm.size());
  const auto& s = rx.buffer().stats();
  EXPECT_EQ(s.played, 200u);
  EXPECT_EQ(s.lost + s.late + s.duplicates + s.skipped, 0u);
  EXPECT_LE(rx.buffer().target_delay(), 40ms);
}

TEST(JitterBuffer, ReorderedPacketsTakeTheirPlace) {
  PlayoutSource rx(std::make_unique<L16Decoder>(8000));
  Network net;
  // Every 7th packet arrives 25 ms late, after its successor.
  auto out = simulate(rx, net, 300,
                      [](int i) { return std::optional<Duration>(i % 7 == 3 ? 55ms : 30ms); });
  expect_prefix(out.pcm, net.sent_pcm, net.sent_pcm.size());
  EXPECT_EQ(rx.buffer().stats().lost, 0u);
  EXPECT_EQ(rx.buffer().stats().late, 0u);
}

TEST(JitterBuffer, DuplicatesAreDropped) {
  PlayoutSource rx(std::make_unique<L16Decoder>(8000));
  Network net;
  auto out = simulate(
      rx, net, 100, [](int) { return std::optional<Duration>(30ms); }, 5);
  expect_prefix(out.pcm, net.sent_pcm, net.sent_pcm.size());
  EXPECT_EQ(rx.buffer().stats().duplicates, 20u);
}

TEST(JitterBuffer, LostPacketsAreConcealed) {
  PlayoutSource rx(std::make_unique<L16Decoder>(8000));
  Network net;
  auto out = simulate(rx, net, 250, [](int i) {
    return i % 25 == 10 ? std::nullopt : std::optional<Duration>(30ms);
  });
  const auto& s = rx.buffer().stats();
  EXPECT_EQ(s.lost, 10u);
  EXPECT_EQ(s.played, 240u);
  ASSERT_GE(out.pcm.size(), net.sent_pcm.size());
  // Every lost frame is filled with the tone, not silence.
  for (int i = 10; i < 250; i += 25) {
    std::span<const std::int16_t> f(out.pcm.data() + static_cast<std::size_t>(i) * 160, 160);
    EXPECT_GT(test::tone_level(f, 440, 8000), 4000) << "frame " << i;
  }
  // And everything else is exact.
  for (std::size_t i = 0; i < net.sent_pcm.size(); ++i) {
    if ((i / 160) % 25 == 10 || (i / 160) % 25 == 11) continue;  // the gap and the blend
    ASSERT_EQ(out.pcm[i], net.sent_pcm[i]) << i;
  }
}

TEST(JitterBuffer, LatePacketIsDroppedAndItsGapConcealed) {
  PlayoutSource rx(std::make_unique<L16Decoder>(8000));
  Network net;
  auto out =
      simulate(rx, net, 100, [](int i) { return std::optional<Duration>(i == 50 ? 500ms : 30ms); });
  EXPECT_EQ(rx.buffer().stats().late, 1u);
  EXPECT_EQ(rx.buffer().stats().lost, 1u);
  EXPECT_EQ(out.pcm.size() / 160, 100u + 20u - static_cast<std::size_t>(out.idle));
}

TEST(JitterBuffer, AdaptsTheDelayToTheJitterBothWays) {
  PlayoutSource rx(std::make_unique<L16Decoder>(8000));
  Network net;
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> wild(0, 100), calm(0, 4);
  // 10 s of 0-100 ms jitter, then 20 s of 0-4 ms.
  std::uint64_t late_wild_end = 0;
  std::chrono::milliseconds target_wild{}, calm_buffered{};
  auto out = simulate(rx, net, 1500, [&](int i) {
    if (i == 1490) calm_buffered = rx.buffer().buffered();
    if (i == 500) {
      late_wild_end = rx.buffer().stats().late + rx.buffer().stats().lost;
      target_wild = rx.buffer().target_delay();
    }
    int j = i < 500 ? wild(rng) : calm(rng);
    return std::optional<Duration>(Duration(20 + j));
  });
  EXPECT_GE(target_wild, 90ms);
  // Once adapted (after the first 2 s), almost nothing arrives too late.
  EXPECT_LT(late_wild_end, 40u);
  EXPECT_LE(rx.buffer().target_delay(), 30ms);
  EXPECT_LE(calm_buffered, 60ms);
  EXPECT_GT(rx.buffer().stats().skipped, 0u);
  // Every packet's slot is played, skipped or concealed exactly once; a
  // packet that came too late had its slot concealed (lost) first.
  const auto& s = rx.buffer().stats();
  EXPECT_EQ(s.played + s.skipped + s.lost, 1500u);
  EXPECT_LE(s.late, s.lost);
  std::cout << "wild target " << target_wild.count() << " ms, late+lost by 10 s " << late_wild_end
            << "; calm target " << rx.buffer().target_delay().count() << " ms, buffered "
            << calm_buffered.count() << " ms, skipped " << s.skipped << "\n";
}

TEST(JitterBuffer, ShrinksTheDelayAfterAStall) {
  PlayoutSource rx(std::make_unique<L16Decoder>(8000));
  Network net;
  std::chrono::milliseconds after_stall{}, settled{};
  // A 200 ms stall: packets 100-109 arrive together with packet 110.
  auto out = simulate(rx, net, 500, [&](int i) {
    if (i == 115) after_stall = rx.buffer().buffered();
    if (i == 490) settled = rx.buffer().buffered();
    return std::optional<Duration>(i >= 100 && i < 110 ? Duration(30 + (110 - i) * 20) : 30ms);
  });
  EXPECT_GE(after_stall, 150ms);  // the underruns grew the delay
  EXPECT_LE(settled, 60ms);       // and skipping brought it back
  EXPECT_GE(rx.buffer().stats().skipped, 5u);
  EXPECT_EQ(rx.buffer().stats().lost, 0u);
}

TEST(JitterBuffer, WrapsSequenceAndTimestamp) {
  PlayoutSource rx(std::make_unique<L16Decoder>(8000));
  Network net(65500, 0xFFFFFFFFu - 1600);
  auto out = simulate(rx, net, 100, [](int) { return std::optional<Duration>(25ms); });
  expect_prefix(out.pcm, net.sent_pcm, net.sent_pcm.size());
  EXPECT_EQ(rx.buffer().stats().played, 100u);
}

TEST(JitterBuffer, GoesIdleInSilenceAndResumes) {
  PlayoutSource rx(std::make_unique<L16Decoder>(8000));
  Network net;
  // 50 packets, 1 s of nothing (DTX or hold), 50 more.
  auto out = simulate(rx, net, 150, [](int i) {
    return i >= 50 && i < 100 ? std::nullopt : std::optional<Duration>(30ms);
  });
  EXPECT_EQ(rx.buffer().stats().played, 100u);
  EXPECT_GT(out.idle, 30);  // concealment stops: idle (silence, no PLC)
  EXPECT_EQ(rx.buffer().state(), JitterBuffer::State::kBuffering);
}

TEST(JitterBuffer, TimestampJumpStartsANewStream) {
  JitterBuffer jb;
  TimePoint t = TimePoint{} + 1h;
  std::uint16_t seq = 1;
  for (int i = 0; i < 10; ++i)
    jb.push({seq++, static_cast<std::uint32_t>(i * 160), 160, {}}, t + 20ms * i);
  for (int i = 0; i < 5; ++i) EXPECT_NE(jb.pull(160).kind, JitterBuffer::Kind::kIdle);
  // The far end restarts its timestamps at a random value.
  for (int i = 0; i < 10; ++i) {
    jb.push({seq++, 90000000u + static_cast<std::uint32_t>(i * 160), 160, {}},
            t + 200ms + 20ms * i);
  }
  int packets = 0;
  for (int i = 0; i < 20; ++i) packets += jb.pull(160).kind == JitterBuffer::Kind::kPacket;
  EXPECT_EQ(packets, 10);
  EXPECT_EQ(jb.stats().late, 0u);
}

}  // namespace
}  // namespace switchboard::media::audio
