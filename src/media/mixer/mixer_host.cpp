#include "media/mixer/mixer_host.hpp"

#include <boost/asio/post.hpp>
#include <map>

namespace switchboard::media::mixer {

struct MixerHost::State {
  State(boost::asio::any_io_executor media, int rate)
      : room(rate), ticker(std::move(media), [this] { room.tick(); }) {}
  MixerRoom room;
  Ticker ticker;
  // Keeps each party's source and sink alive while the room uses them.
  std::map<PartyId,
           std::pair<std::shared_ptr<audio::FrameSource>, std::shared_ptr<audio::FrameSink>>>
      parties;
};

MixerHost::MixerHost(boost::asio::any_io_executor media, int rate)
    : media_(media), state_(std::make_shared<State>(media, rate)) {}

MixerHost::~MixerHost() {
  // The last reference goes on the media thread, after any queued command.
  boost::asio::post(media_, [state = std::move(state_)] { state->ticker.stop(); });
}

void MixerHost::post(std::function<void(State&)> fn) {
  boost::asio::post(media_, [state = state_, fn = std::move(fn)] { fn(*state); });
}

void MixerHost::start() {
  post([](State& s) { s.ticker.start(); });
}

void MixerHost::stop() {
  post([](State& s) { s.ticker.stop(); });
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

void MixerHost::inspect(std::function<void(const MixerRoom&, const Ticker&)> fn) {
  post([fn = std::move(fn)](State& s) { fn(s.room, s.ticker); });
}

}  // namespace switchboard::media::mixer
