// The media API's engine for one leg, on the media thread that owns the
// leg's audio. Driven by time as 20 ms ticks: tick() takes what the caller
// said this tick and returns what to send, so every timeout (first digit,
// inter-digit, silence, max duration) is counted in ticks and tests run in
// virtual time. Three independent parts with their own state machines:
//   play     PlayState     idle → playing → idle   (one at a time; a new one replaces)
//   record   RecordState   idle → recording → idle
//   collect  CollectState  idle → waiting-for-prompt → first-digit → next-digit → idle
// Digits (RFC 4733 events from the RTP session, or the in-band Goertzel
// detector run here on the input when config.inband_dtmf) go, in order, to
// a recording's terminators, then an interruptible playback (barge-in),
// then the collection, else to a type-ahead buffer the next collection
// reads. Completion is reported through services.on_event.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <optional>

#include "media/app/party_port.hpp"
#include "media/app/requests.hpp"
#include "media/audio/frame_io.hpp"
#include "media/audio/prompt_catalog.hpp"
#include "media/audio/wav_recorder.hpp"
#include "media/dsp/dtmf_detector.hpp"

namespace switchboard::media::app {

struct SessionConfig {
  int rate = 8000;  ///< of the frames passed to tick(): 8000, 16000 or 48000
  dsp::ToneRegion tone_region = dsp::ToneRegion::kUs;
  /// Detect DTMF in the input (legs without RFC 4733 telephone-events).
  bool inband_dtmf = false;
  std::size_t type_ahead = 32;  ///< digits kept for the next collect_digits
};

struct SessionServices {
  /// Prompts: served from its cache when preloaded, else read from disk.
  audio::PromptCatalog* prompts = nullptr;
  /// Blocking work (a recording's fsync and final rename): the worker pool.
  /// Unset: inline.
  std::function<void(std::function<void()>)> run_blocking{};
  /// Completion events. Called on the media thread, or on a worker for a
  /// finished recording: must be thread-safe (MediaChannel posts to the core).
  std::function<void(MediaEvent)> on_event{};
};

class MediaSession final : public audio::DigitListener {
 public:
  MediaSession(SessionConfig config, SessionServices services);
  /// Ends everything without events; a recording in progress is kept.
  ~MediaSession() override;
  MediaSession(const MediaSession&) = delete;
  MediaSession& operator=(const MediaSession&) = delete;

  void play(OpId id, PlayRequest request);
  void record(OpId id, RecordRequest request);
  void collect_digits(OpId id, CollectRequest request);
  /// Stops every request (each completes as kStopped).
  void stop();
  /// Stops one request; unknown or finished ids are ignored.
  void stop(OpId id);

  void on_digit(char digit) override;

  /// Joins a conference room through `port` (null: leaves): every tick the
  /// caller's audio goes to the room and the room's mix is added to what
  /// the session plays (a prompt to this caller alone is heard over the
  /// conference). Digits and requests work as before (mute by DTMF).
  void set_party(std::shared_ptr<PartyPort> port);
  bool in_party() const { return party_ != nullptr; }

  /// One 20 ms tick: `in` is the caller's audio (empty when there is none
  /// this tick), `out` (frame_samples(rate)) receives what to send. Returns
  /// false when there is nothing to send (out is silence).
  bool tick(std::span<const std::int16_t> in, std::span<std::int16_t> out);

  bool playing() const { return play_state_ == PlayState::kPlaying; }
  bool recording() const { return record_state_ == RecordState::kRecording; }
  bool collecting() const { return collect_state_ != CollectState::kIdle; }
  const SessionConfig& config() const { return config_; }

 private:
  enum class PlayState { kIdle, kPlaying };
  enum class RecordState { kIdle, kRecording };
  enum class CollectState { kIdle, kWaitingForPrompt, kFirstDigit, kNextDigit };

  // play
  Result<audio::AudioSourcePtr> open_item(const PlayItem& item);
  void end_play(PlayResult result, char digit = 0, std::string error = {});
  bool fill(std::span<std::int16_t> out);
  // record
  void write_record(std::span<const std::int16_t> in);
  void end_record(RecordResult result, char terminator = 0, std::string error = {});
  // collect
  void start_collect_timer();
  void take_digit(char digit);
  void end_collect(CollectResult result, char terminator = 0);
  void emit(MediaEvent event);

  SessionConfig config_;
  SessionServices services_;
  std::size_t frame_;
  std::int64_t now_ms_ = 0;  // virtual time: 20 ms per tick

  PlayState play_state_ = PlayState::kIdle;
  OpId play_id_ = 0;
  PlayRequest play_;
  std::size_t play_index_ = 0;
  audio::AudioSourcePtr source_;

  RecordState record_state_ = RecordState::kIdle;
  OpId record_id_ = 0;
  RecordRequest record_;
  std::shared_ptr<audio::WavRecorder> recorder_;
  std::int64_t record_samples_ = 0;
  std::int64_t silent_ms_ = 0;

  CollectState collect_state_ = CollectState::kIdle;
  OpId collect_id_ = 0;
  CollectRequest collect_;
  std::string digits_;
  std::int64_t deadline_ms_ = 0;
  std::deque<char> type_ahead_;

  std::shared_ptr<PartyPort> party_;
  std::vector<std::int16_t> party_frame_;

  std::unique_ptr<dsp::DtmfDetector> detector_;
  std::vector<dsp::DtmfReport> reports_;
};

}  // namespace switchboard::media::app
