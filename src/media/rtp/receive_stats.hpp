// Reception statistics of one side's incoming RTP (RFC 3550 A.1, A.3, A.8):
// extended sequence numbers with wrap, restarts and reordering, packets
// expected and lost, and interarrival jitter. A new SSRC (re-INVITE, a phone
// restarting its stream) closes the old source's counts into the totals and
// starts afresh, so loss never jumps by a sequence distance between sources.
#pragma once

#include <cstdint>

#include "common/timers.hpp"

namespace switchboard::media::rtp {

class ReceiveStats {
 public:
  /// One packet. `clock_rate` is its payload type's; `count_jitter` false for
  /// packets whose timestamps are not sampling instants (RFC 4733 events).
  void on_packet(std::uint32_t ssrc, std::uint16_t seq, std::uint32_t timestamp, TimePoint arrival,
                 std::uint32_t clock_rate, bool count_jitter);

  std::uint64_t expected() const;
  std::uint64_t lost() const;
  std::uint64_t received() const { return closed_received_ + cur_received_; }
  /// Interarrival jitter in timestamp units of the last clock rate, and in ms.
  double jitter_units() const { return jitter_; }
  double jitter_ms() const;
  std::uint32_t ssrc() const { return ssrc_; }
  std::uint32_t ssrc_changes() const { return ssrc_changes_; }
  bool has_source() const { return have_source_; }

 private:
  void start_source(std::uint32_t ssrc, std::uint16_t seq);
  void close_sequence();  // folds the current sequence run into the totals
  std::uint64_t cur_expected() const;
  std::uint64_t cur_lost() const;

  bool have_source_ = false;
  std::uint32_t ssrc_ = 0;
  std::uint32_t ssrc_changes_ = 0;
  // RFC 3550 A.1 state of the current sequence run.
  std::uint16_t max_seq_ = 0;
  std::uint32_t cycles_ = 0;
  std::uint32_t base_seq_ = 0;
  std::uint32_t bad_seq_ = 0;
  std::uint64_t cur_received_ = 0;
  // Totals of closed runs.
  std::uint64_t closed_expected_ = 0;
  std::uint64_t closed_lost_ = 0;
  std::uint64_t closed_received_ = 0;
  // A.8
  bool have_transit_ = false;
  std::int64_t transit_ = 0;
  double jitter_ = 0;
  std::uint32_t clock_rate_ = 8000;
};

}  // namespace switchboard::media::rtp
