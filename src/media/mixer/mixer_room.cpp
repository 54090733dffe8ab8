#include "media/mixer/mixer_room.hpp"

#include <algorithm>

namespace switchboard::media::mixer {

Status MixerRoom::add(PartyId id, audio::FrameSource* source, audio::FrameSink* sink,
                      PartyOptions options) {
  if (Status s = mixer_.add(id, options); !s) return s;
  bindings_.push_back(Binding{id, source, sink});
  return Status::Ok();
}

Status MixerRoom::remove(PartyId id) {
  if (Status s = mixer_.remove(id); !s) return s;
  std::erase_if(bindings_, [id](const Binding& b) { return b.id == id; });
  return Status::Ok();
}

void MixerRoom::tick() {
  for (const auto& b : bindings_) {
    if (b.source != nullptr && b.source->read(mixer_.input(b.id))) mixer_.set_input_present(b.id);
  }
  mixer_.mix();
  for (const auto& b : bindings_) {
    if (b.sink != nullptr) b.sink->write(mixer_.output(b.id));
  }
  ++ticks_;
}

}  // namespace switchboard::media::mixer
