// A MediaRelay seen with its sides exchanged. A blind transfer by the
// caller (side A) re-targets side A's party while the callee stays; the
// B2BUA always re-targets side B, so it swaps the call's legs and wraps the
// relay in this, which maps every side to the other one. Core thread only.
#pragma once

#include <memory>
#include <string>

#include "core/call/media_relay.hpp"

namespace switchboard::core {

class SwappedRelay final : public MediaRelay {
 public:
  explicit SwappedRelay(MediaRelayPtr inner) : inner_(std::move(inner)) {}

  /// Undoes the swap: the relay this one wraps.
  MediaRelayPtr release() { return std::move(inner_); }

  std::uint16_t local_port(MediaSide side) const override {
    return inner_->local_port(other(side));
  }
  Status configure(MediaSide side, const sdp::StreamParams& stream, MediaLatch latch) override {
    return inner_->configure(other(side), stream, latch);
  }
  MediaQuality quality() const override {
    MediaQuality q = inner_->quality();
    std::swap(q.packets_from_a, q.packets_from_b);
    return q;
  }
  Status start_music(MediaSide toward, const std::string& moh_class) override {
    return inner_->start_music(other(toward), moh_class);
  }
  void stop_music(MediaSide toward) override { inner_->stop_music(other(toward)); }
  Status start_recording(const std::string& path, bool stereo,
                         std::function<void(const RecordingResult&)> done) override {
    return inner_->start_recording(path, stereo, std::move(done));
  }
  void stop_recording() override { inner_->stop_recording(); }
  void set_digit_listener(DigitListener listener, Detection detection) override {
    if (!listener) return inner_->set_digit_listener(nullptr, detection);
    inner_->set_digit_listener([listener = std::move(listener)](
                                   MediaSide side, char digit) { listener(other(side), digit); },
                               detection);
  }
  void close() override { inner_->close(); }

 private:
  MediaRelayPtr inner_;
};

}  // namespace switchboard::core
