#include "media/mixer/mixer.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace switchboard::media::mixer {
namespace {

constexpr std::int32_t kUnity = 4096;

Error no_party(PartyId id) {
  return make_error(ErrorCode::kNotFound, "mixer: no party " + std::to_string(id));
}

Status check_gain(double db) {
  if (!(std::abs(db) <= Mixer::kMaxGainDb)) {
    return make_error(ErrorCode::kInvalidArgument, "mixer: gain out of range");
  }
  return Status::Ok();
}

}  // namespace

std::int32_t gain_q12(double db) {
  return static_cast<std::int32_t>(std::lround(kUnity * std::pow(10.0, db / 20.0)));
}

Mixer::Mixer(int rate) : rate_(rate), frame_(audio::frame_samples(rate)), acc_(frame_, 0) {}

Mixer::Party* Mixer::find(PartyId id) {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &parties_[it->second];
}
const Mixer::Party* Mixer::find(PartyId id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &parties_[it->second];
}

Status Mixer::add(PartyId id, PartyOptions options) {
  if (contains(id)) return make_error(ErrorCode::kAlreadyExists, "mixer: party exists");
  if (Status s = check_gain(options.talk_gain_db); !s) return s;
  if (Status s = check_gain(options.listen_gain_db); !s) return s;
  index_[id] = parties_.size();
  parties_.push_back(
      Party{id, options, gain_q12(options.talk_gain_db), gain_q12(options.listen_gain_db), false,
            std::vector<std::int16_t>(frame_, 0), std::vector<std::int16_t>(frame_, 0)});
  return Status::Ok();
}

Status Mixer::remove(PartyId id) {
  auto it = index_.find(id);
  if (it == index_.end()) return no_party(id);
  std::size_t i = it->second;
  index_.erase(it);
  if (i + 1 != parties_.size()) {
    parties_[i] = std::move(parties_.back());
    index_[parties_[i].id] = i;
  }
  parties_.pop_back();
  return Status::Ok();
}

Status Mixer::set_muted(PartyId id, bool muted) {
  Party* p = find(id);
  if (p == nullptr) return no_party(id);
  p->options.muted = muted;
  return Status::Ok();
}

Status Mixer::set_deaf(PartyId id, bool deaf) {
  Party* p = find(id);
  if (p == nullptr) return no_party(id);
  p->options.deaf = deaf;
  return Status::Ok();
}

Status Mixer::set_talk_gain(PartyId id, double db) {
  Party* p = find(id);
  if (p == nullptr) return no_party(id);
  if (Status s = check_gain(db); !s) return s;
  p->options.talk_gain_db = db;
  p->talk_q12 = gain_q12(db);
  return Status::Ok();
}

Status Mixer::set_listen_gain(PartyId id, double db) {
  Party* p = find(id);
  if (p == nullptr) return no_party(id);
  if (Status s = check_gain(db); !s) return s;
  p->options.listen_gain_db = db;
  p->listen_q12 = gain_q12(db);
  return Status::Ok();
}

Result<PartyOptions> Mixer::options(PartyId id) const {
  const Party* p = find(id);
  if (p == nullptr) return no_party(id);
  return p->options;
}

std::span<std::int16_t> Mixer::input(PartyId id) {
  Party* p = find(id);
  return p == nullptr ? std::span<std::int16_t>{} : std::span<std::int16_t>(p->in);
}

void Mixer::set_input_present(PartyId id, bool present) {
  if (Party* p = find(id)) p->has_input = present;
}

std::span<const std::int16_t> Mixer::output(PartyId id) const {
  const Party* p = find(id);
  return p == nullptr ? std::span<const std::int16_t>{} : std::span<const std::int16_t>(p->out);
}

// Sums in 32 bits: with gains capped at +24 dB (Q12 < 2^16) a gained sample
// stays below 2^19, so thousands of parties cannot overflow the accumulator.
// Each party's own contribution is recomputed exactly and subtracted (N-1
// mix in O(N) instead of O(N^2)); only then is the result clipped to 16 bits.
void Mixer::mix() {
  std::int32_t* acc = acc_.data();
  std::fill(acc_.begin(), acc_.end(), 0);
  const std::size_t n = frame_;
  for (auto& p : parties_) {
    if (!p.has_input || p.options.muted) continue;
    const std::int16_t* in = p.in.data();
    if (p.talk_q12 == kUnity) {
      for (std::size_t i = 0; i < n; ++i) acc[i] += in[i];
    } else {
      const std::int32_t g = p.talk_q12;
      for (std::size_t i = 0; i < n; ++i) acc[i] += (in[i] * g) >> 12;
    }
  }
  for (auto& p : parties_) {
    std::int16_t* out = p.out.data();
    if (p.options.deaf) {
      std::fill(p.out.begin(), p.out.end(), std::int16_t{0});
    } else {
      const bool self = p.has_input && !p.options.muted;
      const std::int16_t* in = p.in.data();
      const std::int32_t g = p.talk_q12;
      const std::int64_t lg = p.listen_q12;
      if (!self && lg == kUnity) {
        for (std::size_t i = 0; i < n; ++i) out[i] = audio::saturate(acc[i]);
      } else if (g == kUnity && lg == kUnity) {
        for (std::size_t i = 0; i < n; ++i) out[i] = audio::saturate(acc[i] - in[i]);
      } else {
        for (std::size_t i = 0; i < n; ++i) {
          std::int64_t v = acc[i] - (self ? (in[i] * g) >> 12 : 0);
          v = (v * lg) >> 12;
          out[i] = audio::saturate(
              static_cast<std::int32_t>(std::clamp<std::int64_t>(v, -32768, 32767)));
        }
      }
    }
  }
  for (auto& p : parties_) p.has_input = false;
}

}  // namespace switchboard::media::mixer
