#include "media/mixer/mixer_host.hpp"

#include <boost/asio/post.hpp>
#include <map>

namespace switchboard::media::mixer {

struct MixerHost::State {
  explicit State(int rate) : room(rate) {}
  MixerRoom room;
  std::unique_ptr<Ticker> ticker;  // on an asio executor
  FrameClock clock;                // ticked by media_tick() otherwise
  bool running = false;
  // Keeps each party's source and sink alive while the room uses them.
  std::map<PartyId,
           std::pair<std::shared_ptr<audio::FrameSource>, std::shared_ptr<audio::FrameSink>>>
      parties;
};

MixerHost::MixerHost(boost::asio::any_io_executor media, int rate)
    : post_([media](std::function<void()> fn) { boost::asio::post(media, std::move(fn)); }),
      state_(std::make_shared<State>(rate)) {
  State* s = state_.get();  // the ticker belongs to the state
  state_->ticker = std::make_unique<Ticker>(media, [s] { s->room.tick(); });
}

MixerHost::MixerHost(audio::Post post_to_media, int rate)
    : post_(std::move(post_to_media)), state_(std::make_shared<State>(rate)) {}

MixerHost::~MixerHost() {
  // The last reference goes on the media thread, after any queued command.
  post_([state = std::move(state_)] {
    state->running = false;
    if (state->ticker) state->ticker->stop();
  });
}

std::function<void(TimePoint)> MixerHost::media_tick() const {
  return [weak = std::weak_ptr<State>(state_)](TimePoint now) {
    auto s = weak.lock();
    if (!s || !s->running) return;
    for (int n = s->clock.due(now); n > 0; --n) s->room.tick();
  };
}

void MixerHost::post(std::function<void(State&)> fn) {
  post_([state = state_, fn = std::move(fn)] { fn(*state); });
}

void MixerHost::start() {
  post([](State& s) {
    s.running = true;
    s.clock = FrameClock();  // starts at the first media_tick()
    if (s.ticker) s.ticker->start();
  });
}

void MixerHost::stop() {
  post([](State& s) {
    s.running = false;
    if (s.ticker) s.ticker->stop();
  });
}

void MixerHost::add(PartyId id, std::shared_ptr<audio::FrameSource> source,
                    std::shared_ptr<audio::FrameSink> sink, PartyOptions options, int party_rate) {
  post([=](State& s) {
    if (s.room.add(id, source.get(), sink.get(), options, party_rate).ok()) {
      s.parties[id] = {source, sink};
    }
  });
}

void MixerHost::remove(PartyId id) {
  post([id](State& s) {
    (void)s.room.remove(id);
    s.parties.erase(id);
  });
}

void MixerHost::set_muted(PartyId id, bool muted) {
  post([=](State& s) { (void)s.room.mixer().set_muted(id, muted); });
}

void MixerHost::set_deaf(PartyId id, bool deaf) {
  post([=](State& s) { (void)s.room.mixer().set_deaf(id, deaf); });
}

void MixerHost::set_talk_gain(PartyId id, double db) {
  post([=](State& s) { (void)s.room.mixer().set_talk_gain(id, db); });
}

void MixerHost::set_listen_gain(PartyId id, double db) {
  post([=](State& s) { (void)s.room.mixer().set_listen_gain(id, db); });
}

void MixerHost::inspect(std::function<void(const MixerRoom&)> fn) {
  post([fn = std::move(fn)](State& s) { fn(s.room); });
}

}  // namespace switchboard::media::mixer
