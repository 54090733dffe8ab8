#include "media/app/media_channel.hpp"

#include <boost/asio/post.hpp>

#include "media/audio/sound_file.hpp"

namespace switchboard::media::app {

struct MediaChannel::Shared {
  EventHandler handler;
  bool alive = true;
};

MediaChannel::MediaChannel(Options options, boost::asio::any_io_executor media,
                           boost::asio::any_io_executor core, EventHandler on_event)
    : MediaChannel(
          std::move(options),
          [media](std::function<void()> fn) { boost::asio::post(media, std::move(fn)); },
          std::move(core), std::move(on_event)) {}

MediaChannel::MediaChannel(Options options, audio::Post post_to_media,
                           boost::asio::any_io_executor core, EventHandler on_event)
    : options_(std::move(options)),
      media_(std::move(post_to_media)),
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
  media_([session = session_, command = std::move(command)] { command(*session); });
}

void MediaChannel::fail(OpId id, PlayResult result, std::string error) {
  // Always later, never inside the call that caused it.
  boost::asio::post(core_, [shared = shared_, id, result, error = std::move(error)] {
    if (shared->alive && shared->handler) shared->handler(PlayDone{id, result, 0, error});
  });
}

void MediaChannel::cancel_pending() {
  if (pending_play_ == 0) return;
  OpId id = pending_play_;
  pending_play_ = 0;
  fail(id, PlayResult::kStopped, {});
}

OpId MediaChannel::play(PlayRequest request) {
  cancel_pending();
  OpId id = next_id_++;
  pending_play_ = id;
  render_speech(id, std::make_shared<PlayRequest>(std::move(request)));
  return id;
}

void MediaChannel::render_speech(OpId id, RequestPtr req) {
  auto pending = std::make_shared<std::size_t>(0);
  for (const auto& item : req->items) *pending += std::holds_alternative<SpeechItem>(item);
  if (*pending == 0) {
    open_items(id, std::move(req));
    return;
  }
  if (options_.speech == nullptr) {
    pending_play_ = 0;
    fail(id, PlayResult::kError, "no speech service");
    return;
  }
  auto failed = std::make_shared<std::string>();
  for (std::size_t i = 0; i < req->items.size(); ++i) {
    const auto* speech = std::get_if<SpeechItem>(&req->items[i]);
    if (speech == nullptr) continue;
    options_.speech->render(
        speech->text, options_.session.rate,
        [this, alive = shared_, id, i, req, pending, failed](Result<audio::PcmBufferPtr> r) {
          if (!alive->alive || pending_play_ != id) return;
          if (r.ok()) {
            req->items[i] = PcmItem{*r};
          } else if (failed->empty()) {
            *failed = r.error().message;
          }
          if (--*pending > 0) return;
          if (!failed->empty()) {
            pending_play_ = 0;
            fail(id, PlayResult::kError, *failed);
            return;
          }
          open_items(id, req);
        });
  }
}

void MediaChannel::open_items(OpId id, RequestPtr req) {
  bool disk = false;
  for (const auto& item : req->items) {
    disk =
        disk || std::holds_alternative<FileItem>(item) || std::holds_alternative<PromptItem>(item);
  }
  if (!disk || !options_.run_blocking) {
    start(id, std::move(req));
    return;
  }
  options_.run_blocking([this, alive = shared_, core = core_, catalog = options_.prompts,
                         rate = options_.session.rate, id, req] {
    for (auto& item : req->items) {
      if (const auto* p = std::get_if<PromptItem>(&item); p != nullptr && catalog != nullptr) {
        if (auto pcm = catalog->get(p->name, rate); pcm.ok()) item = PcmItem{*pcm};
      } else if (const auto* f = std::get_if<FileItem>(&item)) {
        if (auto src = audio::SoundFileSource::open(f->path, rate, f->loop); src.ok()) {
          item = SourceItem{std::shared_ptr<audio::AudioSource>(std::move(*src))};
        }
      }
    }
    boost::asio::post(core, [this, alive, id, req] {
      if (alive->alive && pending_play_ == id) start(id, req);
    });
  });
}

void MediaChannel::start(OpId id, RequestPtr req) {
  pending_play_ = 0;
  post([id, req](MediaSession& s) { s.play(id, std::move(*req)); });
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
  cancel_pending();
  post([](MediaSession& s) { s.stop(); });
}

void MediaChannel::set_party(std::shared_ptr<PartyPort> port) {
  post([port = std::move(port)](MediaSession& s) mutable { s.set_party(std::move(port)); });
}

void MediaChannel::stop(OpId id) {
  if (id == pending_play_) {
    cancel_pending();
    return;
  }
  post([id](MediaSession& s) { s.stop(id); });
}

}  // namespace switchboard::media::app
