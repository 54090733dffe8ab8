#include "media/mixer/mixer.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "media/audio/frame_adapters.hpp"
#include "media/audio/sound_file.hpp"
#include "media/mixer/mixer_room.hpp"
#include "unit/media/audio/test_signals.hpp"

namespace switchboard::media::mixer {
namespace {

using test::tone;
using test::tone_level;

// A party that says a continuous tone and records what it hears.
struct TonePhone final : audio::FrameSource, audio::FrameSink {
  TonePhone(double f, int r, double a = 4000) : freq(f), rate(r), amplitude(a) {}
  bool read(std::span<std::int16_t> frame) override {
    if (silent) return false;
    auto t = tone(freq, rate, frame.size(), amplitude, offset);
    std::copy(t.begin(), t.end(), frame.begin());
    offset += frame.size();
    return true;
  }
  void write(std::span<const std::int16_t> frame) override {
    heard.insert(heard.end(), frame.begin(), frame.end());
  }
  double level(double f) const { return tone_level(heard, f, rate); }

  double freq;
  int rate;
  double amplitude;
  bool silent = false;
  std::size_t offset = 0;
  std::vector<std::int16_t> heard;
};

constexpr double kFreqs[] = {500, 800, 1200, 1700, 2300};

class MixerRoomTest : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    for (PartyId id = 0; id < 5; ++id) {
      phones_.emplace(id, TonePhone(kFreqs[id], GetParam()));
    }
    for (auto& [id, p] : phones_) ASSERT_TRUE(room_.add(id, &p, &p).ok());
  }
  void run(int ticks) {
    for (auto& [id, p] : phones_) p.heard.clear();
    for (int i = 0; i < ticks; ++i) room_.tick();
  }
  std::map<PartyId, TonePhone> phones_;
  MixerRoom room_{GetParam()};
};

TEST_P(MixerRoomTest, EachPartyHearsEveryoneButItself) {
  run(10);
  for (auto& [id, p] : phones_) {
    SCOPED_TRACE("party " + std::to_string(id));
    ASSERT_EQ(p.heard.size(), 10 * audio::frame_samples(GetParam()));
    for (PartyId other = 0; other < 5; ++other) {
      if (other == id) {
        EXPECT_LT(p.level(kFreqs[other]), 5) << "hears itself";
      } else {
        EXPECT_NEAR(p.level(kFreqs[other]), 4000, 40);
      }
    }
  }
}

TEST_P(MixerRoomTest, MutedPartyIsNotHeardButStillHears) {
  ASSERT_TRUE(room_.mixer().set_muted(2, true).ok());
  run(10);
  for (auto& [id, p] : phones_) {
    EXPECT_LT(p.level(kFreqs[2]), 5) << id;
  }
  EXPECT_NEAR(phones_.at(2).level(kFreqs[0]), 4000, 40);
  ASSERT_TRUE(room_.mixer().set_muted(2, false).ok());
  run(10);
  EXPECT_NEAR(phones_.at(0).level(kFreqs[2]), 4000, 40);
}

TEST_P(MixerRoomTest, DeafPartyHearsNothingButIsHeard) {
  ASSERT_TRUE(room_.mixer().set_deaf(3, true).ok());
  run(10);
  EXPECT_EQ(test::rms(phones_.at(3).heard), 0);
  EXPECT_NEAR(phones_.at(0).level(kFreqs[3]), 4000, 40);
}

TEST_P(MixerRoomTest, TalkAndListenGainsScaleLevels) {
  ASSERT_TRUE(room_.mixer().set_talk_gain(1, 6.0206).ok());     // x2
  ASSERT_TRUE(room_.mixer().set_listen_gain(4, -6.0206).ok());  // x0.5
  run(10);
  EXPECT_NEAR(phones_.at(0).level(kFreqs[1]), 8000, 80);
  EXPECT_NEAR(phones_.at(0).level(kFreqs[2]), 4000, 40);
  EXPECT_NEAR(phones_.at(4).level(kFreqs[1]), 4000, 40);
  EXPECT_NEAR(phones_.at(4).level(kFreqs[0]), 2000, 30);
  // The gained party still does not hear itself.
  EXPECT_LT(phones_.at(1).level(kFreqs[1]), 5);
}

TEST_P(MixerRoomTest, SilentOrRemovedPartyContributesNothing) {
  phones_.at(0).silent = true;
  ASSERT_TRUE(room_.remove(4).ok());
  run(10);
  EXPECT_LT(phones_.at(1).level(kFreqs[0]), 5);
  EXPECT_LT(phones_.at(1).level(kFreqs[4]), 5);
  EXPECT_NEAR(phones_.at(0).level(kFreqs[1]), 4000, 40);  // silent still hears
  EXPECT_TRUE(phones_.at(4).heard.empty());
}

INSTANTIATE_TEST_SUITE_P(Rates, MixerRoomTest, ::testing::Values(8000, 16000, 48000));

TEST(Mixer, SaturatesInsteadOfWrapping) {
  Mixer m(8000);
  for (PartyId id = 1; id <= 4; ++id) {
    ASSERT_TRUE(m.add(id).ok());
    auto in = m.input(id);
    std::fill(in.begin(), in.end(), id == 4 ? std::int16_t{0} : std::int16_t{30000});
    m.set_input_present(id);
  }
  m.mix();
  for (auto v : m.output(4)) ASSERT_EQ(v, 32767);  // 90000 clipped
  for (auto v : m.output(1)) ASSERT_EQ(v, 32767);  // 60000 clipped
  for (PartyId id = 1; id <= 4; ++id) {
    auto in = m.input(id);
    std::fill(in.begin(), in.end(), std::int16_t{-32768});
    m.set_input_present(id);
  }
  m.mix();
  for (auto v : m.output(1)) ASSERT_EQ(v, -32768);
}

TEST(Mixer, InputIsConsumedByEachTick) {
  Mixer m(8000);
  ASSERT_TRUE(m.add(1).ok());
  ASSERT_TRUE(m.add(2).ok());
  auto in = m.input(1);
  std::fill(in.begin(), in.end(), std::int16_t{1000});
  m.set_input_present(1);
  m.mix();
  EXPECT_EQ(m.output(2)[0], 1000);
  m.mix();  // no new input from 1
  EXPECT_EQ(m.output(2)[0], 0);
}

TEST(Mixer, ErrorsAreValues) {
  Mixer m(8000);
  ASSERT_TRUE(m.add(1).ok());
  EXPECT_EQ(m.add(1).error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(m.remove(9).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(m.set_muted(9, true).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(m.set_talk_gain(1, 30).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(m.add(2, PartyOptions{.listen_gain_db = -40}).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_TRUE(m.input(9).empty());
  EXPECT_TRUE(m.output(9).empty());
  auto opt = m.options(1);
  ASSERT_TRUE(opt.ok());
  EXPECT_FALSE(opt->muted);
  EXPECT_EQ(m.frame_size(), 160u);
}

TEST(Mixer, GainTable) {
  EXPECT_EQ(gain_q12(0), 4096);
  EXPECT_NEAR(gain_q12(6.0206), 8192, 1);
  EXPECT_NEAR(gain_q12(-6.0206), 2048, 1);
}

}  // namespace
}  // namespace switchboard::media::mixer

namespace switchboard::media::mixer {
namespace {

// A conference with an announcement party and a recording party.
TEST(MixerRoomParties, AnnouncementIsHeardAndTheConferenceIsRecorded) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("sb_mixrec_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  MixerRoom room(8000);
  TonePhone alice(500, 8000), bob(800, 8000);
  auto clip =
      std::make_shared<audio::PcmBuffer>(audio::PcmBuffer{8000, tone(1200, 8000, 1600, 4000)});
  audio::SourceFrameSource announcement(std::make_unique<audio::BufferSource>(clip));
  auto rec = audio::WavRecorder::create((dir / "conf.wav").string());
  ASSERT_TRUE(rec.ok());
  audio::RecorderFrameSink recording(std::move(*rec));
  ASSERT_TRUE(room.add(1, &alice, &alice).ok());
  ASSERT_TRUE(room.add(2, &bob, &bob).ok());
  ASSERT_TRUE(room.add(3, &announcement, nullptr).ok());  // talk-only
  ASSERT_TRUE(room.add(4, nullptr, &recording).ok());     // listen-only
  for (int i = 0; i < 20; ++i) room.tick();
  EXPECT_TRUE(announcement.finished());  // 200 ms clip in 400 ms
  EXPECT_NEAR(tone_level(std::span(alice.heard).subspan(0, 1600), 1200, 8000), 4000, 40);
  EXPECT_LT(tone_level(std::span(alice.heard).subspan(1600), 1200, 8000), 5);
  ASSERT_TRUE(recording.finish().ok());
  auto pcm = audio::read_sound_file((dir / "conf.wav").string());
  ASSERT_TRUE(pcm.ok());
  ASSERT_EQ(pcm->samples.size(), 3200u);
  // The recording hears everyone: both phones and the announcement.
  EXPECT_NEAR(tone_level(std::span(pcm->samples).subspan(0, 1600), 500, 8000), 4000, 40);
  EXPECT_NEAR(tone_level(std::span(pcm->samples).subspan(0, 1600), 800, 8000), 4000, 40);
  EXPECT_NEAR(tone_level(std::span(pcm->samples).subspan(0, 1600), 1200, 8000), 4000, 40);
  fs::remove_all(dir);
}

// A 16 kHz conference (G.722 phones) with an 8 kHz PCMU phone in it.
TEST(MixerRoomParties, PartiesAtOtherRatesAreConverted) {
  MixerRoom room(16000);
  TonePhone narrow(500, 8000), wide(1500, 16000), high(6000, 16000);
  ASSERT_TRUE(room.add(1, &narrow, &narrow, {}, 8000).ok());
  ASSERT_TRUE(room.add(2, &wide, &wide).ok());
  ASSERT_TRUE(room.add(3, &high, &high, {}, 16000).ok());
  EXPECT_FALSE(room.add(4, &high, &high, {}, 8001).ok());
  for (int i = 0; i < 50; ++i) room.tick();
  ASSERT_EQ(narrow.heard.size(), 50u * 160);
  ASSERT_EQ(wide.heard.size(), 50u * 320);
  auto tail8 = std::span(narrow.heard).subspan(1600);
  auto tail16 = std::span(wide.heard).subspan(3200);
  EXPECT_NEAR(tone_level(tail8, 1500, 8000), 4000, 200);   // hears the wideband phone
  EXPECT_LT(tone_level(tail8, 500, 8000), 20);             // not itself
  EXPECT_NEAR(tone_level(tail16, 500, 16000), 4000, 200);  // the narrowband phone, upsampled
  EXPECT_NEAR(tone_level(tail16, 6000, 16000), 4000, 200);
  EXPECT_NEAR(tone_level(std::span(high.heard).subspan(3200), 500, 16000), 4000, 200);
}

}  // namespace
}  // namespace switchboard::media::mixer
