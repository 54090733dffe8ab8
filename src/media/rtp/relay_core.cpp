#include "media/rtp/relay_core.hpp"

#include <algorithm>

#include "media/rtp/g711.hpp"
#include "media/rtp/rtcp_packet.hpp"
#include "media/rtp/rtp_packet.hpp"

namespace switchboard::media::rtp {

void RelayCore::configure(Side side, SideParams params, TimePoint now) {
  SideState& s = sides_[index(side)];
  auto rtp = sdp_endpoint(params.remote_address, params.remote_rtp_port);
  std::uint16_t rtcp_port = params.rtcp_mux ? params.remote_rtp_port
                            : params.remote_rtcp_port
                                ? params.remote_rtcp_port
                                : static_cast<std::uint16_t>(params.remote_rtp_port + 1);
  if (params.remote_rtp_port == 0) rtcp_port = 0;
  s.sdp_rtcp = sdp_endpoint(params.remote_address, rtcp_port);
  s.rtp_latch.configure(rtp.value_or(Endpoint{}), params.latch, options_.relatch_after);
  s.rtcp_latch.configure(s.sdp_rtcp.value_or(Endpoint{}), params.latch, options_.relatch_after);
  s.peer_clock = params.codecs.empty() ? 8000 : params.codecs.front().clock_rate;
  s.params = std::move(params);
  s.configured = true;
  s.last_activity = now;  // the silence clock restarts with every (re)configuration
  s.dead_reported = false;
  if (recorder_) recorder_->configure(side, s.params);
  if (s.digits) s.digits->configure(s.params);
  rebuild_maps();
}

void RelayCore::set_recorder(CallRecorder* recorder) {
  recorder_ = recorder;
  if (!recorder_) return;
  for (Side side : {Side::kA, Side::kB}) {
    if (sides_[index(side)].configured) recorder_->configure(side, sides_[index(side)].params);
  }
}

std::optional<Endpoint> RelayCore::injection_destination(Side side) const {
  const SideState& s = sides_[index(side)];
  if (!s.configured || !remote_receives(s.params.direction)) return std::nullopt;
  return s.rtp_latch.destination();
}

void RelayCore::on_injected(Side side, std::size_t bytes) {
  SideStats& c = sides_[index(side)].counters;
  ++c.rtp_packets_out;
  c.rtp_bytes_out += bytes;
  ++c.rtp_packets_injected;
}

void RelayCore::rebuild_maps() {
  for (Side from : {Side::kA, Side::kB}) {
    const SideState& f = sides_[index(from)];
    const SideState& t = sides_[index(other(from))];
    if (f.configured && t.configured) maps_[index(from)] = build_payload_map(f.params, t.params);
  }
}

bool RelayCore::expected_to_send(const SideState& s) const {
  return s.configured && remote_sends(s.params.direction) &&
         sdp_endpoint(s.params.remote_address, s.params.remote_rtp_port).has_value();
}

std::optional<Outbound> RelayCore::on_rtp(Side from, std::span<std::uint8_t> packet,
                                          const Endpoint& source, TimePoint now) {
  SideState& s = sides_[index(from)];
  SideState& o = sides_[index(other(from))];
  if (!s.configured) {
    ++s.counters.dropped;
    return std::nullopt;
  }
  auto parsed = parse_rtp(packet);
  if (!parsed.ok()) {
    ++s.counters.dropped;
    return std::nullopt;
  }
  auto verdict = s.rtp_latch.on_packet(source, now);
  if (verdict == Latch::Verdict::kIgnore) {
    ++s.counters.dropped;
    return std::nullopt;
  }
  if (verdict == Latch::Verdict::kAcceptLatched) latch_events_.push_back({from, source, false});
  const RtpHeader& h = parsed.packet.header;
  ++s.counters.rtp_packets_in;
  s.counters.rtp_bytes_in += packet.size();
  s.last_activity = now;
  s.dead_reported = false;

  const PayloadRoute& route = maps_[index(from)][h.payload_type];
  s.recv.on_packet(h.ssrc, h.sequence, h.timestamp, now, route.clock_rate, !route.telephone_event);
  if (recorder_) recorder_->on_rtp(from, h, parsed.packet.payload);
  if (s.digits) {
    s.digits->on_rtp(h, parsed.packet.payload, now, digit_scratch_);
    for (char d : digit_scratch_) digit_events_.push_back({from, d});
    digit_scratch_.clear();
  }
  if (o.injecting) {
    ++s.counters.suppressed;
    return std::nullopt;
  }

  if (!o.configured || !remote_receives(o.params.direction) ||
      route.action == PayloadAction::kDrop) {
    ++s.counters.dropped;
    return std::nullopt;
  }
  auto dest = o.rtp_latch.destination();
  if (!dest) {
    ++s.counters.dropped;
    return std::nullopt;
  }
  if (route.out_pt != h.payload_type) set_payload_type(packet, route.out_pt);
  if (route.action != PayloadAction::kPass) {
    // The payload view points into `packet`; transcode it in place.
    auto offset = parsed.packet.header_size;
    std::span<std::uint8_t> payload = packet.subspan(offset, parsed.packet.payload.size());
    if (route.action == PayloadAction::kUlawToAlaw) {
      g711::ulaw_to_alaw(payload);
    } else {
      g711::alaw_to_ulaw(payload);
    }
    ++transcoded_;
  }
  return Outbound{other(from), *dest, true};
}

std::optional<Endpoint> RelayCore::rtcp_destination(const SideState& s) const {
  if (s.params.rtcp_mux) return s.rtp_latch.destination();
  if (s.rtcp_latch.latched()) return s.rtcp_latch.destination();
  if (auto rtp = s.rtp_latch.destination(); rtp && s.rtp_latch.latched()) {
    // The NAT's RTCP mapping is unknown until RTCP arrives: guess RTP + 1.
    return Endpoint(rtp->address(), static_cast<std::uint16_t>(rtp->port() + 1));
  }
  if (!s.sdp_rtcp) return std::nullopt;
  return s.rtcp_latch.destination();
}

std::optional<Outbound> RelayCore::on_rtcp(Side from, std::span<const std::uint8_t> packet,
                                           const Endpoint& source, TimePoint now,
                                           bool on_rtp_port) {
  SideState& s = sides_[index(from)];
  SideState& o = sides_[index(other(from))];
  if (!s.configured) {
    ++s.counters.dropped;
    return std::nullopt;
  }
  Latch& latch = on_rtp_port ? s.rtp_latch : s.rtcp_latch;
  auto verdict = latch.on_packet(source, now);
  if (verdict == Latch::Verdict::kIgnore) {
    ++s.counters.dropped;
    return std::nullopt;
  }
  auto parsed = parse_rtcp(packet);
  if (!parsed) {
    ++s.counters.dropped;
    return std::nullopt;
  }
  if (verdict == Latch::Verdict::kAcceptLatched)
    latch_events_.push_back({from, source, !on_rtp_port});
  ++s.counters.rtcp_packets_in;
  if (const ReportBlock* rb = first_report_block(*parsed)) {
    s.counters.peer_report = true;
    s.counters.peer_fraction_lost = rb->fraction_lost / 256.0;
    s.counters.peer_cumulative_lost = rb->cumulative_lost;
    s.counters.peer_jitter_ms = s.peer_clock ? rb->jitter * 1000.0 / s.peer_clock : 0.0;
  }
  if (!o.configured) return std::nullopt;
  auto dest = rtcp_destination(o);
  if (!dest) return std::nullopt;
  return Outbound{other(from), *dest, o.params.rtcp_mux};
}

void RelayCore::on_sent(const Outbound& out, std::size_t bytes, bool rtcp) {
  SideStats& c = sides_[index(out.to)].counters;
  if (rtcp) {
    ++c.rtcp_packets_out;
  } else {
    ++c.rtp_packets_out;
    c.rtp_bytes_out += bytes;
  }
}

void RelayCore::on_unsent(const Outbound& out, std::size_t bytes, bool rtcp) {
  SideStats& c = sides_[index(out.to)].counters;
  if (rtcp) {
    if (c.rtcp_packets_out) --c.rtcp_packets_out;
  } else {
    if (c.rtp_packets_out) --c.rtp_packets_out;
    c.rtp_bytes_out -= std::min<std::uint64_t>(c.rtp_bytes_out, bytes);
  }
  ++sides_[index(other(out.to))].counters.dropped;
}

void RelayCore::on_dropped(Side from) {
  ++sides_[index(from)].counters.dropped;
}

std::vector<Side> RelayCore::take_dead_sides(TimePoint now) {
  std::vector<Side> dead;
  if (options_.dead_peer_timeout.count() <= 0) return dead;
  for (Side side : {Side::kA, Side::kB}) {
    SideState& s = sides_[index(side)];
    if (!expected_to_send(s) || s.dead_reported) continue;
    if (now - s.last_activity >= options_.dead_peer_timeout) {
      s.dead_reported = true;
      dead.push_back(side);
    }
  }
  return dead;
}

void RelayCore::set_digit_detection(DigitDetection mode) {
  const bool tones = mode == DigitDetection::kEventsAndTones;
  for (SideState& s : sides_) {
    if (mode == DigitDetection::kOff) {
      s.digits.reset();
    } else if (!s.digits || s.digits->tones() != tones) {
      s.digits = std::make_unique<DigitTap>(tones);
      if (s.configured) s.digits->configure(s.params);
    }
  }
}

std::vector<DigitEvent> RelayCore::take_digits(TimePoint now) {
  for (Side side : {Side::kA, Side::kB}) {
    SideState& s = sides_[index(side)];
    if (!s.digits) continue;
    s.digits->on_tick(now, digit_scratch_);
    for (char d : digit_scratch_) digit_events_.push_back({side, d});
    digit_scratch_.clear();
  }
  std::vector<DigitEvent> out;
  out.swap(digit_events_);
  return out;
}

std::vector<LatchEvent> RelayCore::take_latch_events() {
  std::vector<LatchEvent> out;
  out.swap(latch_events_);
  return out;
}

RelayStats RelayCore::stats() const {
  RelayStats r;
  for (Side side : {Side::kA, Side::kB}) {
    const SideState& s = sides_[index(side)];
    SideStats& out = r.side[index(side)];
    out = s.counters;
    out.lost = s.recv.lost();
    out.expected = s.recv.expected();
    out.jitter_ms = s.recv.jitter_ms();
    out.ssrc = s.recv.ssrc();
    out.ssrc_changes = s.recv.ssrc_changes();
    if (const auto& l = s.rtp_latch.latched_endpoint()) {
      out.latched = true;
      out.latched_address = l->address().to_string();
      out.latched_port = l->port();
    }
  }
  r.transcoded_packets = transcoded_;
  return r;
}

}  // namespace switchboard::media::rtp
