// A conference's mixer running on a media thread, driven from the core
// thread: MixerRoom + Ticker live on the media executor; every call here is
// posted there, so the room is only ever touched by its own thread. Parties'
// sources and sinks are shared with the room (they are the legs' receive
// and send paths, which live on the same media thread). Used on one thread
// (the core thread).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <memory>

#include "media/mixer/mixer_room.hpp"
#include "media/mixer/ticker.hpp"

namespace switchboard::media::mixer {

class MixerHost {
 public:
  MixerHost(boost::asio::any_io_executor media, int rate = 8000);
  /// Stops the ticks; the room goes away on the media thread.
  ~MixerHost();
  MixerHost(const MixerHost&) = delete;
  MixerHost& operator=(const MixerHost&) = delete;

  void start();
  void stop();

  void add(PartyId id, std::shared_ptr<audio::FrameSource> source,
           std::shared_ptr<audio::FrameSink> sink, PartyOptions options = {}, int party_rate = 0);
  void remove(PartyId id);
  void set_muted(PartyId id, bool muted);
  void set_deaf(PartyId id, bool deaf);
  void set_talk_gain(PartyId id, double db);
  void set_listen_gain(PartyId id, double db);

  /// Runs `fn` on the media thread with the room (statistics, tests).
  void inspect(std::function<void(const MixerRoom&, const Ticker&)> fn);

 private:
  struct State;
  void post(std::function<void(State&)> fn);

  boost::asio::any_io_executor media_;
  std::shared_ptr<State> state_;
};

}  // namespace switchboard::media::mixer
