// The media API as the core thread sees it (DESIGN.md §2): an application
// calls play / record / collect_digits / stop here; the requests run on the
// leg's media thread (MediaSession) and every completion comes back as a
// MediaEvent on the core thread. Before a play reaches the media thread its
// speech is rendered (SpeechService) and, when run_blocking is given, its
// files are opened and prompts loaded on the worker pool, so the media
// thread never blocks on synthesis or the disk (an item that fails there is
// left as it was and fails in order on the media thread). A newer play or
// stop() cancels a play still being prepared (PlayDone kStopped). Not
// thread-safe: used on the core thread only.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <memory>

#include "media/app/media_session.hpp"
#include "media/audio/speech.hpp"

namespace switchboard::media::app {

class MediaChannel {
 public:
  using EventHandler = std::function<void(const MediaEvent&)>;

  struct Options {
    SessionConfig session{};
    audio::PromptCatalog* prompts = nullptr;
    audio::SpeechService* speech = nullptr;  ///< null: SpeechItems fail
    /// Blocking work of recordings (the worker pool); unset: inline.
    std::function<void(std::function<void()>)> run_blocking{};
  };

  /// `media`: the executor of the thread that ticks session(); `core`: this
  /// (the core) thread's executor, where `on_event` runs.
  MediaChannel(Options options, boost::asio::any_io_executor media,
               boost::asio::any_io_executor core, EventHandler on_event);
  /// The same for a media loop that is not asio (the RTP engine's
  /// MediaThread::post): `post_to_media` runs a task on it.
  MediaChannel(Options options, audio::Post post_to_media, boost::asio::any_io_executor core,
               EventHandler on_event);
  /// No event is delivered after this; the session lives on until the media
  /// thread drops it.
  ~MediaChannel();
  MediaChannel(const MediaChannel&) = delete;
  MediaChannel& operator=(const MediaChannel&) = delete;

  OpId play(PlayRequest request);
  OpId record(RecordRequest request);
  OpId collect_digits(CollectRequest request);
  void stop();
  void stop(OpId id);

  /// Connects the session to a conference room's party port (posted to the
  /// media thread); null disconnects. Used by Conference::add_party/remove_party.
  void set_party(std::shared_ptr<PartyPort> port);

  /// For the media thread only: tick it every 20 ms with the leg's audio and
  /// feed it the leg's digits (on_digit).
  std::shared_ptr<MediaSession> session() const { return session_; }

 private:
  struct Shared;
  using RequestPtr = std::shared_ptr<PlayRequest>;
  void post(std::function<void(MediaSession&)> command);
  // A play goes through: render speech → open files/prompts → start.
  void render_speech(OpId id, RequestPtr request);
  void open_items(OpId id, RequestPtr request);
  void start(OpId id, RequestPtr request);
  void fail(OpId id, PlayResult result, std::string error);
  void cancel_pending();

  Options options_;
  audio::Post media_;
  boost::asio::any_io_executor core_;
  std::shared_ptr<Shared> shared_;  // handler + alive flag, shared with in-flight posts
  std::shared_ptr<MediaSession> session_;
  OpId next_id_ = 1;
  OpId pending_play_ = 0;  // a play still being prepared (speech, files)
};

}  // namespace switchboard::media::app
