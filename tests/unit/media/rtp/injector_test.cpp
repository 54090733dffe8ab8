// The Injector alone: each codec, the side's payload type, one continuous
// stream across injectors sharing an InjectStream, silence for a producer
// with nothing, clear errors for what cannot be injected.
#include "media/rtp/injector.hpp"

#include <gtest/gtest.h>

#include "media/rtp/rtp_packet.hpp"
#include "unit/media/rtp/goertzel.hpp"

namespace switchboard::media::rtp {
namespace {

class Sine final : public audio::FrameSource {
 public:
  Sine(double f, int rate) : g_(f, rate) {}
  bool read(std::span<std::int16_t> frame) override {
    if (empty_) return false;
    g_.fill(frame);
    return true;
  }
  bool empty_ = false;

 private:
  test::SineGenerator g_;
};

SideParams side(PayloadFormat f) {
  SideParams p;
  p.codecs = {std::move(f)};
  return p;
}

TEST(Injector, EncodesInTheSidesCodecAtItsRate) {
  for (PayloadFormat f : {PayloadFormat{0, "PCMU", 8000, 1}, PayloadFormat{8, "PCMA", 8000, 1},
                          PayloadFormat{9, "G722", 8000, 1}, PayloadFormat{96, "opus", 48000, 2}}) {
    auto inj = Injector::create(side(f), std::make_shared<Sine>(440, 16000), 16000);
    ASSERT_TRUE(inj.ok()) << f.name;
    InjectStream stream{1234, 10, 5000};
    auto dec = make_codec(f.name, f.clock_rate).value();
    std::vector<std::int16_t> pcm, buf(kMaxDecodedSamples);
    for (int i = 0; i < 50; ++i) {
      auto p = (*inj)->next(stream);
      ASSERT_TRUE(p.ok());
      auto r = parse_rtp(*p);
      ASSERT_TRUE(r.ok());
      EXPECT_EQ(r.packet.header.payload_type, f.payload_type);
      EXPECT_EQ(r.packet.header.marker, i == 0);
      EXPECT_EQ(r.packet.header.ssrc, 1234u);
      auto n = dec->decode(r.packet.payload, buf).value();
      pcm.insert(pcm.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
    }
    EXPECT_EQ(stream.sequence, 60);
    EXPECT_EQ(stream.timestamp, 5000u + 50 * (f.clock_rate / 50)) << f.name;
    int rate = static_cast<int>(dec->info().sample_rate);
    std::span<const std::int16_t> tail(pcm.data() + pcm.size() / 2, pcm.size() / 2);
    EXPECT_GT(test::tone_power(tail, 440, rate), 0.01) << f.name;
  }
}

TEST(Injector, ANewInjectorContinuesTheStreamWithAMarkerAndSilenceFillsGaps) {
  InjectStream stream{99, 65534, 0xFFFFFF00u};
  auto producer = std::make_shared<Sine>(440, 8000);
  auto first = Injector::create(side({0, "PCMU", 8000, 1}), producer, 8000).value();
  (void)first->next(stream);
  producer->empty_ = true;
  auto p = first->next(stream);  // nothing from the producer: silence, still sent
  ASSERT_TRUE(p.ok());
  auto r = parse_rtp(*p);
  for (auto byte : r.packet.payload) EXPECT_EQ(byte, 0xFF);  // PCMU silence
  auto second = Injector::create(side({0, "PCMU", 8000, 1}), producer, 8000).value();
  auto h = parse_rtp(*second->next(stream)).packet.header;
  EXPECT_TRUE(h.marker);
  EXPECT_EQ(h.ssrc, 99u);
  EXPECT_EQ(h.sequence, 0);  // wrapped, continuous
  EXPECT_EQ(h.timestamp, 0xFFFFFF00u + 320);
}

TEST(Injector, RefusesWhatCannotBeInjected) {
  auto src = std::make_shared<Sine>(440, 8000);
  EXPECT_EQ(Injector::create(side({0, "PCMU", 8000, 1}), nullptr, 8000).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(Injector::create(side({0, "PCMU", 8000, 1}), src, 44100).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(Injector::create(SideParams{}, src, 8000).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(Injector::create(side({97, "iLBC", 8000, 1}), src, 8000).error().code,
            ErrorCode::kNotFound);
}

}  // namespace
}  // namespace switchboard::media::rtp
