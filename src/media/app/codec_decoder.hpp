// Binds a codec of src/media/codec to the terminating receive path
// (audio::PlayoutSource): its decoder, and its own concealment where it has
// one (opus PLC, G.729); G.711/G.722 conceal with a plain fade in the codec,
// so for those the pitch-repeating audio::Concealer is used instead.
#pragma once

#include <memory>

#include "media/audio/playout_source.hpp"
#include "media/codec/codec.hpp"

namespace switchboard::media::app {

class CodecPayloadDecoder final : public audio::PayloadDecoder {
 public:
  explicit CodecPayloadDecoder(std::unique_ptr<Codec> codec);

  Status decode(std::span<const std::uint8_t> payload, std::vector<std::int16_t>& out) override;
  bool conceal(std::size_t samples, std::vector<std::int16_t>& out) override;
  int pcm_rate() const override { return static_cast<int>(codec_->info().sample_rate); }
  int clock_rate() const override { return static_cast<int>(codec_->info().clock_rate); }

 private:
  std::unique_ptr<Codec> codec_;
  bool own_plc_;
  std::vector<std::int16_t> scratch_;
};

}  // namespace switchboard::media::app
