// Runtime text-to-speech for announcements (operator announcements, meeting
// reminders) with libespeak-ng (DESIGN.md §5). SpeechEngine renders text,
// blocking, so it runs on the worker pool; SpeechService is what callers use
// from their own thread (the core thread): render() answers from its cache
// or posts the synthesis to the workers and posts the result back; requests
// for the same text while one is rendering share it.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "media/audio/pcm.hpp"

namespace switchboard::media::audio {

struct SpeechOptions {
  std::string voice = "en-us";
  int words_per_minute = 150;
};

/// libespeak-ng keeps its state in the process, so there is at most one
/// engine at a time (create() fails with kAlreadyExists otherwise); calls
/// are serialised by the engine's lock. Thread-safe.
class SpeechEngine {
 public:
  static Result<std::unique_ptr<SpeechEngine>> create(SpeechOptions options = {});
  ~SpeechEngine();
  SpeechEngine(const SpeechEngine&) = delete;
  SpeechEngine& operator=(const SpeechEngine&) = delete;

  /// Blocking: mono 16-bit PCM at `rate` (espeak's 22.05 kHz converted).
  Result<PcmBuffer> synthesize(std::string_view text, int rate);
  int native_rate() const { return native_rate_; }

 private:
  explicit SpeechEngine(int native_rate) : native_rate_(native_rate) {}
  int native_rate_;
  std::mutex mutex_;
};

/// Used on one thread (`owner`'s); synthesis runs on `workers`.
class SpeechService {
 public:
  using Callback = std::function<void(Result<PcmBufferPtr>)>;

  /// The cache holds up to `cache_seconds` of audio, least recently used
  /// first out. `engine` must outlive the service and its jobs.
  SpeechService(std::shared_ptr<SpeechEngine> engine, boost::asio::any_io_executor owner,
                boost::asio::any_io_executor workers, double cache_seconds = 600);

  /// `done` runs on the owner's executor, never inside render().
  void render(std::string text, int rate, Callback done);

  std::size_t cache_entries() const { return lru_.size(); }
  std::uint64_t hits() const { return hits_; }
  std::uint64_t syntheses() const { return syntheses_; }

 private:
  using Key = std::pair<std::string, int>;
  void finish(const Key& key, Result<PcmBuffer> result);
  void insert(const Key& key, PcmBufferPtr pcm);

  std::shared_ptr<SpeechEngine> engine_;
  boost::asio::any_io_executor owner_;
  boost::asio::any_io_executor workers_;
  double cache_limit_;
  double cached_seconds_ = 0;
  std::list<std::pair<Key, PcmBufferPtr>> lru_;  // most recent first
  std::map<Key, decltype(lru_)::iterator> index_;
  std::map<Key, std::vector<Callback>> pending_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  std::uint64_t hits_ = 0;
  std::uint64_t syntheses_ = 0;
};

}  // namespace switchboard::media::audio
