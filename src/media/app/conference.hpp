// A conference room for the core thread (issue 7 §6): parties are
// terminating legs (the PBX answered them: PIN prompts, DTMF mute/unmute
// and every other MediaChannel request keep working while in the room);
// the room mixes on one media thread (mixer::MixerHost ticked by that
// thread) and each party hears the N-1 mix. Legs may run on other media
// threads: each is linked by a PartyPort (a frame queue each way). Besides
// the callers the room has two parties of its own: an announcer (tones and
// clips played to everyone: entry/exit tones, "the conference is being
// recorded") and, while recording, a listen-only recorder whose mix — every
// party and the announcer — goes to a WAV off the media thread
// (AsyncWavWriter on run_serial).
//
//   core thread: create → add_party(id, leg) … set_muted / play_* /
//                start_recording → remove_party(id) → destroy
//   room thread: MixerRoom::tick every 20 ms (FrameClock on the thread's tick)
//
// Thread-safety: a Conference is used on the core thread only; everything
// it asks of the room is posted to the room's media thread, in order.
// Recording completion is posted to the `core` executor.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "media/app/party_port.hpp"
#include "media/app/terminating_leg.hpp"
#include "media/audio/pcm.hpp"
#include "media/dsp/tones.hpp"
#include "media/mixer/mixer.hpp"
#include "media/rtp/media_engine.hpp"

namespace switchboard::media::app {

struct ConferenceOptions {
  /// The mixing rate: 8000 (narrowband), 16000 (wideband) or 48000. Legs at
  /// another rate are converted at the edge.
  int rate = 8000;
  /// Played to the room, one after the other, by play_entry_tone() /
  /// play_exit_tone().
  std::vector<dsp::ToneSpec> entry_tones = default_entry_tones();
  std::vector<dsp::ToneSpec> exit_tones = default_exit_tones();
  /// File work of room recordings, one job at a time in order (a strand of
  /// the worker pool). Unset: inline on the media thread (tests only).
  audio::Post run_serial;

  /// Two rising beeps (440 then 660 Hz, 120 ms each) / two falling ones.
  static std::vector<dsp::ToneSpec> default_entry_tones();
  static std::vector<dsp::ToneSpec> default_exit_tones();
};

struct RoomRecordingDone {
  std::string path;
  double seconds = 0;
  Status status;
};

class Conference {
 public:
  /// Party ids from here up are the room's own.
  static constexpr mixer::PartyId kFirstReservedId = 0xFFFFFF00u;

  /// kInvalidArgument for a bad rate; kUnavailable when the engine is stopped.
  static Result<std::unique_ptr<Conference>> create(rtp::MediaEngine& engine,
                                                    ConferenceOptions options,
                                                    boost::asio::any_io_executor core);
  /// Every party leaves (their legs stay open), a recording is finished
  /// (its completion is still delivered), the room stops.
  ~Conference();
  Conference(const Conference&) = delete;
  Conference& operator=(const Conference&) = delete;

  /// The leg joins: its caller's audio into the room, the N-1 mix added to
  /// what its channel plays. kInvalidArgument: a reserved id or a closed
  /// leg; kAlreadyExists: the id is taken. The leg may be destroyed before
  /// remove_party() (its port is then simply silent).
  Status add_party(mixer::PartyId id, TerminatingLeg& leg, mixer::PartyOptions options = {});
  /// kNotFound for an unknown id.
  Status remove_party(mixer::PartyId id);
  bool contains(mixer::PartyId id) const { return parties_.count(id) != 0; }
  /// Callers in the room (the room's own parties not counted).
  std::size_t size() const { return parties_.size(); }

  /// Muted: nobody hears the party. Deaf: the party hears nothing. kNotFound.
  Status set_muted(mixer::PartyId id, bool muted);
  Status set_deaf(mixer::PartyId id, bool deaf);

  /// Plays to every party (queued after what is playing). `duration` 0:
  /// a one-shot tone's cadence; a repeating tone then plays one second.
  void play_tone(const dsp::ToneSpec& tone, std::chrono::milliseconds duration = {});
  void play_entry_tone();
  void play_exit_tone();
  /// A clip already in memory (a prompt from the PromptCatalog, rendered
  /// speech); converted to the room's rate here.
  void play_clip(audio::PcmBufferPtr clip);
  /// Drops what the announcer has queued or is playing.
  void stop_playing();

  /// Records what the room hears (all parties and announcements) into a mono
  /// WAV at the room's rate. kInvalidArgument (empty path), kNotFound (no
  /// such directory), kFailedPrecondition (already recording).
  Status start_recording(std::string path, std::function<void(const RoomRecordingDone&)> on_done);
  void stop_recording();
  bool recording() const { return recording_; }

  int rate() const { return options_.rate; }

 private:
  struct Room;
  Conference(ConferenceOptions options, boost::asio::any_io_executor core);
  void post(std::function<void(Room&)> fn);

  ConferenceOptions options_;
  boost::asio::any_io_executor core_;
  std::shared_ptr<Room> room_;  // shared with the media thread
  std::map<mixer::PartyId, std::shared_ptr<PartyPort>> parties_;
  bool recording_ = false;
};

}  // namespace switchboard::media::app
