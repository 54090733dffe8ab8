#include "media/mixer/mixer_room.hpp"

#include <algorithm>

#include "media/audio/frame_adapters.hpp"

namespace switchboard::media::mixer {

Status MixerRoom::add(PartyId id, audio::FrameSource* source, audio::FrameSink* sink,
                      PartyOptions options, int party_rate) {
  if (party_rate < 0 || (party_rate > 0 && party_rate % 50 != 0)) {
    return make_error(ErrorCode::kInvalidArgument, "mixer: bad party rate");
  }
  if (Status s = mixer_.add(id, options); !s) return s;
  Binding b{id, source, sink, nullptr, nullptr};
  if (party_rate > 0 && party_rate != mixer_.rate()) {
    if (source != nullptr) {
      b.converted_source =
          std::make_unique<audio::RateConvertingSource>(*source, party_rate, mixer_.rate());
      b.source = b.converted_source.get();
    }
    if (sink != nullptr) {
      b.converted_sink =
          std::make_unique<audio::RateConvertingSink>(*sink, party_rate, mixer_.rate());
      b.sink = b.converted_sink.get();
    }
  }
  bindings_.push_back(std::move(b));
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
