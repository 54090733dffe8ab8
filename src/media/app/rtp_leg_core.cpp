#include "media/app/rtp_leg_core.hpp"

#include <algorithm>
#include <array>

#include "media/app/codec_decoder.hpp"
#include "media/audio/pcm.hpp"
#include "media/dsp/telephone_event.hpp"
#include "media/rtp/rtp_packet.hpp"

namespace switchboard::media::app {

Result<const CodecInfo*> RtpLegCore::check(const LegParams& params) {
  if (params.payload_type < 0 || params.payload_type > 127) {
    return make_error(ErrorCode::kInvalidArgument, "audio payload type out of range");
  }
  if (params.telephone_event_pt > 127 || params.telephone_event_pt == params.payload_type) {
    return make_error(ErrorCode::kInvalidArgument, "bad telephone-event payload type");
  }
  return find_codec(params.codec, params.clock_rate);
}

Result<std::unique_ptr<RtpLegCore>> RtpLegCore::create(const LegParams& params,
                                                       const LegBehaviour& behaviour,
                                                       std::shared_ptr<MediaSession> session,
                                                       std::uint32_t seed) {
  auto info = check(params);
  if (!info) return info.error();
  if (session == nullptr || session->config().rate != static_cast<int>(info.value()->sample_rate)) {
    return make_error(ErrorCode::kInvalidArgument, "media session rate differs from the codec's");
  }
  auto encoder = make_codec(params.codec, params.clock_rate);
  if (!encoder) return encoder.error();
  auto decoder = make_codec(params.codec, params.clock_rate);
  if (!decoder) return decoder.error();
  return std::unique_ptr<RtpLegCore>(new RtpLegCore(params, behaviour, std::move(session),
                                                    std::move(encoder).value(),
                                                    std::move(decoder).value(), seed));
}

RtpLegCore::RtpLegCore(const LegParams& params, const LegBehaviour& behaviour,
                       std::shared_ptr<MediaSession> session, std::unique_ptr<Codec> encoder,
                       std::unique_ptr<Codec> decoder, std::uint32_t seed)
    : params_(params),
      behaviour_(behaviour),
      session_(std::move(session)),
      encoder_(std::move(encoder)),
      info_(encoder_->info()),
      playout_(std::make_unique<CodecPayloadDecoder>(std::move(decoder)), behaviour.jitter) {
  std::mt19937 random(seed);
  ssrc_ = static_cast<std::uint32_t>(random());
  seq_ = static_cast<std::uint16_t>(random());
  timestamp_ = static_cast<std::uint32_t>(random());
  apply(params);
  in_.resize(info_.frame_samples());
  out_.resize(info_.frame_samples());
}

Status RtpLegCore::check_update(const LegParams& current, const LegParams& next) {
  if (auto info = check(next); !info) return info.error();
  auto a = find_codec(current.codec, current.clock_rate);
  auto b = find_codec(next.codec, next.clock_rate);
  if (!a || !b || a.value() != b.value() || current.payload_type != next.payload_type) {
    return make_error(ErrorCode::kInvalidArgument, "a running leg cannot change its codec");
  }
  return Status::Ok();
}

Status RtpLegCore::update(const LegParams& params) {
  if (auto st = check_update(params_, params); !st) return st;
  apply(params);
  return Status::Ok();
}

void RtpLegCore::apply(const LegParams& params) {
  params_ = params;
  frames_per_packet_ = info_.name == "opus" ? 1 : std::clamp(params.ptime_ms / 20, 1, 3);
  // Another host unlatches; the same host (hold, resume) keeps the latch.
  auto remote = rtp::sdp_endpoint(params.remote_address, params.remote_rtp_port);
  latch_.configure(remote.value_or(rtp::Endpoint{}), params.latch, behaviour_.relatch_after);
}

LegStats RtpLegCore::stats() const {
  LegStats s = stats_;
  s.jitter = playout_.buffer().stats();
  return s;
}

void RtpLegCore::start(TimePoint now) {
  clock_.start(now);
}

std::uint32_t RtpLegCore::payload_duration(std::size_t bytes) const {
  // Sample-based codecs: one byte per clock unit (G.722's 8 kHz clock too).
  if (info_.name == "PCMU" || info_.name == "PCMA" || info_.name == "G722") {
    return static_cast<std::uint32_t>(bytes);
  }
  if (info_.name == "G729") return static_cast<std::uint32_t>((bytes + 9) / 10 * 80);
  return 0;  // opus: the jitter buffer assumes the previous packet's length
}

void RtpLegCore::on_packet(std::span<const std::uint8_t> data, const rtp::Endpoint& from,
                           TimePoint now) {
  if (rtp::looks_like_rtcp(data)) return;  // rtcp-mux: no use for reports here
  auto parsed = rtp::parse_rtp(data);
  if (!parsed.ok() || latch_.on_packet(from, now) == rtp::Latch::Verdict::kIgnore) {
    ++stats_.packets_ignored;
    return;
  }
  if (!rtp::remote_sends(params_.direction)) return;
  const auto& header = parsed.packet.header;
  if (params_.telephone_event_pt >= 0 && header.payload_type == params_.telephone_event_pt) {
    ++stats_.packets_received;
    reports_.clear();
    rfc4733_.on_packet(header.timestamp, header.marker, parsed.packet.payload, now, reports_);
    for (const auto& r : reports_) {
      if (r.kind != dsp::DtmfReport::Kind::kStart) continue;
      ++stats_.digits;
      session_->on_digit(r.digit);
    }
    return;
  }
  if (header.payload_type != params_.payload_type) {
    ++stats_.packets_ignored;  // comfort noise, a codec not negotiated
    return;
  }
  ++stats_.packets_received;
  const auto& payload = parsed.packet.payload;
  playout_.push(
      audio::JitterPacket{header.sequence, header.timestamp, payload_duration(payload.size()),
                          std::vector<std::uint8_t>(payload.begin(), payload.end())},
      now);
}

void RtpLegCore::on_tick(TimePoint now, const Send& send) {
  if (!clock_.started()) clock_.start(now);
  reports_.clear();
  rfc4733_.on_tick(now, reports_);  // ends of events whose end packets were lost
  auto before = clock_.next();
  int due = clock_.due(now);
  for (int n = due; n > 0; --n) run_frame(send);
  // Too far behind (a stalled thread): the clock dropped frames rather than
  // burst them. The stream's time goes on: the timestamps jump, marked.
  auto skipped = clock_.next() - before - due * std::chrono::milliseconds(audio::kFrameMs);
  if (auto frames = skipped / std::chrono::milliseconds(audio::kFrameMs); frames > 0) {
    flush(send);
    timestamp_ += static_cast<std::uint32_t>(frames) * info_.timestamp_step();
    marker_ = true;
  }
}

void RtpLegCore::run_frame(const Send& send) {
  bool have_in = playout_.read(in_);
  bool have_out = session_->tick(
      have_in ? std::span<const std::int16_t>(in_) : std::span<const std::int16_t>{}, out_);
  ++stats_.frames;
  bool talk = rtp::remote_receives(params_.direction) && (have_out || behaviour_.send_silence) &&
              latch_.destination().has_value();
  std::array<std::uint8_t, kMaxPayloadBytes> encoded;
  Result<std::size_t> size = std::size_t{0};
  if (talk) {
    size = encoder_->encode(out_, encoded);
    talk = size.ok();
  }
  if (!talk) {
    flush(send);
    if (send_state_ == SendState::kTalking) {
      send_state_ = SendState::kSilent;
      marker_ = true;
    }
    timestamp_ += info_.timestamp_step();
    return;
  }
  if (frames_in_packet_ == 0) packet_timestamp_ = timestamp_;
  payload_.insert(payload_.end(), encoded.begin(),
                  encoded.begin() + static_cast<std::ptrdiff_t>(size.value()));
  ++frames_in_packet_;
  timestamp_ += info_.timestamp_step();
  if (frames_in_packet_ >= frames_per_packet_) flush(send);
}

void RtpLegCore::flush(const Send& send) {
  if (frames_in_packet_ == 0) return;
  auto to = latch_.destination();
  frames_in_packet_ = 0;
  if (!to) {
    payload_.clear();
    return;
  }
  rtp::RtpHeader header;
  header.marker = marker_;
  header.payload_type = static_cast<std::uint8_t>(params_.payload_type);
  header.sequence = seq_++;
  header.timestamp = packet_timestamp_;
  header.ssrc = ssrc_;
  packet_.resize(rtp::kRtpFixedHeader + payload_.size());
  std::size_t n = rtp::write_rtp(header, {}, payload_, 0, packet_);
  payload_.clear();
  if (n == 0) return;
  marker_ = false;
  send_state_ = SendState::kTalking;
  ++stats_.packets_sent;
  send(std::span<const std::uint8_t>(packet_.data(), n), *to);
}

}  // namespace switchboard::media::app
