#include "media/dsp/dtmf_detector.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace switchboard::media::dsp {
namespace {

constexpr std::array<double, 8> kFrequencies = {697, 770, 852, 941, 1209, 1336, 1477, 1633};
constexpr char kKeypad[4][4] = {
    {'1', '2', '3', 'A'}, {'4', '5', '6', 'B'}, {'7', '8', '9', 'C'}, {'*', '0', '#', 'D'}};

double db_to_power_ratio(double db) {
  return std::pow(10.0, db / 10.0);
}

using Vec = float __attribute__((vector_size(32)));

struct BankState {
  Vec s1, s2, energy;
};

// The hot loop: both banks' eight resonators advance by `n` samples, each
// lane fed only inside its own window (mask 1) and its energy summed. Built
// twice, for x86-64-v3 (AVX2, FMA) and for the baseline, and the CPU picks
// at load time; the two banks are independent dependency chains, so the
// core overlaps them.
[[gnu::target_clones("arch=x86-64-v3", "default")]] void goertzel_run(
    const std::int16_t* samples, std::size_t n, const Vec* coeff, const Vec* mask_a,
    const Vec* mask_b, BankState* a, BankState* b) {
  const Vec c = *coeff;
  Vec a1 = a->s1, a2 = a->s2, ae = a->energy;
  Vec b1 = b->s1, b2 = b->s2, be = b->energy;
  for (std::size_t k = 0; k < n; ++k) {
    const float x = samples[k];
    const Vec xa = mask_a[k] * x;
    const Vec xb = mask_b[k] * x;
    const Vec ta = xa - a2;
    const Vec tb = xb - b2;
    a2 = a1;
    b2 = b1;
    a1 = c * a1 + ta;
    b1 = c * b1 + tb;
    ae += xa * xa;
    be += xb * xb;
  }
  *a = {a1, a2, ae};
  *b = {b1, b2, be};
}

}  // namespace

double dbm0_to_amplitude(double dbm0) {
  return 32767.0 * std::pow(10.0, (dbm0 - 3.14) / 20.0);
}

DtmfDetector::DtmfDetector(std::uint32_t sample_rate, Options options)
    : rate_(sample_rate == 16000 ? 16000 : 8000), options_(options), window_(rate_ / 50) {
  // Constant relative resolution: the 697 Hz filter spans the whole window.
  const double cycles = kFrequencies[0] * window_ / rate_;
  masks_.resize(window_);
  for (std::size_t lane = 0; lane < 8; ++lane) {
    const double f = kFrequencies[lane];
    const auto length = static_cast<std::uint32_t>(std::lround(cycles * rate_ / f));
    const std::uint32_t start = (window_ - length) / 2;
    lane_length_[lane] = static_cast<float>(length);
    coeff_[lane] = static_cast<float>(2 * std::cos(2 * std::numbers::pi * f / rate_));
    for (std::uint32_t n = 0; n < window_; ++n) {
      masks_[n][lane] = n >= start && n < start + length ? 1.0f : 0.0f;
    }
  }
  const double amplitude = dbm0_to_amplitude(options_.min_level_dbm0);
  min_power_ = static_cast<float>(amplitude * amplitude / 2);
  normal_twist_ = static_cast<float>(db_to_power_ratio(options_.normal_twist_db));
  reverse_twist_ = static_cast<float>(db_to_power_ratio(options_.reverse_twist_db));
  peak_ratio_ = static_cast<float>(db_to_power_ratio(options_.min_peak_ratio_db));
  banks_[1].pos = window_ / 2;  // the second bank runs half a window behind
}

void DtmfDetector::process(std::span<const std::int16_t> samples, std::vector<DtmfReport>& out) {
  std::size_t i = 0;
  while (i < samples.size()) {
    Bank& a = banks_[0];
    Bank& b = banks_[1];
    const std::size_t run =
        std::min<std::size_t>({samples.size() - i, window_ - a.pos, window_ - b.pos});
    BankState sa{a.s1, a.s2, a.energy};
    BankState sb{b.s1, b.s2, b.energy};
    goertzel_run(samples.data() + i, run, &coeff_, masks_.data() + a.pos, masks_.data() + b.pos,
                 &sa, &sb);
    a.s1 = sa.s1, a.s2 = sa.s2, a.energy = sa.energy;
    b.s1 = sb.s1, b.s2 = sb.s2, b.energy = sb.energy;
    a.pos += static_cast<std::uint32_t>(run);
    b.pos += static_cast<std::uint32_t>(run);
    i += run;
    samples_ += run;
    for (Bank& bank : banks_) {
      if (bank.pos == window_) {
        evaluate(bank, samples_, out);
        bank = Bank{};
      }
    }
  }
}

void DtmfDetector::evaluate(const Bank& bank, std::uint64_t window_end,
                            std::vector<DtmfReport>& out) {
  on_decision(decide(bank), window_end - window_ / 2, out);
}

char DtmfDetector::decide(const Bank& bank) const {
  // Per lane: the tone's mean-square level (2|X|²/N²) and the share of the
  // lane window's energy it holds (2|X|²/(N·E)).
  std::array<float, 8> power{};
  std::array<float, 8> share{};
  for (std::size_t lane = 0; lane < 8; ++lane) {
    const float s1 = bank.s1[lane];
    const float s2 = bank.s2[lane];
    const float x2 = s1 * s1 + s2 * s2 - coeff_[lane] * s1 * s2;
    const float n = lane_length_[lane];
    power[lane] = 2 * x2 / (n * n);
    share[lane] = bank.energy[lane] > 0 ? 2 * x2 / (n * bank.energy[lane]) : 0.0f;
  }
  const auto best_of = [&](std::size_t first) {
    std::size_t best = first;
    for (std::size_t lane = first + 1; lane < first + 4; ++lane) {
      if (power[lane] > power[best]) best = lane;
    }
    return best;
  };
  const std::size_t row = best_of(0);
  const std::size_t col = best_of(4);
  const float pr = power[row];
  const float pc = power[col];
  if (pr < min_power_ || pc < min_power_) return '\0';
  if (pr > pc * normal_twist_ || pc > pr * reverse_twist_) return '\0';
  for (std::size_t lane = 0; lane < 8; ++lane) {
    if (lane == row || lane == col) continue;
    const float best = lane < 4 ? pr : pc;
    if (power[lane] * peak_ratio_ > best) return '\0';
  }
  if (share[row] + share[col] < options_.min_purity) return '\0';
  // Each tone on its own: its level against what is left of its window's
  // mean energy once the other tone is taken out. Off-frequency tones lose
  // level in their filter but not in the energy. (At a tone's edges the
  // windows hold different parts of it; there the test does not apply.)
  const auto alone = [&](std::size_t lane, float other) {
    const float rest = bank.energy[lane] / lane_length_[lane] - other;
    return rest <= power[lane] || power[lane] >= options_.min_purity * rest;
  };
  if (!alone(row, pc) || !alone(col, pr)) return '\0';
  return kKeypad[row][col - 4];
}

void DtmfDetector::on_decision(char digit, std::uint64_t centre, std::vector<DtmfReport>& out) {
  const std::uint64_t half = window_ / 2;
  if (state_ == State::kDigit) {
    if (digit == digit_) {
      count_ = 0;
      last_centre_ = centre;
      return;
    }
    if (++count_ < options_.decisions_to_end) return;
    const auto start = first_centre_ > half ? first_centre_ - half : 0;
    out.push_back({DtmfReport::Kind::kEnd, digit_, static_cast<std::uint32_t>(start),
                   static_cast<std::uint32_t>(last_centre_ + half - start)});
    state_ = State::kIdle;
    candidate_ = '\0';
    count_ = 0;
  }
  if (digit == '\0') {
    candidate_ = '\0';
    count_ = 0;
    return;
  }
  if (digit != candidate_) {
    candidate_ = digit;
    count_ = 0;
    first_centre_ = centre;
  }
  if (++count_ < options_.decisions_to_start) return;
  state_ = State::kDigit;
  digit_ = digit;
  count_ = 0;
  last_centre_ = centre;
  const auto start = first_centre_ > half ? first_centre_ - half : 0;
  out.push_back({DtmfReport::Kind::kStart, digit, static_cast<std::uint32_t>(start), 0});
}

}  // namespace switchboard::media::dsp
