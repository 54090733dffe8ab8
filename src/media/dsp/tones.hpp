// Call progress tones (dial, ringback, busy, congestion, call waiting, beep)
// in regional plans, and a generator at 8 or 16 kHz that follows a tone's
// cadence with continuous phase.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace switchboard::media::dsp {

enum class ToneRegion { kUs, kEu };
enum class ToneKind { kDial, kRingback, kBusy, kCongestion, kCallWaiting, kBeep };

/// One tone: up to two frequencies summed, each at `level_dbm0`, switched
/// on and off by a cadence.
struct ToneSpec {
  struct Step {
    std::uint32_t on_ms = 0;
    std::uint32_t off_ms = 0;
  };
  std::array<double, 2> frequencies{};  ///< Hz; 0 = unused
  double level_dbm0 = -13;              ///< per frequency
  std::vector<Step> cadence;            ///< empty = continuous
  bool repeat = true;                   ///< false: the cadence plays once
};

/// US: ANSI T1.401 / Telcordia precise tone plan. EU: the CEPT/ETSI common
/// European tones (ETSI TR 101 041, 425 Hz). Both listed in tones.cpp.
const ToneSpec& tone_spec(ToneRegion region, ToneKind kind);

/// In-band DTMF for a leg without telephone-events: the digit's two tones at
/// -7 dBm0 each for `on_ms`, then `off_ms` of silence, once; nullopt when
/// not a DTMF digit.
std::optional<ToneSpec> dtmf_tone_spec(char digit, std::uint32_t on_ms = 100,
                                       std::uint32_t off_ms = 50);

/// "us" / "eu" (case-insensitive).
std::optional<ToneRegion> parse_tone_region(std::string_view name);
std::string_view to_string(ToneRegion region);
std::string_view to_string(ToneKind kind);

class ToneGenerator {
 public:
  ToneGenerator(const ToneSpec& spec, std::uint32_t sample_rate);
  ToneGenerator(ToneRegion region, ToneKind kind, std::uint32_t sample_rate)
      : ToneGenerator(tone_spec(region, kind), sample_rate) {}

  /// Fills `out` with the next samples of the tone (silence in its off
  /// parts and after a one-shot tone has finished).
  void generate(std::span<std::int16_t> out);

  /// A one-shot tone has played its whole cadence.
  bool finished() const { return finished_; }

 private:
  struct Oscillator {
    double re = 0, im = 0, step_re = 1, step_im = 0;
  };
  void next_step();

  std::vector<std::pair<std::uint32_t, bool>> segments_;  // samples, on?
  std::array<Oscillator, 2> oscillators_{};
  std::size_t oscillator_count_ = 0;
  double amplitude_ = 0;
  bool repeat_ = true;
  std::size_t segment_ = 0;
  std::uint32_t left_ = 0;  // samples left in the segment
  bool finished_ = false;
  std::uint32_t since_normalise_ = 0;
};

}  // namespace switchboard::media::dsp
