// In-band DTMF detection with the Goertzel algorithm (requirements:
// "implement Goertzel algorithm for tone detection"), on 8 or 16 kHz audio,
// reporting each digit's start and end.
//
// How it works (docs/PERFORMANCE.md "DTMF detection" has the measurements):
// - Eight Goertzel filters, one per DTMF frequency, run side by side in one
//   8-lane float vector. Each filter's window is as long as needed for a
//   constant relative resolution (N_f = K·fs/f, 20 ms for 697 Hz, 8.5 ms for
//   1633 Hz), all centred on the same instant, so ±1.5 % falls inside every
//   filter's main lobe and ±3.5 % well down its slope on every tone alike.
// - Two banks of filters run half a window apart: a decision every 10 ms.
// - A decision is a digit when the strongest row and column tones are each
//   above the level threshold, within the twist limits, each clearly above
//   the other tones of its group, and together hold most of the signal's
//   energy (the "purity" test that rejects speech, music and off-frequency
//   tones).
// - A digit starts after three equal decisions in a row (a 40 ms tone always
//   gives them, a 20 ms one never does) and ends after two decisions without
//   it (a 40 ms pause always gives them).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "media/dsp/dtmf_report.hpp"

namespace switchboard::media::dsp {

/// Levels in dBm0 map to 16-bit linear PCM as in G.711 A-law: a sine of
/// 0 dBm0 has a peak 3.14 dB below full scale (amplitude 22 826).
double dbm0_to_amplitude(double dbm0);

class DtmfDetector {
 public:
  struct Options {
    double min_level_dbm0 = -32.0;   ///< each tone at least this (Q.24: accept -26)
    double normal_twist_db = 9.0;    ///< low group above high group (accept 8)
    double reverse_twist_db = 5.0;   ///< high group above low group (accept 4)
    double min_peak_ratio_db = 8.0;  ///< best tone over the others of its group
    double min_purity = 0.6;         ///< share of the energy in the two tones
    int decisions_to_start = 3;
    int decisions_to_end = 2;
  };

  /// `sample_rate` is 8000 or 16000 (others are treated as 8000).
  explicit DtmfDetector(std::uint32_t sample_rate = 8000) : DtmfDetector(sample_rate, Options{}) {}
  DtmfDetector(std::uint32_t sample_rate, Options options);

  /// Feeds audio; digit starts and ends are appended to `out` with
  /// timestamps in samples since the detector was created.
  void process(std::span<const std::int16_t> samples, std::vector<DtmfReport>& out);

  std::uint32_t sample_rate() const { return rate_; }

 private:
  using Vec = float __attribute__((vector_size(32)));
  struct Bank {
    Vec s1{};
    Vec s2{};
    Vec energy{};
    std::uint32_t pos = 0;
  };
  enum class State { kIdle, kDigit };

  void evaluate(const Bank& bank, std::uint64_t window_end, std::vector<DtmfReport>& out);
  char decide(const Bank& bank) const;
  void on_decision(char digit, std::uint64_t centre, std::vector<DtmfReport>& out);

  std::uint32_t rate_;
  Options options_;
  std::uint32_t window_;    // samples in the longest filter window (20 ms)
  std::vector<Vec> masks_;  // per sample of the window: 1 in the lanes it belongs to
  Vec coeff_{};
  std::array<float, 8> lane_length_{};
  float min_power_ = 0;
  float normal_twist_ = 0;
  float reverse_twist_ = 0;
  float peak_ratio_ = 0;
  std::array<Bank, 2> banks_{};
  std::uint64_t samples_ = 0;

  State state_ = State::kIdle;
  char candidate_ = '\0';
  int count_ = 0;
  char digit_ = '\0';
  std::uint64_t first_centre_ = 0;
  std::uint64_t last_centre_ = 0;
};

}  // namespace switchboard::media::dsp
