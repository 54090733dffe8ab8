#include "media/rtp/receive_stats.hpp"

#include <cstdlib>

namespace switchboard::media::rtp {
namespace {
constexpr std::uint32_t kSeqMod = 1u << 16;
constexpr std::uint16_t kMaxDropout = 3000;
constexpr std::uint16_t kMaxMisorder = 100;
}  // namespace

void ReceiveStats::start_source(std::uint32_t ssrc, std::uint16_t seq) {
  have_source_ = true;
  ssrc_ = ssrc;
  base_seq_ = seq;
  max_seq_ = seq;
  bad_seq_ = kSeqMod + 1;
  cycles_ = 0;
  cur_received_ = 0;
  have_transit_ = false;
}

void ReceiveStats::close_sequence() {
  if (!have_source_) return;
  closed_expected_ += cur_expected();
  closed_lost_ += cur_lost();
  closed_received_ += cur_received_;
  cur_received_ = 0;
}

std::uint64_t ReceiveStats::cur_expected() const {
  if (!have_source_ || cur_received_ == 0) return 0;
  std::uint64_t extended_max = std::uint64_t{cycles_} + max_seq_;
  return extended_max - base_seq_ + 1;
}

std::uint64_t ReceiveStats::cur_lost() const {
  std::uint64_t e = cur_expected();
  return e > cur_received_ ? e - cur_received_ : 0;  // duplicates: clamp at 0
}

std::uint64_t ReceiveStats::expected() const {
  return closed_expected_ + cur_expected();
}
std::uint64_t ReceiveStats::lost() const {
  return closed_lost_ + cur_lost();
}

double ReceiveStats::jitter_ms() const {
  return clock_rate_ ? jitter_ * 1000.0 / clock_rate_ : 0.0;
}

void ReceiveStats::on_packet(std::uint32_t ssrc, std::uint16_t seq, std::uint32_t timestamp,
                             TimePoint arrival, std::uint32_t clock_rate, bool count_jitter) {
  if (!have_source_ || ssrc != ssrc_) {
    if (have_source_) ++ssrc_changes_;
    close_sequence();
    start_source(ssrc, seq);
  } else {
    auto udelta = static_cast<std::uint16_t>(seq - max_seq_);
    if (udelta < kMaxDropout) {
      if (seq < max_seq_) cycles_ += kSeqMod;  // wrapped
      max_seq_ = seq;
    } else if (udelta <= kSeqMod - kMaxMisorder) {
      // A big jump: restart after two sequential packets (the source restarted).
      if (seq == bad_seq_) {
        close_sequence();
        start_source(ssrc, seq);
      } else {
        bad_seq_ = (seq + 1u) & (kSeqMod - 1);
        return;
      }
    }
    // else: duplicate or reordered within kMaxMisorder: counted, max unchanged
  }
  ++cur_received_;
  if (!count_jitter || clock_rate == 0) return;
  if (clock_rate != clock_rate_) {
    clock_rate_ = clock_rate;
    have_transit_ = false;
    jitter_ = 0;
  }
  // Arrival in timestamp units (A.8); the offset cancels out in differences.
  auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(arrival.time_since_epoch()).count();
  // steady_clock counts from boot: us * 48000 stays far below 2^63.
  std::int64_t arrival_units = us * static_cast<std::int64_t>(clock_rate) / 1000000;
  // Only the low 32 bits of (arrival - ts) matter; keep them signed per step.
  auto transit = static_cast<std::int64_t>(
      static_cast<std::int32_t>(static_cast<std::uint32_t>(arrival_units) - timestamp));
  if (have_transit_) {
    std::int64_t d = static_cast<std::int32_t>(static_cast<std::uint32_t>(transit - transit_));
    jitter_ += (static_cast<double>(std::llabs(d)) - jitter_) / 16.0;
  }
  transit_ = transit;
  have_transit_ = true;
}

}  // namespace switchboard::media::rtp
