#include "media/audio/speech.hpp"

#include <espeak-ng/speak_lib.h>

#include <atomic>
#include <boost/asio/post.hpp>

#include "media/audio/resampler.hpp"

namespace switchboard::media::audio {
namespace {

// libespeak-ng's own state is process-wide; this flag only mirrors it.
std::atomic<bool> g_engine_exists{false};

// espeak-ng hangs when initialised again after espeak_Terminate(), so the
// library is initialised once per process and left to the process exit.
int initialise_once() {
  static const int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, 0);
  return rate;
}

int on_samples(short* wav, int count, espeak_EVENT* events) {
  if (wav == nullptr || count <= 0 || events == nullptr || events->user_data == nullptr) return 0;
  auto* out = static_cast<std::vector<std::int16_t>*>(events->user_data);
  out->insert(out->end(), wav, wav + count);
  return 0;
}

}  // namespace

Result<std::unique_ptr<SpeechEngine>> SpeechEngine::create(SpeechOptions options) {
  if (g_engine_exists.exchange(true)) {
    return make_error(ErrorCode::kAlreadyExists, "espeak-ng: one engine per process");
  }
  int rate = initialise_once();
  if (rate <= 0) {
    g_engine_exists = false;
    return make_error(ErrorCode::kUnavailable,
                      "espeak-ng: initialisation failed (espeak-ng-data?)");
  }
  espeak_SetSynthCallback(on_samples);
  if (espeak_SetVoiceByName(options.voice.c_str()) != EE_OK) {
    g_engine_exists = false;
    return make_error(ErrorCode::kInvalidArgument, "espeak-ng: no voice " + options.voice);
  }
  espeak_SetParameter(espeakRATE, options.words_per_minute, 0);
  return std::unique_ptr<SpeechEngine>(new SpeechEngine(rate));
}

SpeechEngine::~SpeechEngine() {
  g_engine_exists = false;
}

Result<PcmBuffer> SpeechEngine::synthesize(std::string_view text, int rate) {
  if (text.empty()) return make_error(ErrorCode::kInvalidArgument, "speech: empty text");
  std::vector<std::int16_t> samples;
  {
    std::lock_guard lock(mutex_);
    std::string copy(text);  // espeak wants a NUL-terminated string
    espeak_ERROR err = espeak_Synth(copy.c_str(), copy.size() + 1, 0, POS_CHARACTER, 0,
                                    espeakCHARS_UTF8, nullptr, &samples);
    if (err != EE_OK) return make_error(ErrorCode::kInternal, "espeak-ng: synthesis failed");
  }
  PcmBuffer pcm{native_rate_, std::move(samples)};
  if (rate > 0 && rate != native_rate_) return resample(pcm, rate);
  return pcm;
}

SpeechService::SpeechService(std::shared_ptr<SpeechEngine> engine,
                             boost::asio::any_io_executor owner,
                             boost::asio::any_io_executor workers, double cache_seconds)
    : engine_(std::move(engine)),
      owner_(std::move(owner)),
      workers_(std::move(workers)),
      cache_limit_(cache_seconds) {}

void SpeechService::render(std::string text, int rate, Callback done) {
  Key key{std::move(text), rate};
  if (auto it = index_.find(key); it != index_.end()) {
    ++hits_;
    lru_.splice(lru_.begin(), lru_, it->second);  // now the most recent
    boost::asio::post(owner_, [done = std::move(done), pcm = it->second->second] { done(pcm); });
    return;
  }
  auto& waiters = pending_[key];
  waiters.push_back(std::move(done));
  if (waiters.size() > 1) return;  // already rendering
  ++syntheses_;
  boost::asio::post(
      workers_, [this, alive = std::weak_ptr<int>(alive_), engine = engine_, key, owner = owner_] {
        auto result = engine->synthesize(key.first, key.second);
        boost::asio::post(owner, [this, alive, key, result = std::move(result)]() mutable {
          if (!alive.expired()) finish(key, std::move(result));
        });
      });
}

void SpeechService::finish(const Key& key, Result<PcmBuffer> result) {
  auto node = pending_.extract(key);
  if (node.empty()) return;
  if (!result.ok()) {
    for (auto& cb : node.mapped()) cb(result.error());
    return;
  }
  auto pcm = std::make_shared<const PcmBuffer>(std::move(result).value());
  insert(key, pcm);
  for (auto& cb : node.mapped()) cb(pcm);
}

void SpeechService::insert(const Key& key, PcmBufferPtr pcm) {
  cached_seconds_ += pcm->seconds();
  lru_.emplace_front(key, std::move(pcm));
  index_[key] = lru_.begin();
  while (cached_seconds_ > cache_limit_ && lru_.size() > 1) {
    cached_seconds_ -= lru_.back().second->seconds();
    index_.erase(lru_.back().first);
    lru_.pop_back();
  }
}

}  // namespace switchboard::media::audio
