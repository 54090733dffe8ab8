// The DTMF receiver battery (issue 6, after ITU-T Q.24 and Bellcore
// practice): every line is a set of generated trials run through our
// Goertzel detector at 8 and 16 kHz and through spandsp's dtmf_rx (8 kHz,
// default parameters) as the reference. Ours must meet the requirement and
// match or beat spandsp on every line. The table it prints is the one in
// docs/PERFORMANCE.md.
//
// Levels: dBm0 as in G.711 A-law, 0 dBm0 = a sine 3.14 dB below full scale
// (dsp::dbm0_to_amplitude), the same convention spandsp uses for its own
// levels. Twist: "normal" = the low (row) group louder than the high
// (column) group, "reverse" = the high group louder.
#include <gtest/gtest.h>
#include <spandsp.h>

#include <functional>
#include <iostream>

#include "media/codec/g711.hpp"  // header-only
#include "media/dsp/dtmf_detector.hpp"
#include "media/dsp/tones.hpp"
#include "unit/media/dsp/signals.hpp"

namespace switchboard::media {
namespace {

using test::dtmf_signal;
using test::DtmfParams;
using test::kDigits;

std::string detect_ours(const std::vector<std::int16_t>& x, std::uint32_t rate) {
  dsp::DtmfDetector detector(rate);
  std::vector<dsp::DtmfReport> reports;
  const std::size_t frame = rate / 50;
  for (std::size_t pos = 0; pos < x.size(); pos += frame) {
    detector.process(std::span(x).subspan(pos, std::min(frame, x.size() - pos)), reports);
  }
  std::string digits;
  for (const auto& r : reports) {
    if (r.kind == dsp::DtmfReport::Kind::kStart) digits += r.digit;
  }
  return digits;
}

std::string detect_spandsp(const std::vector<std::int16_t>& x) {
  std::string digits;
  dtmf_rx_state_t* rx = dtmf_rx_init(
      nullptr,
      [](void* user, const char* d, int len) { static_cast<std::string*>(user)->append(d, len); },
      &digits);
  for (std::size_t pos = 0; pos < x.size(); pos += 160) {
    dtmf_rx(rx, x.data() + pos, static_cast<int>(std::min<std::size_t>(160, x.size() - pos)));
  }
  dtmf_rx_free(rx);
  return digits;
}

struct Trial {
  std::vector<std::int16_t> signal;
  std::string expected;  // "" = must not detect anything
};

struct Line {
  const char* name;
  const char* requirement;
  bool talk_off;  // scored as digits falsely detected, else as trials right
  std::function<std::vector<Trial>(std::uint32_t rate)> trials;
};

std::vector<Trial> per_digit(const DtmfParams& p, std::uint32_t rate, int repeat = 1,
                             bool expect = true) {
  std::vector<Trial> trials;
  int i = 0;
  for (const char d : std::string(kDigits)) {
    const std::string digits(static_cast<std::size_t>(repeat), d);
    DtmfParams shifted = p;  // each digit at another phase of the 10 ms decisions
    shifted.lead_us = (i++ * 6133) % 10000;
    trials.push_back({dtmf_signal(digits, shifted, rate), expect ? digits : ""});
  }
  return trials;
}

std::vector<Trial> offsets(double offset, std::uint32_t rate) {
  std::vector<Trial> trials;
  for (const auto& [lo, hi] :
       {std::pair{1, 1}, {-1, -1}, {1, -1}, {-1, 1}, {1, 0}, {0, 1}, {-1, 0}, {0, -1}}) {
    DtmfParams p;
    p.low_offset = lo * offset;
    p.high_offset = hi * offset;
    auto more = per_digit(p, rate, 1, offset < 0.02);
    trials.insert(trials.end(), more.begin(), more.end());
  }
  return trials;
}

std::vector<Trial> tone_plan(dsp::ToneKind kind, double seconds, std::uint32_t rate) {
  std::vector<Trial> trials;
  for (const auto region : {dsp::ToneRegion::kUs, dsp::ToneRegion::kEu}) {
    dsp::ToneGenerator generator(dsp::tone_spec(region, kind), rate);
    std::vector<std::int16_t> x(static_cast<std::size_t>(seconds * rate));
    generator.generate(x);
    trials.push_back({std::move(x), ""});
  }
  return trials;
}

constexpr const char* kText =
    "Thank you for calling. All of our agents are busy helping other customers, so please stay "
    "on the line and your call will be answered in the order it was received. If you know the "
    "extension of the person you are trying to reach, you may dial it at any time. For sales, "
    "press one. For support, press two. To leave a message for the operator, press zero. "
    "The quick brown fox jumps over the lazy dog, while six sharp sheep sleep soundly in the "
    "shade. Peter Piper picked a peck of pickled peppers; how many pickled peppers did Peter "
    "Piper pick? She sells sea shells by the sea shore, and the shells she sells are surely "
    "sea shells. On Tuesday, the twenty third of March, at half past nine in the evening, "
    "a meeting of the board will consider the budget for the coming year, including eight "
    "hundred and forty seven thousand dollars for new equipment, telephones, and cabling. "
    "Whistling, singing, humming and laughing are all part of ordinary conversation; a good "
    "receiver must hear the digits and ignore the voice. Hello? Hello! Can you hear me now? "
    "Yes, I can hear you very well, thank you. Please hold while I transfer you.";

std::vector<Trial> speech_trials(std::uint32_t rate) {
  std::vector<Trial> trials;
  for (const auto& [voice, speed, pitch] : {std::tuple{"en", 160, 50},
                                            {"en-us", 190, 80},
                                            {"en-gb", 130, 20},
                                            {"de", 170, 65},
                                            {"fr", 170, 35},
                                            {"es", 180, 90},
                                            {"en+f3", 170, 80},
                                            {"en+f3", 150, 95},
                                            {"en+m7", 170, 20},
                                            {"it", 170, 60},
                                            {"nl", 170, 40},
                                            {"pl", 170, 70}}) {
    auto x = test::speech(kText, voice, speed, pitch, rate);
    if (!x.empty()) trials.push_back({std::move(x), ""});
  }
  return trials;
}

const std::vector<Line>& battery() {
  static const std::vector<Line> lines = {
      {"All 16 digits, -10 dBm0, 100 ms on/100 ms off", "16/16", false,
       [](auto rate) { return per_digit({}, rate); }},
      {"Frequency offset ±1.5 % (8 combinations per digit)", "accept 128/128", false,
       [](auto rate) { return offsets(0.015, rate); }},
      {"Frequency offset ±3.5 % (8 combinations per digit)", "reject 128/128", false,
       [](auto rate) { return offsets(0.035, rate); }},
      {"Normal twist 8 dB (low -8, high -16 dBm0)", "accept 16/16", false,
       [](auto rate) {
         return per_digit({-8, -16}, rate);
       }},
      {"Reverse twist 4 dB (low -12, high -8 dBm0)", "accept 16/16", false,
       [](auto rate) {
         return per_digit({-12, -8}, rate);
       }},
      {"40 ms on/60 ms off (10 digits/s), each digit twice", "accept 16/16", false,
       [](auto rate) {
         return per_digit({-10, -10, 0, 0, 40, 60}, rate, 2);
       }},
      {"40 ms on/40 ms off, each digit twice", "accept 16/16", false,
       [](auto rate) {
         return per_digit({-10, -10, 0, 0, 40, 40}, rate, 2);
       }},
      {"20 ms on/80 ms off, each digit 3 times", "reject 16/16", false,
       [](auto rate) {
         return per_digit({-10, -10, 0, 0, 20, 80}, rate, 3, false);
       }},
      {"20 ms on/20 ms off, each digit 3 times", "reject 16/16", false,
       [](auto rate) {
         return per_digit({-10, -10, 0, 0, 20, 20}, rate, 3, false);
       }},
      {"-26 dBm0 per tone", "accept 16/16", false,
       [](auto rate) {
         return per_digit({-26, -26}, rate);
       }},
      {"-26 dBm0 per tone through G.711 µ-law", "accept 16/16", false,
       [](auto rate) {
         auto trials = per_digit({-26, -26}, rate);
         for (auto& t : trials) {
           for (auto& v : t.signal) v = g711::ulaw_to_linear(g711::linear_to_ulaw(v));
         }
         return trials;
       }},
      {"15 dB SNR white noise, -10 dBm0 tones (4 seeds)", "accept 64/64", false,
       [](auto rate) {
         std::vector<Trial> trials;
         for (unsigned seed = 1; seed <= 4; ++seed) {
           for (auto& t : per_digit({}, rate)) {
             test::add_noise(t.signal, 15.0, seed * 100 + static_cast<unsigned>(t.expected[0]));
             trials.push_back(std::move(t));
           }
         }
         return trials;
       }},
      {"Dial tone US+EU, 30 s each", "0 false digits", true,
       [](auto rate) { return tone_plan(dsp::ToneKind::kDial, 30, rate); }},
      {"Ringback US+EU, 60 s each", "0 false digits", true,
       [](auto rate) { return tone_plan(dsp::ToneKind::kRingback, 60, rate); }},
      {"Busy US+EU, 30 s each", "0 false digits", true,
       [](auto rate) { return tone_plan(dsp::ToneKind::kBusy, 30, rate); }},
      {"Music: synthesized chords and melody, 5 min", "0 false digits", true,
       [](auto rate) {
         std::vector<Trial> trials;
         for (unsigned seed = 1; seed <= 5; ++seed)
           trials.push_back({test::music(60, rate, seed), ""});
         return trials;
       }},
      {"Speech: espeak-ng, 12 voices", "0 false digits", true,
       [](auto rate) { return speech_trials(rate); }},
  };
  return lines;
}

struct Score {
  int value = 0;
  int total = 0;
  double seconds = 0;
};

Score score(const Line& line, const std::vector<Trial>& trials, std::uint32_t rate,
            const std::function<std::string(const std::vector<std::int16_t>&)>& detect) {
  Score s;
  for (const Trial& t : trials) {
    const std::string got = detect(t.signal);
    s.seconds += static_cast<double>(t.signal.size()) / rate;
    ++s.total;
    if (line.talk_off) {
      s.value += static_cast<int>(got.size());
    } else if (got == t.expected) {
      ++s.value;
    }
  }
  return s;
}

std::string show(const Line& line, const Score& s) {
  if (line.talk_off) return std::to_string(s.value);
  return std::to_string(s.value) + "/" + std::to_string(s.total);
}

class DtmfBattery : public ::testing::TestWithParam<std::size_t> {};

TEST_P(DtmfBattery, OursMeetsTheLineAndMatchesOrBeatsSpandsp) {
  const Line& line = battery()[GetParam()];
  const auto trials8 = line.trials(8000);
  const auto trials16 = line.trials(16000);
  const Score ours8 =
      score(line, trials8, 8000, [](const auto& x) { return detect_ours(x, 8000); });
  const Score ours16 =
      score(line, trials16, 16000, [](const auto& x) { return detect_ours(x, 16000); });
  const Score spandsp = score(line, trials8, 8000, [](const auto& x) { return detect_spandsp(x); });
  if (ours8.total == 0) GTEST_SKIP() << "no signal (espeak-ng or sox missing)";
  std::cout << "| " << line.name << " | " << line.requirement << " | " << show(line, ours8) << " | "
            << show(line, ours16) << " | " << show(line, spandsp) << " | "
            << static_cast<int>(ours8.seconds) << " s |\n";
  if (line.talk_off) {
    EXPECT_EQ(ours8.value, 0);
    EXPECT_EQ(ours16.value, 0);
    EXPECT_LE(ours8.value, spandsp.value);
  } else {
    EXPECT_EQ(ours8.value, ours8.total);
    EXPECT_EQ(ours16.value, ours16.total);
    EXPECT_GE(ours8.value, spandsp.value);
  }
}

INSTANTIATE_TEST_SUITE_P(Lines, DtmfBattery, ::testing::Range<std::size_t>(0, 17),
                         [](const auto& info) {
                           std::string name;
                           for (const char c : std::string(battery()[info.param].name)) {
                             if (std::isalnum(static_cast<unsigned char>(c))) name += c;
                             if (name.size() >= 40) break;
                           }
                           return std::to_string(info.param) + "_" + name;
                         });

TEST(DtmfBattery, TableHasSeventeenLines) {
  EXPECT_EQ(battery().size(), 17u);
}

}  // namespace
}  // namespace switchboard::media
