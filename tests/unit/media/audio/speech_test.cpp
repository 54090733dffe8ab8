#include "media/audio/speech.hpp"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "unit/media/audio/test_signals.hpp"

namespace switchboard::media::audio {
namespace {

TEST(Speech, EngineRendersTextAtTheLegsRate) {
  auto engine = SpeechEngine::create();
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  EXPECT_EQ(SpeechEngine::create().error().code, ErrorCode::kAlreadyExists);
  for (int rate : {8000, 16000}) {
    auto pcm = (*engine)->synthesize("Your meeting starts in five minutes.", rate);
    ASSERT_TRUE(pcm.ok());
    EXPECT_EQ(pcm->rate, rate);
    EXPECT_GT(pcm->seconds(), 1.0);
    EXPECT_LT(pcm->seconds(), 5.0);
    EXPECT_GT(test::rms(pcm->samples), 300);  // speech, not silence
  }
  EXPECT_FALSE((*engine)->synthesize("", 8000).ok());
}

TEST(Speech, ServiceRendersOnTheWorkersAndCaches) {
  auto engine = SpeechEngine::create();
  ASSERT_TRUE(engine.ok());
  std::shared_ptr<SpeechEngine> shared(std::move(*engine));
  boost::asio::io_context core;
  auto guard = boost::asio::make_work_guard(core);  // the workers post back later
  boost::asio::thread_pool workers(1);
  SpeechService tts(shared, core.get_executor(), workers.get_executor(), /*cache_seconds=*/6);
  std::vector<PcmBufferPtr> got;
  auto keep = [&](Result<PcmBufferPtr> r) {
    ASSERT_TRUE(r.ok());
    got.push_back(*r);
  };
  // Two requests for the same text while it renders: one synthesis.
  tts.render("Call from the front desk.", 8000, keep);
  tts.render("Call from the front desk.", 8000, keep);
  EXPECT_TRUE(got.empty());  // never inside render()
  while (got.size() < 2) core.run_one();
  EXPECT_EQ(got[0].get(), got[1].get());
  EXPECT_EQ(tts.syntheses(), 1u);
  // Then from the cache.
  tts.render("Call from the front desk.", 8000, keep);
  while (got.size() < 3) core.run_one();
  EXPECT_EQ(got[2].get(), got[0].get());
  EXPECT_EQ(tts.hits(), 1u);
  // The cache is bounded (6 s): older entries make room.
  for (const char* text : {"One two three four five six.", "Seven eight nine ten eleven.",
                           "Twelve thirteen fourteen fifteen."}) {
    tts.render(text, 8000, keep);
  }
  while (got.size() < 6) core.run_one();
  EXPECT_LT(tts.cache_entries(), 4u);
  workers.join();
}

}  // namespace
}  // namespace switchboard::media::audio
