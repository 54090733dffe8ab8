// The N-party mixing kernel (conference, three-way call, announced transfer):
// each party hears the sum of every other party, never itself; per-party mute
// (nobody hears them), deaf (they hear nothing) and gains. One call of mix()
// is one 20 ms tick; time is the caller's business (MixerRoom, MixerTicker),
// so tests run it in virtual time. Not thread-safe: one media thread owns it.
#pragma once

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "common/result.hpp"
#include "media/audio/pcm.hpp"

namespace switchboard::media::mixer {

using PartyId = std::uint32_t;

struct PartyOptions {
  bool muted = false;         ///< others do not hear this party
  bool deaf = false;          ///< this party hears nothing
  double talk_gain_db = 0;    ///< how loud the others hear this party
  double listen_gain_db = 0;  ///< how loud this party hears the mix
};

class Mixer {
 public:
  /// Gains are limited to ±24 dB.
  static constexpr double kMaxGainDb = 24;

  explicit Mixer(int rate = 8000);

  int rate() const { return rate_; }
  std::size_t frame_size() const { return frame_; }
  std::size_t size() const { return parties_.size(); }
  bool contains(PartyId id) const { return index_.count(id) != 0; }

  Status add(PartyId id, PartyOptions options = {});
  Status remove(PartyId id);
  Status set_muted(PartyId id, bool muted);
  Status set_deaf(PartyId id, bool deaf);
  Status set_talk_gain(PartyId id, double db);
  Status set_listen_gain(PartyId id, double db);
  Result<PartyOptions> options(PartyId id) const;

  /// This tick's input of a party (frame_size() samples, consumed by mix()).
  /// Write into it and call set_input_present(); a party without input this
  /// tick is silence.
  std::span<std::int16_t> input(PartyId id);
  void set_input_present(PartyId id, bool present = true);

  /// Mixes this tick's inputs into every party's output.
  void mix();

  /// What the party hears this tick (valid until the next mix()).
  std::span<const std::int16_t> output(PartyId id) const;

 private:
  struct Party {
    PartyId id;
    PartyOptions options;
    std::int32_t talk_q12;  // linear gains in Q12
    std::int32_t listen_q12;
    bool has_input = false;
    std::vector<std::int16_t> in;
    std::vector<std::int16_t> out;
  };
  Party* find(PartyId id);
  const Party* find(PartyId id) const;

  int rate_;
  std::size_t frame_;
  std::vector<Party> parties_;  // dense for the kernel's loops
  std::unordered_map<PartyId, std::size_t> index_;
  std::vector<std::int32_t> acc_;
};

/// dB → Q12 linear gain (0 dB = 4096).
std::int32_t gain_q12(double db);

}  // namespace switchboard::media::mixer
