// G.711 µ-law and A-law (ITU-T G.711), sample by sample. Written from the
// recommendation's segment tables; decoding goes through 256-entry tables.
#pragma once

#include <array>
#include <bit>
#include <cstdint>

namespace switchboard::media::g711 {

/// µ-law: magnitude + 0x84 bias, clipped at 32635, 8 segments of 16 steps.
constexpr std::uint8_t linear_to_ulaw(std::int16_t pcm) {
  constexpr int kBias = 0x84;
  constexpr int kClip = 32635;
  const int sign = pcm < 0 ? 0x80 : 0x00;
  int mag = pcm < 0 ? -static_cast<int>(pcm) : pcm;
  if (mag > kClip) mag = kClip;
  mag += kBias;  // now in [132, 32767]: the top bit is bit 7..14
  const int exponent = std::bit_width(static_cast<unsigned>(mag)) - 8;  // top bit 7..14 -> 0..7
  const int mantissa = (mag >> (exponent + 3)) & 0x0F;
  return static_cast<std::uint8_t>(~(sign | (exponent << 4) | mantissa));
}

constexpr std::int16_t ulaw_to_linear_calc(std::uint8_t code) {
  constexpr int kBias = 0x84;
  const int u = static_cast<std::uint8_t>(~code);
  const int exponent = (u >> 4) & 0x07;
  const int mag = ((((u & 0x0F) << 3) + kBias) << exponent) - kBias;
  return static_cast<std::int16_t>((u & 0x80) != 0 ? -mag : mag);
}

/// A-law: 12-bit magnitude (16-bit >> 3), segment 0 and 1 share a step of 2,
/// even bits inverted (XOR 0x55), bit 7 set for positive values.
constexpr std::uint8_t linear_to_alaw(std::int16_t pcm) {
  const int mask = pcm >= 0 ? 0xD5 : 0x55;
  const int mag12 = (pcm >= 0 ? pcm : -static_cast<int>(pcm) - 1) >> 3;  // 0..4095
  int code = 0;
  if (mag12 < 32) {
    code = mag12 >> 1;
  } else {
    const int segment = std::bit_width(static_cast<unsigned>(mag12)) - 5;  // 1..7
    code = (segment << 4) | ((mag12 >> segment) & 0x0F);
  }
  return static_cast<std::uint8_t>(code ^ mask);
}

constexpr std::int16_t alaw_to_linear_calc(std::uint8_t code) {
  const int v = code ^ 0x55;
  const int segment = (v >> 4) & 0x07;
  const int mantissa = v & 0x0F;
  const int mag12 =
      segment == 0 ? (mantissa << 1) + 1 : ((mantissa | 0x10) << segment) + (1 << (segment - 1));
  const int mag = mag12 << 3;
  return static_cast<std::int16_t>((v & 0x80) != 0 ? mag : -mag);
}

namespace detail {
template <std::int16_t (*F)(std::uint8_t)>
constexpr std::array<std::int16_t, 256> make_table() {
  std::array<std::int16_t, 256> t{};
  for (int i = 0; i < 256; ++i) t[static_cast<std::size_t>(i)] = F(static_cast<std::uint8_t>(i));
  return t;
}
inline constexpr auto kUlawTable = make_table<ulaw_to_linear_calc>();
inline constexpr auto kAlawTable = make_table<alaw_to_linear_calc>();
}  // namespace detail

inline std::int16_t ulaw_to_linear(std::uint8_t code) {
  return detail::kUlawTable[code];
}
inline std::int16_t alaw_to_linear(std::uint8_t code) {
  return detail::kAlawTable[code];
}

}  // namespace switchboard::media::g711
