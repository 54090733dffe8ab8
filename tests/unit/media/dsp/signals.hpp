// Generated test signals for the DTMF battery and the tone tests: DTMF
// digits with chosen levels, twist, frequency offsets and timing; white
// noise; tone plans; synthesized music; espeak-ng speech (made at run time
// with the Debian espeak-ng and sox programs, never stored in git).
#pragma once

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "media/dsp/dtmf_detector.hpp"

namespace switchboard::media::test {

inline constexpr const char* kDigits = "123A456B789C*0#D";

inline std::pair<double, double> dtmf_frequencies(char digit) {
  static constexpr double kRows[] = {697, 770, 852, 941};
  static constexpr double kCols[] = {1209, 1336, 1477, 1633};
  const std::string keys = kDigits;
  const auto i = keys.find(digit);
  return {kRows[i / 4], kCols[i % 4]};
}

struct DtmfParams {
  double low_dbm0 = -10;   // row (low group) tone level
  double high_dbm0 = -10;  // column (high group) tone level
  double low_offset = 0;   // relative frequency error, 0.015 = +1.5 %
  double high_offset = 0;
  int on_ms = 100;
  int off_ms = 100;
  int lead_us = 0;  // extra silence first, so tones fall anywhere in a detector's blocks
};

/// Digits one after another: off_ms of silence, then on_ms of the two tones.
inline std::vector<std::int16_t> dtmf_signal(const std::string& digits, const DtmfParams& p,
                                             std::uint32_t rate) {
  std::vector<std::int16_t> out(static_cast<std::size_t>(p.lead_us) * rate / 1000000, 0);
  const auto n_on = static_cast<std::size_t>(p.on_ms) * rate / 1000;
  const auto n_off = static_cast<std::size_t>(p.off_ms) * rate / 1000;
  const double a_low = dsp::dbm0_to_amplitude(p.low_dbm0);
  const double a_high = dsp::dbm0_to_amplitude(p.high_dbm0);
  for (const char d : digits) {
    out.insert(out.end(), n_off, 0);
    const auto [fl, fh] = dtmf_frequencies(d);
    const double wl = 2 * std::numbers::pi * fl * (1 + p.low_offset) / rate;
    const double wh = 2 * std::numbers::pi * fh * (1 + p.high_offset) / rate;
    for (std::size_t i = 0; i < n_on; ++i) {
      const double v = a_low * std::sin(wl * static_cast<double>(i)) +
                       a_high * std::sin(wh * static_cast<double>(i));
      out.push_back(static_cast<std::int16_t>(std::lround(v)));
    }
  }
  out.insert(out.end(), n_off + rate / 10, 0);
  return out;
}

inline std::int16_t clip(double v) {
  return static_cast<std::int16_t>(std::lround(std::clamp(v, -32768.0, 32767.0)));
}

/// Adds white Gaussian noise `snr_db` below the signal's mean power over
/// its tone parts (the samples that are not zero).
inline void add_noise(std::vector<std::int16_t>& x, double snr_db, unsigned seed) {
  double sum = 0;
  std::size_t active = 0;
  for (const auto v : x) {
    if (v != 0) {
      sum += static_cast<double>(v) * v;
      ++active;
    }
  }
  const double sigma = std::sqrt(sum / static_cast<double>(active) / std::pow(10.0, snr_db / 10));
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0.0, sigma);
  for (auto& v : x) v = clip(v + noise(rng));
}

/// "Music": a melody over chords of sawtooth-like notes (8 harmonics) from
/// an equal-tempered scale, notes of 60-400 ms, with an attack/decay
/// envelope, about -12 dBm0 overall. Deterministic for a seed.
inline std::vector<std::int16_t> music(double seconds, std::uint32_t rate, unsigned seed) {
  std::mt19937 rng(seed);
  const auto total = static_cast<std::size_t>(seconds * rate);
  std::vector<double> mix(total, 0.0);
  const auto note_hz = [](int semitone) { return 220.0 * std::pow(2.0, semitone / 12.0); };
  const auto add_note = [&](std::size_t start, std::size_t length, double f, double amp) {
    for (int h = 1; h <= 8; ++h) {
      const double fh = f * h;
      if (fh > rate / 2.2) break;
      const double w = 2 * std::numbers::pi * fh / rate;
      for (std::size_t i = 0; i < length && start + i < total; ++i) {
        const double t = static_cast<double>(i) / rate;
        const double env = std::min(1.0, t / 0.01) * std::exp(-3.0 * t);
        mix[start + i] += amp / h * env * std::sin(w * static_cast<double>(i));
      }
    }
  };
  static constexpr int kScale[] = {0, 2, 4, 5, 7, 9, 11, 12, 14, 16, 17, 19, 21, 23, 24};
  std::uniform_int_distribution<int> pick(0, 14);
  std::uniform_int_distribution<int> len_ms(60, 400);
  for (std::size_t pos = 0; pos < total;) {
    const auto len = static_cast<std::size_t>(len_ms(rng)) * rate / 1000;
    const int root = kScale[pick(rng) % 7];
    for (const int interval : {0, 4, 7})
      add_note(pos, len * 2, note_hz(root + interval - 12), 2500);
    add_note(pos, len, note_hz(kScale[pick(rng)] + 12), 3500);
    pos += len;
  }
  std::vector<std::int16_t> out(total);
  for (std::size_t i = 0; i < total; ++i) out[i] = clip(mix[i]);
  return out;
}

/// Speech of `text` by espeak-ng (voice, speed in words/min, pitch 0-99),
/// converted by sox to 16-bit mono at `rate`; empty when either program is
/// missing.
inline std::vector<std::int16_t> speech(const std::string& text, const std::string& voice,
                                        int speed, int pitch, std::uint32_t rate) {
  const auto dir = std::filesystem::temp_directory_path();
  const auto stem = "sb_talkoff_" + std::to_string(::getpid()) + "_" + voice + "_" +
                    std::to_string(speed) + "_" + std::to_string(pitch) + "_" +
                    std::to_string(rate);
  const auto txt = dir / (stem + ".txt");
  const auto wav = dir / (stem + ".wav");
  const auto raw = dir / (stem + ".raw");
  std::ofstream(txt) << text;
  const std::string cmd = "espeak-ng -v " + voice + " -s " + std::to_string(speed) + " -p " +
                          std::to_string(pitch) + " -f " + txt.string() + " -w " + wav.string() +
                          " 2>/dev/null && sox " + wav.string() +
                          " -t raw -e signed -b 16 -c 1 -r " + std::to_string(rate) + " " +
                          raw.string() + " 2>/dev/null";
  std::vector<std::int16_t> out;
  if (std::system(cmd.c_str()) == 0) {
    std::ifstream in(raw, std::ios::binary);
    in.seekg(0, std::ios::end);
    out.resize(static_cast<std::size_t>(in.tellg()) / 2);
    in.seekg(0);
    in.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(out.size() * 2));
  }
  std::filesystem::remove(txt);
  std::filesystem::remove(wav);
  std::filesystem::remove(raw);
  return out;
}

}  // namespace switchboard::media::test
