#include "media/app/media_channel.hpp"

#include <boost/asio/post.hpp>

namespace switchboard::media::app {

struct MediaChannel::Shared {
  EventHandler handler;
  bool alive = true;
};

MediaChannel::MediaChannel(Options options, boost::asio::any_io_executor media,
                           boost::asio::any_io_executor core, EventHandler on_event)
    : options_(std::move(options)),
      media_(std::move(media)),
      core_(std::move(core)),
      shared_(std::make_shared<Shared>(Shared{std::move(on_event), true})) {
  SessionServices services;
  services.prompts = options_.prompts;
  services.run_blocking = options_.run_blocking;
  // Runs on the media thread or a worker: hop to the core thread.
  services.on_event = [core = core_, shared = shared_](MediaEvent event) {
    boost::asio::post(core, [shared, event = std::move(event)] {
      if (shared->alive && shared->handler) shared->handler(event);
    });
  };
  session_ = std::make_shared<MediaSession>(options_.session, std::move(services));
}

MediaChannel::~MediaChannel() {
  shared_->alive = false;
}

void MediaChannel::post(std::function<void(MediaSession&)> command) {
  boost::asio::post(media_,
                    [session = session_, command = std::move(command)] { command(*session); });
}

void MediaChannel::cancel_speech() {
  if (speech_play_ == 0) return;
  OpId id = speech_play_;
  speech_play_ = 0;
  boost::asio::post(core_, [shared = shared_, id] {
    if (shared->alive && shared->handler)
      shared->handler(PlayDone{id, PlayResult::kStopped, 0, {}});
  });
}

OpId MediaChannel::play(PlayRequest request) {
  cancel_speech();
  OpId id = next_id_++;
  auto pending = std::make_shared<std::size_t>(0);
  for (const auto& item : request.items) *pending += std::holds_alternative<SpeechItem>(item);
  if (*pending == 0) {
    post([id, request = std::move(request)](MediaSession& s) mutable {
      s.play(id, std::move(request));
    });
    return id;
  }
  if (options_.speech == nullptr) {
    boost::asio::post(core_, [shared = shared_, id] {
      if (shared->alive && shared->handler) {
        shared->handler(PlayDone{id, PlayResult::kError, 0, "no speech service"});
      }
    });
    return id;
  }
  // Render every SpeechItem, then play. A newer play or stop() cancels this.
  speech_play_ = id;
  auto req = std::make_shared<PlayRequest>(std::move(request));
  auto failed = std::make_shared<std::string>();
  for (std::size_t i = 0; i < req->items.size(); ++i) {
    const auto* speech = std::get_if<SpeechItem>(&req->items[i]);
    if (speech == nullptr) continue;
    options_.speech->render(
        speech->text, options_.session.rate,
        [this, alive = shared_, id, i, req, pending, failed](Result<audio::PcmBufferPtr> r) {
          if (!alive->alive || speech_play_ != id) return;
          if (r.ok()) {
            req->items[i] = PcmItem{*r};
          } else if (failed->empty()) {
            *failed = r.error().message;
          }
          if (--*pending > 0) return;
          speech_play_ = 0;
          if (!failed->empty()) {
            alive->handler(PlayDone{id, PlayResult::kError, 0, *failed});
            return;
          }
          post([id, req](MediaSession& s) { s.play(id, std::move(*req)); });
        });
  }
  return id;
}

OpId MediaChannel::record(RecordRequest request) {
  OpId id = next_id_++;
  post([id, request = std::move(request)](MediaSession& s) mutable {
    s.record(id, std::move(request));
  });
  return id;
}

OpId MediaChannel::collect_digits(CollectRequest request) {
  OpId id = next_id_++;
  post([id, request = std::move(request)](MediaSession& s) mutable {
    s.collect_digits(id, std::move(request));
  });
  return id;
}

void MediaChannel::stop() {
  cancel_speech();
  post([](MediaSession& s) { s.stop(); });
}

void MediaChannel::stop(OpId id) {
  if (id == speech_play_) {
    cancel_speech();
    return;
  }
  post([id](MediaSession& s) { s.stop(id); });
}

}  // namespace switchboard::media::app
