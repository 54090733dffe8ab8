#include "media/rtp/call_recorder.hpp"

#include <algorithm>

#include "media/audio/pcm.hpp"

namespace switchboard::media::rtp {

CallRecorder::CallRecorder(RecordingMode mode, int rate)
    : mode_(mode),
      rate_(rate),
      frame_(audio::frame_samples(rate)),
      decoded_(kMaxDecodedSamples),
      converted_(kMaxDecodedSamples * 6),
      a_(frame_),
      b_(frame_),
      out_(frame_ * (mode == RecordingMode::kStereo ? 2 : 1)) {}

CallRecorder::~CallRecorder() = default;

void CallRecorder::configure(Side side, const SideParams& params) {
  SideState& s = sides_[index(side)];
  s.decoders.clear();
  for (const PayloadFormat& f : params.codecs) {
    auto codec = make_codec(f.name, f.clock_rate);
    if (!codec) continue;  // not one we decode: not recorded
    Decoder d{f.payload_type, f.clock_rate, std::move(codec).value(), std::nullopt};
    auto codec_rate = d.codec->info().sample_rate;
    if (codec_rate != static_cast<std::uint32_t>(rate_)) {
      auto r = Resampler::create(codec_rate, static_cast<std::uint32_t>(rate_));
      if (!r) continue;
      d.resampler.emplace(std::move(r).value());
    }
    s.decoders.push_back(std::move(d));
  }
  s.next_timestamp.reset();
}

CallRecorder::Decoder* CallRecorder::decoder_for(SideState& s, int payload_type) {
  for (auto& d : s.decoders) {
    if (d.payload_type == payload_type) return &d;
  }
  return nullptr;
}

void CallRecorder::on_rtp(Side from, const RtpHeader& header,
                          std::span<const std::uint8_t> payload) {
  SideState& s = sides_[index(from)];
  Decoder* d = decoder_for(s, header.payload_type);
  if (d == nullptr || payload.empty()) return;
  if (header.ssrc != s.ssrc) {
    s.ssrc = header.ssrc;
    s.next_timestamp.reset();
  }
  if (s.next_timestamp) {
    auto diff = static_cast<std::int32_t>(header.timestamp - *s.next_timestamp);
    if (diff < 0 && diff > -static_cast<std::int32_t>(d->clock_rate)) return;  // late or repeated
    if (diff > 0 && diff <= static_cast<std::int32_t>(d->clock_rate)) {
      // Lost packets or silence suppression: keep the timeline. The ticks
      // that found the queue empty meanwhile already wrote that much
      // silence; only the rest is added.
      auto gap = static_cast<std::size_t>(static_cast<std::int64_t>(diff) * rate_ / d->clock_rate);
      std::size_t fill = gap > s.underrun ? gap - s.underrun : 0;
      s.queue.insert(s.queue.end(), fill, 0);
      s.gap_samples += fill;
    }
  }
  s.underrun = 0;
  auto n = d->codec->decode(payload, decoded_);
  if (!n || n.value() == 0) return;
  const auto& info = d->codec->info();
  s.next_timestamp =
      header.timestamp + static_cast<std::uint32_t>(n.value() * info.clock_rate / info.sample_rate);
  std::span<const std::int16_t> pcm(decoded_.data(), n.value());
  if (d->resampler) {
    auto m = d->resampler->process(pcm, converted_);
    pcm = std::span<const std::int16_t>(converted_.data(), m);
  }
  s.queue.insert(s.queue.end(), pcm.begin(), pcm.end());
  if (s.queue.size() > kMaxBacklogFrames * frame_) {
    s.queue.erase(s.queue.begin(),
                  s.queue.end() - static_cast<std::ptrdiff_t>(kTrimToFrames * frame_));
  }
}

void CallRecorder::take_frame(SideState& s, std::span<std::int16_t> out) {
  std::size_t n = std::min(out.size(), s.queue.size());
  std::copy_n(s.queue.begin(), n, out.begin());
  std::fill(out.begin() + static_cast<std::ptrdiff_t>(n), out.end(), std::int16_t{0});
  s.underrun += out.size() - n;
  s.queue.erase(s.queue.begin(), s.queue.begin() + static_cast<std::ptrdiff_t>(n));
}

std::span<const std::int16_t> CallRecorder::tick() {
  take_frame(sides_[0], a_);
  take_frame(sides_[1], b_);
  if (mode_ == RecordingMode::kStereo) {
    for (std::size_t i = 0; i < frame_; ++i) {
      out_[2 * i] = a_[i];
      out_[2 * i + 1] = b_[i];
    }
  } else {
    for (std::size_t i = 0; i < frame_; ++i) out_[i] = audio::saturate(a_[i] + b_[i]);
  }
  ++frames_;
  return out_;
}

}  // namespace switchboard::media::rtp
