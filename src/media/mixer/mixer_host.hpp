// A conference's mixer running on a media thread, driven from the core
// thread: the MixerRoom lives on the media thread and every call here is
// posted there, so the room is only ever touched by its own thread. Parties'
// sources and sinks are shared with the room (they are the legs' receive
// and send paths, which live on the same media thread). Two ways to run:
//  - on an asio executor: the host ticks the room with its own Ticker;
//  - on any loop that can run posted tasks and wakes about every 20 ms (the
//    RTP engine's MediaThread): give its post function, and call
//    media_tick() from that loop's tick; a FrameClock makes it exactly 50
//    frames a second.
// Used on one thread (the core thread).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <memory>

#include "media/mixer/frame_clock.hpp"
#include "media/mixer/mixer_room.hpp"
#include "media/mixer/ticker.hpp"

namespace switchboard::media::mixer {

class MixerHost {
 public:
  MixerHost(boost::asio::any_io_executor media, int rate = 8000);
  MixerHost(audio::Post post_to_media, int rate = 8000);
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
  void inspect(std::function<void(const MixerRoom&)> fn);

  /// For a host made with a post function: what the media thread calls on
  /// each of its (about 20 ms) ticks. Safe to keep after the host is gone.
  std::function<void(TimePoint)> media_tick() const;

 private:
  struct State;
  void post(std::function<void(State&)> fn);

  audio::Post post_;
  std::shared_ptr<State> state_;
};

}  // namespace switchboard::media::mixer
