// Packet-loss concealment on 16-bit PCM at any rate, for codecs without their
// own (G.711, G.722, L16). In the spirit of ITU-T G.711 Appendix I: the last
// pitch period of good audio (found by autocorrelation over 2.5–15 ms) is
// repeated for the missing audio, at full level for the first 10 ms, then
// fading linearly to silence at 60 ms; the first good audio after a gap is
// cross-faded from the synthetic signal so the join does not click.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace switchboard::media::audio {

class Concealer {
 public:
  explicit Concealer(int rate);

  /// A received frame: kept as history; after a gap its start is blended in
  /// place with the continued synthetic signal.
  void good(std::span<std::int16_t> frame);
  /// Fills `out` with concealment for missing audio.
  void conceal(std::span<std::int16_t> out);

  /// Samples concealed since the last good frame.
  std::size_t concealed() const { return concealed_; }
  /// The pitch period (samples) the current gap repeats (0 outside a gap).
  std::size_t pitch() const { return concealed_ > 0 ? period_ : 0; }

 private:
  std::size_t find_period() const;
  std::int16_t next_synthetic();

  int rate_;
  std::size_t min_period_, max_period_, history_size_;
  std::vector<std::int16_t> history_;  // newest last, history_size_ long
  std::size_t period_ = 0;
  std::size_t phase_ = 0;
  std::size_t concealed_ = 0;
};

}  // namespace switchboard::media::audio
