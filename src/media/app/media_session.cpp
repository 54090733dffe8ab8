#include "media/app/media_session.hpp"

#include <algorithm>
#include <cmath>

#include "media/app/sources.hpp"
#include "media/audio/sound_file.hpp"

namespace switchboard::media::app {
namespace {

// A SourceItem's source, played by the one session that received it.
class SharedSource final : public audio::AudioSource {
 public:
  explicit SharedSource(std::shared_ptr<audio::AudioSource> s) : s_(std::move(s)) {}
  std::size_t read(std::span<std::int16_t> out) override { return s_->read(out); }
  int rate() const override { return s_->rate(); }

 private:
  std::shared_ptr<audio::AudioSource> s_;
};

}  // namespace

MediaSession::MediaSession(SessionConfig config, SessionServices services)
    : config_(config), services_(std::move(services)), frame_(audio::frame_samples(config.rate)) {
  if (config_.inband_dtmf) {
    detector_ = std::make_unique<dsp::DtmfDetector>(static_cast<std::uint32_t>(config_.rate));
  }
}

MediaSession::~MediaSession() {
  if (recorder_) {
    auto job = [rec = std::move(recorder_)] { (void)rec->finish(); };
    if (services_.run_blocking) {
      services_.run_blocking(std::move(job));
    } else {
      job();
    }
  }
}

void MediaSession::emit(MediaEvent event) {
  if (services_.on_event) services_.on_event(std::move(event));
}

// --- play -------------------------------------------------------------------

Result<audio::AudioSourcePtr> MediaSession::open_item(const PlayItem& item) {
  const int rate = config_.rate;
  if (const auto* p = std::get_if<PromptItem>(&item)) {
    if (services_.prompts == nullptr)
      return make_error(ErrorCode::kFailedPrecondition, "no prompt catalog");
    auto pcm = services_.prompts->get(p->name, rate);
    if (!pcm) return pcm.error();
    return audio::AudioSourcePtr(std::make_unique<audio::BufferSource>(*pcm));
  }
  if (const auto* f = std::get_if<FileItem>(&item)) {
    auto src = audio::SoundFileSource::open(f->path, rate, f->loop);
    if (!src) return src.error();
    return audio::AudioSourcePtr(std::move(*src));
  }
  if (const auto* t = std::get_if<ToneItem>(&item)) {
    return audio::AudioSourcePtr(std::make_unique<ToneSource>(
        dsp::tone_spec(config_.tone_region, t->kind), rate, t->duration));
  }
  if (const auto* s = std::get_if<SilenceItem>(&item)) {
    return audio::AudioSourcePtr(std::make_unique<SilenceSource>(rate, s->duration));
  }
  if (const auto* m = std::get_if<PcmItem>(&item)) {
    if (!m->pcm || m->pcm->rate != rate) {
      return make_error(ErrorCode::kInvalidArgument, "audio not at the leg's rate");
    }
    return audio::AudioSourcePtr(std::make_unique<audio::BufferSource>(m->pcm));
  }
  if (const auto* o = std::get_if<SourceItem>(&item)) {
    if (!o->source || o->source->rate() != rate) {
      return make_error(ErrorCode::kInvalidArgument, "source not at the leg's rate");
    }
    return audio::AudioSourcePtr(std::make_unique<SharedSource>(o->source));
  }
  return make_error(ErrorCode::kInvalidArgument, "speech must be rendered before playing");
}

void MediaSession::play(OpId id, PlayRequest request) {
  if (playing()) end_play(PlayResult::kStopped);
  play_state_ = PlayState::kPlaying;
  play_id_ = id;
  play_ = std::move(request);
  play_index_ = 0;
  source_.reset();
  if (collect_state_ == CollectState::kFirstDigit) collect_state_ = CollectState::kWaitingForPrompt;
}

void MediaSession::end_play(PlayResult result, char digit, std::string error) {
  if (!playing()) return;
  play_state_ = PlayState::kIdle;
  source_.reset();
  play_.items.clear();
  emit(PlayDone{play_id_, result, digit, std::move(error)});
  if (collect_state_ == CollectState::kWaitingForPrompt) start_collect_timer();
}

// Fills `out` from the items in turn; false when the playback has ended.
bool MediaSession::fill(std::span<std::int16_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    if (!source_) {
      if (play_index_ >= play_.items.size()) break;
      auto src = open_item(play_.items[play_index_++]);
      if (!src) {
        std::fill(out.begin() + static_cast<std::ptrdiff_t>(done), out.end(), std::int16_t{0});
        end_play(PlayResult::kError, 0, src.error().message);
        return false;
      }
      source_ = std::move(*src);
    }
    std::size_t got = source_->read(out.subspan(done));
    done += got;
    if (done < out.size()) source_.reset();  // this item has ended
  }
  std::fill(out.begin() + static_cast<std::ptrdiff_t>(done), out.end(), std::int16_t{0});
  if (done < out.size() || (!source_ && play_index_ >= play_.items.size())) {
    end_play(PlayResult::kDone);
    return done > 0;
  }
  return true;
}

// --- record -----------------------------------------------------------------

void MediaSession::record(OpId id, RecordRequest request) {
  if (recording()) end_record(RecordResult::kStopped);
  audio::RecorderOptions options;
  options.rate = config_.rate;
  options.run_blocking = services_.run_blocking;
  auto rec = audio::WavRecorder::create(request.path, options);
  if (!rec) {
    emit(RecordDone{id, RecordResult::kError, request.path, 0, 0, rec.error().message});
    return;
  }
  record_state_ = RecordState::kRecording;
  record_id_ = id;
  record_ = std::move(request);
  recorder_ = std::shared_ptr<audio::WavRecorder>(std::move(*rec));
  record_samples_ = 0;
  silent_ms_ = 0;
}

void MediaSession::write_record(std::span<const std::int16_t> in) {
  std::vector<std::int16_t> silence;
  if (in.size() != frame_) {
    silence.assign(frame_, 0);
    in = silence;
  }
  if (Status s = recorder_->write(in); !s) {
    end_record(RecordResult::kError, 0, s.error().message);
    return;
  }
  record_samples_ += static_cast<std::int64_t>(in.size());
  double energy = 0;
  for (auto v : in) energy += static_cast<double>(v) * v;
  bool silent = std::sqrt(energy / static_cast<double>(in.size())) < record_.silence_rms;
  silent_ms_ = silent ? silent_ms_ + audio::kFrameMs : 0;
  if (record_samples_ * 1000 >= record_.max_duration.count() * config_.rate) {
    end_record(RecordResult::kMaxDuration);
  } else if (record_.silence_end.count() > 0 && silent_ms_ >= record_.silence_end.count()) {
    // Keep the start of the pause, not the whole wait for it.
    auto cut =
        std::max<std::int64_t>(0, silent_ms_ - record_.silence_kept.count()) * config_.rate / 1000;
    if (cut > 0 && recorder_->truncate(record_samples_ - cut).ok()) record_samples_ -= cut;
    end_record(RecordResult::kSilence);
  }
}

void MediaSession::end_record(RecordResult result, char terminator, std::string error) {
  if (!recording()) return;
  record_state_ = RecordState::kIdle;
  RecordDone done{record_id_,   result,
                  record_.path, static_cast<double>(record_samples_) / config_.rate,
                  terminator,   std::move(error)};
  auto rec = std::move(recorder_);
  if (result == RecordResult::kError) {
    rec->abort();
    emit(std::move(done));
    return;
  }
  // finish() fsyncs and renames: blocking, so on the worker pool; the event
  // follows the file being complete.
  auto job = [rec, done = std::move(done), on_event = services_.on_event]() mutable {
    if (Status s = rec->finish(); !s) {
      done.result = RecordResult::kError;
      done.error = s.error().message;
    }
    if (on_event) on_event(std::move(done));
  };
  if (services_.run_blocking) {
    services_.run_blocking(std::move(job));
  } else {
    job();
  }
}

// --- collect ----------------------------------------------------------------

void MediaSession::collect_digits(OpId id, CollectRequest request) {
  if (collecting()) end_collect(CollectResult::kStopped);
  collect_id_ = id;
  collect_ = std::move(request);
  digits_.clear();
  if (collect_.max_digits == 0) collect_.max_digits = 1;
  collect_state_ = CollectState::kWaitingForPrompt;
  if (!playing()) start_collect_timer();
  if (collect_.flush) type_ahead_.clear();
  while (collecting() && collect_id_ == id && !type_ahead_.empty()) {
    char d = type_ahead_.front();
    type_ahead_.pop_front();
    take_digit(d);
  }
}

void MediaSession::start_collect_timer() {
  collect_state_ = CollectState::kFirstDigit;
  deadline_ms_ = now_ms_ + collect_.first_digit_timeout.count();
}

void MediaSession::take_digit(char digit) {
  if (collect_.terminators.find(digit) != std::string::npos) {
    end_collect(CollectResult::kTerminator, digit);
    return;
  }
  digits_.push_back(digit);
  if (digits_.size() >= collect_.max_digits) {
    end_collect(CollectResult::kMaxDigits);
    return;
  }
  collect_state_ = CollectState::kNextDigit;
  deadline_ms_ = now_ms_ + collect_.inter_digit_timeout.count();
}

void MediaSession::end_collect(CollectResult result, char terminator) {
  if (!collecting()) return;
  collect_state_ = CollectState::kIdle;
  emit(DigitsDone{collect_id_, result, std::move(digits_), terminator});
  digits_.clear();
}

// --- digits, stop, tick -------------------------------------------------------

void MediaSession::on_digit(char digit) {
  if (recording() && record_.terminators.find(digit) != std::string::npos) {
    end_record(RecordResult::kTerminator, digit);
    return;
  }
  if (playing() && play_.interruptible && play_.interrupt_digits.find(digit) != std::string::npos) {
    end_play(PlayResult::kInterrupted, digit);
  }
  if (collecting()) {
    take_digit(digit);
  } else if (type_ahead_.size() < config_.type_ahead) {
    type_ahead_.push_back(digit);
  }
}

void MediaSession::stop() {
  end_play(PlayResult::kStopped);
  end_collect(CollectResult::kStopped);
  end_record(RecordResult::kStopped);
}

void MediaSession::stop(OpId id) {
  if (playing() && play_id_ == id) end_play(PlayResult::kStopped);
  if (collecting() && collect_id_ == id) end_collect(CollectResult::kStopped);
  if (recording() && record_id_ == id) end_record(RecordResult::kStopped);
}

void MediaSession::set_party(std::shared_ptr<PartyPort> port) {
  party_ = std::move(port);
  party_frame_.assign(frame_, 0);
}

bool MediaSession::tick(std::span<const std::int16_t> in, std::span<std::int16_t> out) {
  now_ms_ += audio::kFrameMs;
  if (detector_ && !in.empty()) {
    reports_.clear();
    detector_->process(in, reports_);
    for (const auto& r : reports_) {
      if (r.kind == dsp::DtmfReport::Kind::kStart) on_digit(r.digit);
    }
  }
  bool audio = false;
  if (playing()) {
    audio = fill(out);
  } else {
    std::fill(out.begin(), out.end(), std::int16_t{0});
  }
  if (party_ && party_->closed()) party_.reset();
  if (party_) {
    if (!in.empty()) party_->put_voice(in);
    if (party_->take_mix(party_frame_)) {
      for (std::size_t i = 0; i < out.size() && i < party_frame_.size(); ++i)
        out[i] = audio::saturate(out[i] + party_frame_[i]);
      audio = true;
    }
  }
  if (recording()) write_record(in);
  if ((collect_state_ == CollectState::kFirstDigit || collect_state_ == CollectState::kNextDigit) &&
      now_ms_ >= deadline_ms_) {
    end_collect(CollectResult::kTimeout);
  }
  return audio;
}

}  // namespace switchboard::media::app
