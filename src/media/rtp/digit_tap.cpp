#include "media/rtp/digit_tap.hpp"

#include <strings.h>

#include "media/codec/g711.hpp"
#include "media/dsp/telephone_event.hpp"

namespace switchboard::media::rtp {

void DigitTap::configure(const SideParams& params) {
  event_pt_ = params.telephone_event ? params.telephone_event->payload_type : -1;
  law_.fill(Law::kNone);
  for (const auto& c : params.codecs) {
    if (c.payload_type < 0 || c.payload_type > 127 || c.clock_rate != 8000) continue;
    if (strcasecmp(c.name.c_str(), "PCMU") == 0) law_[c.payload_type] = Law::kUlaw;
    if (strcasecmp(c.name.c_str(), "PCMA") == 0) law_[c.payload_type] = Law::kAlaw;
  }
}

void DigitTap::on_rtp(const RtpHeader& h, std::span<const std::uint8_t> payload, TimePoint now,
                      std::vector<char>& out) {
  if (event_pt_ >= 0) {
    // RFC 4733 side: its digits come as events; its audio is not searched
    // (the phone removes the tones from it, and a digit must count once).
    if (h.payload_type == event_pt_) {
      // Another stream (a transfer brought another phone, or it restarted):
      // its timestamps have nothing to do with the last event's.
      if (ssrc_ != h.ssrc) {
        if (ssrc_) rfc4733_ = dsp::Rfc4733Receiver();
        ssrc_ = h.ssrc;
      }
      rfc4733_.on_packet(h.timestamp, h.marker, payload, now, reports_);
      take(out);
    }
    return;
  }
  if (!tones_) return;
  const Law law = law_[h.payload_type & 0x7f];
  if (law == Law::kNone) return;
  pcm_.resize(payload.size());
  for (std::size_t i = 0; i < payload.size(); ++i) {
    pcm_[i] = law == Law::kUlaw ? ::switchboard::media::g711::ulaw_to_linear(payload[i])
                                : ::switchboard::media::g711::alaw_to_linear(payload[i]);
  }
  inband_.process(pcm_, reports_);
  take(out);
}

void DigitTap::on_tick(TimePoint now, std::vector<char>& out) {
  if (event_pt_ < 0) return;
  rfc4733_.on_tick(now, reports_);
  take(out);
}

void DigitTap::take(std::vector<char>& out) {
  for (const auto& r : reports_) {
    if (r.kind == dsp::DtmfReport::Kind::kEnd && r.digit != '\0') out.push_back(r.digit);
  }
  reports_.clear();
}

}  // namespace switchboard::media::rtp
