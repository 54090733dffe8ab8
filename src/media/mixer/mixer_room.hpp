// A conference's audio on one media thread: each party is a FrameSource (what
// it says) and a FrameSink (what it hears) around the Mixer kernel; tick()
// is one 20 ms step: read every source, mix, write every sink.
#pragma once

#include <memory>
#include <vector>

#include "media/audio/frame_io.hpp"
#include "media/mixer/mixer.hpp"

namespace switchboard::media::mixer {

class MixerRoom {
 public:
  explicit MixerRoom(int rate = 8000) : mixer_(rate) {}

  /// `source` and `sink` must outlive the party (remove() it first);
  /// either may be null (a listen-only or talk-only party). A party whose
  /// frames are at another rate than the room's gives `party_rate`: its
  /// audio is converted both ways.
  Status add(PartyId id, audio::FrameSource* source, audio::FrameSink* sink,
             PartyOptions options = {}, int party_rate = 0);
  Status remove(PartyId id);

  /// mute/deaf/gain go straight to the kernel.
  Mixer& mixer() { return mixer_; }
  const Mixer& mixer() const { return mixer_; }

  void tick();
  std::uint64_t ticks() const { return ticks_; }

 private:
  struct Binding {
    PartyId id;
    audio::FrameSource* source;
    audio::FrameSink* sink;
    std::unique_ptr<audio::FrameSource> converted_source;  // owned rate adapters
    std::unique_ptr<audio::FrameSink> converted_sink;
  };
  Mixer mixer_;
  std::vector<Binding> bindings_;
  std::uint64_t ticks_ = 0;
};

}  // namespace switchboard::media::mixer
