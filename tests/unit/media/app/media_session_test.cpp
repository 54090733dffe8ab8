#include "media/app/media_session.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>

#include "media/audio/sound_file.hpp"
#include "unit/media/app/session_fixture.hpp"

namespace switchboard::media::app {
namespace {

using namespace std::chrono_literals;
using media::test::rms;
using media::test::tone;
using media::test::tone_level;
using test::SessionTest;

PlayRequest prompts(std::initializer_list<const char*> names, bool interruptible = false) {
  PlayRequest r;
  for (const char* n : names) r.items.emplace_back(PromptItem{n});
  r.interruptible = interruptible;
  return r;
}

TEST_F(SessionTest, PlaysAPromptSequenceSeamlesslyAndCompletes) {
  start();
  std::size_t total = 0;
  for (const char* n : {"you_have", "three", "new", "messages"})
    total += (*catalog_.get(n, 8000))->samples.size();
  session_->play(7, prompts({"you_have", "three", "new", "messages"}));
  EXPECT_TRUE(session_->playing());
  auto sent = run(static_cast<int>(total / 160) + 3);
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(event<PlayDone>(0).id, 7u);
  EXPECT_EQ(event<PlayDone>(0).result, PlayResult::kDone);
  EXPECT_FALSE(session_->playing());
  // Every sample of the four prompts went out back to back.
  std::vector<std::int16_t> expected;
  for (const char* n : {"you_have", "three", "new", "messages"}) {
    const auto& s = (*catalog_.get(n, 8000))->samples;
    expected.insert(expected.end(), s.begin(), s.end());
  }
  ASSERT_GE(sent.size(), expected.size());
  EXPECT_TRUE(std::equal(expected.begin(), expected.end(), sent.begin()));
}

TEST_F(SessionTest, PlaysFilesTonesAndSilenceAtAnyRate) {
  for (int rate : {8000, 16000, 48000}) {
    SCOPED_TRACE(rate);
    events_.clear();
    start(SessionConfig{.rate = rate});
    // A 44.1 kHz stereo WAV (music on hold style) of 600 Hz, half a second.
    std::string path = (dir_ / "moh.wav").string();
    SF_INFO info{};
    info.samplerate = 44100;
    info.channels = 2;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
    ASSERT_NE(f, nullptr);
    auto mono = tone(600, 44100, 22050, 9000);
    std::vector<std::int16_t> st;
    for (auto v : mono) st.insert(st.end(), {v, v});
    sf_writef_short(f, st.data(), 22050);
    sf_close(f);

    PlayRequest r;
    r.items = {FileItem{path}, SilenceItem{200ms}, ToneItem{dsp::ToneKind::kBeep},
               PromptItem{"goodbye"}};
    session_->play(1, r);
    auto sent = run(25 + 10 + 13);
    const auto sec = static_cast<std::size_t>(rate);
    EXPECT_NEAR(tone_level(std::span(sent).subspan(sec / 10, sec / 4), 600, rate), 9000, 900);
    EXPECT_EQ(rms(std::span(sent).subspan(sec / 2 + sec / 100, sec / 5 - sec / 50)), 0);
    EXPECT_GT(tone_level(std::span(sent).subspan(sec * 7 / 10 + sec / 50, sec / 5), 1000, rate),
              3000);
    ASSERT_EQ(events_.size(), 0u);  // the prompt is still playing
    ASSERT_GT(run_until_event(), 0);
    EXPECT_EQ(event<PlayDone>(0).result, PlayResult::kDone);
  }
}

TEST_F(SessionTest, PlaysAMessageEnvelopePhrase) {
  start();
  // "Received Tuesday, November 24th at 3:45 PM from extension 1002"
  auto phrase = audio::envelope_phrase({2026, 11, 24, 2, 15, 45}, "1002");
  session_->play(9, phrase_request(phrase, true));
  int ticks = run_until_event(2000);
  ASSERT_GT(ticks, 100);  // several seconds of speech
  EXPECT_EQ(event<PlayDone>(0).result, PlayResult::kDone);
}

TEST_F(SessionTest, AMissingPromptIsAnErrorEvent) {
  start();
  session_->play(3, prompts({"welcome", "no_such_prompt"}));
  ASSERT_GT(run_until_event(), 50);  // after the welcome prompt
  EXPECT_EQ(event<PlayDone>(0).result, PlayResult::kError);
  EXPECT_NE(event<PlayDone>(0).error.find("no_such_prompt"), std::string::npos);
}

TEST_F(SessionTest, ADigitInterruptsAnInterruptiblePromptAndIsCollected) {
  start();
  session_->play(1, prompts({"main_menu"}, true));
  session_->collect_digits(2, CollectRequest{.max_digits = 1});
  run(10);
  session_->on_digit('2');
  ASSERT_EQ(events_.size(), 2u);
  EXPECT_EQ(event<PlayDone>(0).result, PlayResult::kInterrupted);
  EXPECT_EQ(event<PlayDone>(0).digit, '2');
  EXPECT_EQ(event<DigitsDone>(1).result, CollectResult::kMaxDigits);
  EXPECT_EQ(event<DigitsDone>(1).digits, "2");
  auto after = run(5);
  EXPECT_EQ(rms(after), 0);  // the prompt stopped
}

TEST_F(SessionTest, APromptThatIsNotInterruptibleKeepsPlaying) {
  start();
  session_->play(1, prompts({"main_menu"}, false));
  session_->collect_digits(2, CollectRequest{.max_digits = 4, .inter_digit_timeout = 60s});
  run(10);
  session_->on_digit('1');
  EXPECT_TRUE(events_.empty());
  EXPECT_TRUE(session_->playing());
  ASSERT_GT(run_until_event(), 0);
  EXPECT_EQ(event<PlayDone>(0).result, PlayResult::kDone);
}

TEST_F(SessionTest, FirstDigitTimeoutStartsAfterThePrompt) {
  start();
  PlayRequest r;
  r.items = {SilenceItem{1000ms}};
  session_->play(1, r);
  session_->collect_digits(2, CollectRequest{.max_digits = 4, .first_digit_timeout = 5s});
  int ticks = run_until_event();
  EXPECT_EQ(event<PlayDone>(0).result, PlayResult::kDone);
  ticks += run_until_event();
  EXPECT_NEAR(ticks, (1000 + 5000) / 20, 2);
  EXPECT_EQ(event<DigitsDone>(1).result, CollectResult::kTimeout);
  EXPECT_EQ(event<DigitsDone>(1).digits, "");
}

TEST_F(SessionTest, InterDigitTimeoutKeepsTheDigitsSoFar) {
  start();
  session_->collect_digits(5, CollectRequest{.max_digits = 4, .inter_digit_timeout = 3s});
  run(50);
  session_->on_digit('1');
  run(50);
  session_->on_digit('2');
  EXPECT_NEAR(run_until_event(), 3000 / 20, 1);
  EXPECT_EQ(event<DigitsDone>(0).result, CollectResult::kTimeout);
  EXPECT_EQ(event<DigitsDone>(0).digits, "12");
}

TEST_F(SessionTest, TerminatorEndsCollection) {
  start();
  session_->collect_digits(5, CollectRequest{.max_digits = 10});
  for (char d : std::string("4826#")) session_->on_digit(d);
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(event<DigitsDone>(0).result, CollectResult::kTerminator);
  EXPECT_EQ(event<DigitsDone>(0).digits, "4826");
  EXPECT_EQ(event<DigitsDone>(0).terminator, '#');
}

TEST_F(SessionTest, TypeAheadCountsUnlessFlushed) {
  start();
  session_->on_digit('1');
  session_->on_digit('2');
  session_->collect_digits(1, CollectRequest{.max_digits = 2});
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(event<DigitsDone>(0).digits, "12");
  session_->on_digit('9');
  session_->collect_digits(
      2, CollectRequest{.max_digits = 1, .first_digit_timeout = 100ms, .flush = true});
  ASSERT_GT(run_until_event(), 0);
  EXPECT_EQ(event<DigitsDone>(1).result, CollectResult::kTimeout);
}

TEST_F(SessionTest, RecordEndsOnSilenceAndTheFileHoldsTheAudio) {
  start();
  std::string path = (dir_ / "msg.wav").string();
  session_->record(4, RecordRequest{.path = path, .silence_end = 1000ms});
  EXPECT_TRUE(session_->recording());
  run(100, tone(440, 8000, 16000, 6000));  // 2 s of speech-like tone
  EXPECT_TRUE(events_.empty());
  ASSERT_GT(run_until_event(), 0);  // then silence (no input)
  const auto& done = event<RecordDone>(0);
  EXPECT_EQ(done.result, RecordResult::kSilence);
  // 2 s of speech and 200 ms of the pause; the rest of the wait is cut.
  EXPECT_NEAR(done.seconds, 2.2, 0.001);
  EXPECT_EQ(done.path, path);
  auto pcm = audio::read_sound_file(path);
  ASSERT_TRUE(pcm.ok());
  EXPECT_EQ(pcm->samples.size(), 17600u);
  EXPECT_NEAR(tone_level(std::span(pcm->samples).subspan(0, 16000), 440, 8000), 6000, 100);
}

TEST_F(SessionTest, RecordMaxDurationAndTerminator) {
  start();
  session_->record(1, RecordRequest{.path = (dir_ / "a.wav").string(), .max_duration = 1s});
  EXPECT_EQ(run_until_event(), 50);
  EXPECT_EQ(event<RecordDone>(0).result, RecordResult::kMaxDuration);
  EXPECT_DOUBLE_EQ(event<RecordDone>(0).seconds, 1.0);

  session_->record(2, RecordRequest{.path = (dir_ / "b.wav").string()});
  session_->collect_digits(3, CollectRequest{.max_digits = 1, .first_digit_timeout = 60s});
  run(25);
  session_->on_digit('#');
  ASSERT_EQ(events_.size(), 2u);
  EXPECT_EQ(event<RecordDone>(1).result, RecordResult::kTerminator);
  EXPECT_EQ(event<RecordDone>(1).terminator, '#');
  EXPECT_TRUE(session_->collecting());  // the terminator was not collected
  EXPECT_TRUE(std::filesystem::exists(dir_ / "b.wav"));
}

TEST_F(SessionTest, RecordToAMissingDirectoryIsAnError) {
  start();
  session_->record(1, RecordRequest{.path = (dir_ / "no" / "x.wav").string()});
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(event<RecordDone>(0).result, RecordResult::kError);
  EXPECT_FALSE(session_->recording());
}

TEST_F(SessionTest, StopEndsEverythingAndANewPlayReplacesTheOld) {
  start();
  session_->play(1, prompts({"welcome"}));
  session_->play(2, prompts({"goodbye"}));
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(event<PlayDone>(0).id, 1u);
  EXPECT_EQ(event<PlayDone>(0).result, PlayResult::kStopped);
  session_->record(3, RecordRequest{.path = (dir_ / "s.wav").string()});
  session_->collect_digits(4, CollectRequest{});
  run(5);
  session_->stop(4);
  EXPECT_EQ(event<DigitsDone>(1).result, CollectResult::kStopped);
  session_->stop();
  ASSERT_EQ(events_.size(), 4u);
  EXPECT_EQ(event<PlayDone>(2).result, PlayResult::kStopped);
  EXPECT_EQ(event<RecordDone>(3).result, RecordResult::kStopped);
  EXPECT_NEAR(event<RecordDone>(3).seconds, 0.1, 1e-9);
  EXPECT_FALSE(session_->playing() || session_->recording() || session_->collecting());
}

TEST_F(SessionTest, InbandDtmfIsDetectedInTheCallersAudio) {
  start(SessionConfig{.rate = 8000, .inband_dtmf = true});
  session_->play(1, prompts({"enter_pin"}, true));
  session_->collect_digits(2, CollectRequest{.max_digits = 4, .inter_digit_timeout = 60s});
  // The caller keys 4 8 2 6: 80 ms tones, 80 ms pauses.
  std::vector<std::int16_t> caller;
  for (char d : std::string("4826")) {
    auto spec = dsp::dtmf_tone_spec(d, 80, 80);
    ASSERT_TRUE(spec);
    dsp::ToneGenerator gen(*spec, 8000);
    std::vector<std::int16_t> part(8000 * 160 / 1000);
    gen.generate(part);
    caller.insert(caller.end(), part.begin(), part.end());
  }
  caller.resize(caller.size() + 1600, 0);
  run(static_cast<int>(caller.size() / 160), caller);
  ASSERT_EQ(events_.size(), 2u);
  EXPECT_EQ(event<PlayDone>(0).result, PlayResult::kInterrupted);
  EXPECT_EQ(event<PlayDone>(0).digit, '4');
  EXPECT_EQ(event<DigitsDone>(1).digits, "4826");
}

}  // namespace
}  // namespace switchboard::media::app
