#include "media/audio/playout_source.hpp"

#include <algorithm>

namespace switchboard::media::audio {

Status L16Decoder::decode(std::span<const std::uint8_t> payload, std::vector<std::int16_t>& out) {
  if (payload.size() % 2 != 0) return make_error(ErrorCode::kInvalidArgument, "L16: odd payload");
  for (std::size_t i = 0; i + 1 < payload.size(); i += 2) {
    out.push_back(static_cast<std::int16_t>((payload[i] << 8) | payload[i + 1]));
  }
  return Status::Ok();
}

std::vector<std::uint8_t> l16_payload(std::span<const std::int16_t> pcm) {
  std::vector<std::uint8_t> out;
  out.reserve(pcm.size() * 2);
  for (auto s : pcm) {
    auto u = static_cast<std::uint16_t>(s);
    out.push_back(static_cast<std::uint8_t>(u >> 8));
    out.push_back(static_cast<std::uint8_t>(u & 0xff));
  }
  return out;
}

PlayoutSource::PlayoutSource(std::unique_ptr<PayloadDecoder> decoder, JitterConfig config)
    : decoder_(std::move(decoder)),
      buffer_([&] {
        config.clock_rate = decoder_->clock_rate();
        return config;
      }()),
      concealer_(decoder_->pcm_rate()) {}

void PlayoutSource::conceal(std::size_t samples) {
  if (decoder_->conceal(samples, fifo_)) return;
  std::size_t base = fifo_.size();
  fifo_.resize(base + samples);
  concealer_.conceal(std::span(fifo_).subspan(base));
}

bool PlayoutSource::read(std::span<std::int16_t> frame) {
  const auto pcm_rate = static_cast<std::uint64_t>(decoder_->pcm_rate());
  const auto clock = static_cast<std::uint64_t>(decoder_->clock_rate());
  while (fifo_.size() < frame.size()) {
    auto need = frame.size() - fifo_.size();
    auto units = static_cast<std::uint32_t>(need * clock / pcm_rate);
    auto pull = buffer_.pull(std::max<std::uint32_t>(units, 1));
    if (pull.kind == JitterBuffer::Kind::kIdle) {
      if (fifo_.empty()) return false;
      fifo_.resize(frame.size(), 0);
      break;
    }
    if (pull.kind == JitterBuffer::Kind::kPacket) {
      scratch_.clear();
      if (decoder_->decode(pull.packet->payload, scratch_).ok()) {
        concealer_.good(scratch_);
        fifo_.insert(fifo_.end(), scratch_.begin(), scratch_.end());
        continue;
      }
      ++decode_errors_;  // a corrupt payload is concealed like a lost one
    }
    conceal(static_cast<std::size_t>(pull.duration * pcm_rate / clock));
  }
  std::copy_n(fifo_.begin(), frame.size(), frame.begin());
  fifo_.erase(fifo_.begin(), fifo_.begin() + static_cast<std::ptrdiff_t>(frame.size()));
  return true;
}

}  // namespace switchboard::media::audio
