#include "media/app/media_channel.hpp"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <thread>

#include "media/app/codec_decoder.hpp"
#include "media/mixer/frame_clock.hpp"
#include "media/mixer/ticker.hpp"
#include "unit/media/app/session_fixture.hpp"

namespace switchboard::media::app {
namespace {

using namespace std::chrono_literals;

// The real arrangement: a media thread ticking the session every 20 ms, the
// core thread (this one) receiving the completions.
class ChannelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    media_thread_ = std::thread([this] { media_.run(); });
  }
  void TearDown() override {
    boost::asio::post(media_, [this] { ticker_.reset(); });
    media_guard_.reset();
    media_thread_.join();
  }
  // Starts ticking the channel's session on the media thread.
  void tick(MediaChannel& channel) {
    boost::asio::post(media_, [this, session = channel.session()] {
      ticker_ = std::make_unique<mixer::Ticker>(media_.get_executor(), [session, this] {
        std::vector<std::int16_t> out(160);
        session->tick({}, out);
        sent_ += rms(out) > 0;
      });
      ticker_->start();
    });
  }
  static double rms(const std::vector<std::int16_t>& v) { return media::test::rms(v); }
  // Runs the core loop until `n` events have arrived or `limit` passes.
  void wait_events(std::size_t n, std::chrono::milliseconds limit = 5s) {
    auto end = std::chrono::steady_clock::now() + limit;
    while (events_.size() < n && std::chrono::steady_clock::now() < end) {
      core_.run_for(10ms);
    }
  }

  boost::asio::io_context core_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> core_guard_{
      core_.get_executor()};
  boost::asio::io_context media_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> media_guard_{
      media_.get_executor()};
  std::thread media_thread_;
  std::unique_ptr<mixer::Ticker> ticker_;
  std::atomic<int> sent_{0};
  audio::PromptCatalog catalog_{{test::kBuiltInPrompts}};
  std::vector<MediaEvent> events_;
  std::vector<std::thread::id> event_threads_;
};

TEST_F(ChannelTest, CompletionsArriveOnTheCoreThread) {
  MediaChannel channel({.prompts = &catalog_}, media_.get_executor(), core_.get_executor(),
                       [this](const MediaEvent& e) {
                         events_.push_back(e);
                         event_threads_.push_back(std::this_thread::get_id());
                       });
  tick(channel);
  PlayRequest beep;
  beep.items = {PromptItem{"beep"}};
  OpId play = channel.play(beep);
  OpId collect = channel.collect_digits({.max_digits = 1, .first_digit_timeout = 200ms});
  wait_events(2);
  ASSERT_EQ(events_.size(), 2u);
  EXPECT_EQ(op_id(events_[0]), play);
  EXPECT_EQ(std::get<PlayDone>(events_[0]).result, PlayResult::kDone);
  EXPECT_EQ(op_id(events_[1]), collect);
  EXPECT_EQ(std::get<DigitsDone>(events_[1]).result, CollectResult::kTimeout);
  for (auto id : event_threads_) EXPECT_EQ(id, std::this_thread::get_id());
  EXPECT_GE(sent_.load(), 12);  // 250 ms of beep went out
}

TEST_F(ChannelTest, DigitsFromTheMediaThreadAndStop) {
  MediaChannel channel({.prompts = &catalog_}, media_.get_executor(), core_.get_executor(),
                       [this](const MediaEvent& e) { events_.push_back(e); });
  tick(channel);
  PlayRequest menu;
  menu.items = {PromptItem{"main_menu"}};
  menu.interruptible = true;
  channel.play(menu);
  OpId collect = channel.collect_digits({.max_digits = 3, .first_digit_timeout = 10s});
  // The RTP session (here: a post) reports digits on the media thread.
  boost::asio::post(media_, [s = channel.session()] { s->on_digit('7'); });
  wait_events(1);
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(std::get<PlayDone>(events_[0]).result, PlayResult::kInterrupted);
  channel.stop();
  wait_events(2);
  ASSERT_EQ(events_.size(), 2u);
  EXPECT_EQ(op_id(events_[1]), collect);
  EXPECT_EQ(std::get<DigitsDone>(events_[1]).digits, "7");
  EXPECT_EQ(std::get<DigitsDone>(events_[1]).result, CollectResult::kStopped);
}

TEST_F(ChannelTest, SpeechIsRenderedOnTheWorkersThenPlayed) {
  auto engine = audio::SpeechEngine::create();
  ASSERT_TRUE(engine.ok());
  boost::asio::thread_pool workers(1);
  audio::SpeechService speech(std::shared_ptr<audio::SpeechEngine>(std::move(*engine)),
                              core_.get_executor(), workers.get_executor());
  MediaChannel channel({.prompts = &catalog_, .speech = &speech}, media_.get_executor(),
                       core_.get_executor(), [this](const MediaEvent& e) { events_.push_back(e); });
  tick(channel);
  PlayRequest r;
  r.items = {SpeechItem{"Hi."}, PromptItem{"beep"}};
  OpId id = channel.play(r);
  wait_events(1);
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(op_id(events_[0]), id);
  EXPECT_EQ(std::get<PlayDone>(events_[0]).result, PlayResult::kDone);
  EXPECT_GE(sent_.load(), 20);  // speech and beep
  // A play that is still rendering is cancelled by stop().
  r.items = {SpeechItem{"This one is stopped before it starts."}};
  OpId cancelled = channel.play(r);
  channel.stop();
  wait_events(2);
  ASSERT_EQ(events_.size(), 2u);
  EXPECT_EQ(op_id(events_[1]), cancelled);
  EXPECT_EQ(std::get<PlayDone>(events_[1]).result, PlayResult::kStopped);
  core_.run_for(200ms);  // the render finishes: nothing more happens
  EXPECT_EQ(events_.size(), 2u);
  workers.join();
}

TEST_F(ChannelTest, FilesAndPromptsAreOpenedOnTheWorkers) {
  boost::asio::thread_pool workers(1);
  std::atomic<int> jobs{0};
  MediaChannel::Options options{.prompts = &catalog_};
  options.run_blocking = [&](std::function<void()> job) {
    ++jobs;
    boost::asio::post(workers, std::move(job));
  };
  MediaChannel channel(options, media_.get_executor(), core_.get_executor(),
                       [this](const MediaEvent& e) { events_.push_back(e); });
  tick(channel);
  std::string moh = test::kBuiltInPrompts + "/16000/beep.wav";  // any file at another rate
  PlayRequest r;
  r.items = {FileItem{moh}, PromptItem{"goodbye"}};
  OpId id = channel.play(r);
  wait_events(1);
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(op_id(events_[0]), id);
  EXPECT_EQ(std::get<PlayDone>(events_[0]).result, PlayResult::kDone);
  EXPECT_EQ(jobs.load(), 1);
  EXPECT_NE(catalog_.cached("goodbye", 8000), nullptr);  // loaded by the worker
  // What cannot be opened still fails on the media thread, in order.
  r.items = {PromptItem{"beep"}, FileItem{"/no/such/file.wav"}};
  channel.play(r);
  wait_events(2);
  ASSERT_EQ(events_.size(), 2u);
  EXPECT_EQ(std::get<PlayDone>(events_[1]).result, PlayResult::kError);
  EXPECT_GE(sent_.load(), 12 + 12);  // both beeps went out
  workers.join();
}

// With a media loop that is not asio (the RTP engine's MediaThread): tasks
// through a post function, the session ticked by that loop via a FrameClock.
TEST(MediaChannelOnAnotherLoop, RunsThroughAPostFunction) {
  boost::asio::io_context core;
  std::vector<std::function<void()>> tasks;
  audio::PromptCatalog catalog({test::kBuiltInPrompts});
  std::vector<MediaEvent> events;
  MediaChannel channel(
      {.prompts = &catalog}, [&](std::function<void()> fn) { tasks.push_back(std::move(fn)); },
      core.get_executor(), [&](const MediaEvent& e) { events.push_back(e); });
  PlayRequest beep;
  beep.items = {PromptItem{"beep"}};
  OpId id = channel.play(beep);
  ASSERT_EQ(tasks.size(), 1u);
  for (auto& t : tasks) t();
  mixer::FrameClock clock;
  TimePoint t = TimePoint{} + 1h;
  std::vector<std::int16_t> out(160);
  for (int i = 0; i < 20; ++i, t += 21ms) {
    for (int n = clock.due(t); n > 0; --n) channel.session()->tick({}, out);
  }
  core.poll();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(op_id(events[0]), id);
  EXPECT_EQ(std::get<PlayDone>(events[0]).result, PlayResult::kDone);
}

TEST_F(ChannelTest, NoEventAfterTheChannelIsGone) {
  auto channel = std::make_unique<MediaChannel>(
      MediaChannel::Options{.prompts = &catalog_}, media_.get_executor(), core_.get_executor(),
      [this](const MediaEvent& e) { events_.push_back(e); });
  tick(*channel);
  channel->collect_digits({.first_digit_timeout = 40ms});
  std::this_thread::sleep_for(150ms);  // the timeout event is posted meanwhile
  channel.reset();
  core_.run_for(50ms);
  EXPECT_TRUE(events_.empty());
}

// The terminating receive path with a real codec (src/media/codec).
TEST(CodecPayloadDecoder, PcmuThroughTheJitterBufferWithLoss) {
  auto encoder = make_codec("PCMU");
  auto decoder = make_codec("PCMU");
  ASSERT_TRUE(encoder.ok() && decoder.ok());
  audio::PlayoutSource rx(std::make_unique<CodecPayloadDecoder>(std::move(*decoder)));
  TimePoint t0 = TimePoint{} + 1h;
  std::vector<std::int16_t> frame(160), played;
  std::vector<std::uint8_t> payload(kMaxPayloadBytes);
  for (int i = 0; i < 60; ++i) {
    auto pcm = media::test::tone(500, 8000, 160, 8000, static_cast<std::size_t>(i) * 160);
    auto n = (*encoder)->encode(pcm, payload);
    ASSERT_TRUE(n.ok());
    if (i != 30) {
      rx.push({static_cast<std::uint16_t>(i), static_cast<std::uint32_t>(i * 160), 160,
               std::vector<std::uint8_t>(payload.begin(),
                                         payload.begin() + static_cast<std::ptrdiff_t>(*n))},
              t0 + 20ms * i + 5ms);
    }
    if (rx.read(frame)) played.insert(played.end(), frame.begin(), frame.end());
  }
  EXPECT_EQ(rx.buffer().stats().lost, 1u);
  ASSERT_GE(played.size(), 50u * 160);
  EXPECT_NEAR(media::test::tone_level(played, 500, 8000), 8000, 600);
}

TEST(CodecPayloadDecoder, OpusConcealsWithItsOwnPlc) {
  auto codec = make_codec("opus", 48000);
  ASSERT_TRUE(codec.ok());
  CodecPayloadDecoder d(std::move(*codec));
  EXPECT_EQ(d.pcm_rate(), 48000);
  std::vector<std::int16_t> out;
  EXPECT_TRUE(d.conceal(960, out));
  EXPECT_EQ(out.size(), 960u);
  auto pcmu = make_codec("PCMU");
  CodecPayloadDecoder g711(std::move(*pcmu));
  EXPECT_FALSE(g711.conceal(160, out));  // the generic Concealer does it
}

}  // namespace
}  // namespace switchboard::media::app
