#include "media/rtp/g711.hpp"

namespace switchboard::media::rtp::g711 {
namespace {

constexpr int kUlawBias = 0x84;
constexpr int kUlawClip = 32635;

constexpr std::int16_t ulaw_decode(std::uint8_t code) {
  int u = static_cast<std::uint8_t>(~code);
  int t = ((u & 0x0F) << 3) + kUlawBias;
  t <<= (u & 0x70) >> 4;
  return static_cast<std::int16_t>((u & 0x80) ? (kUlawBias - t) : (t - kUlawBias));
}

constexpr std::int16_t alaw_decode(std::uint8_t code) {
  int a = code ^ 0x55;
  int t = (a & 0x0F) << 4;
  int seg = (a & 0x70) >> 4;
  if (seg == 0) {
    t += 8;
  } else {
    t += 0x108;
    t <<= seg - 1;
  }
  return static_cast<std::int16_t>((a & 0x80) ? t : -t);
}

constexpr std::uint8_t ulaw_encode(std::int16_t sample) {
  int pcm = sample;
  int sign = 0;
  if (pcm < 0) {
    pcm = -pcm;
    sign = 0x80;
  }
  if (pcm > kUlawClip) pcm = kUlawClip;
  pcm += kUlawBias;
  int exponent = 7;
  for (int mask = 0x4000; (pcm & mask) == 0 && exponent > 0; mask >>= 1) --exponent;
  int mantissa = (pcm >> (exponent + 3)) & 0x0F;
  return static_cast<std::uint8_t>(~(sign | (exponent << 4) | mantissa));
}

constexpr std::uint8_t alaw_encode(std::int16_t sample) {
  int pcm = sample >> 3;  // 13-bit
  int mask = 0xD5;
  if (pcm < 0) {
    mask = 0x55;
    pcm = -pcm - 1;
  }
  constexpr int kSegEnd[8] = {0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF};
  int seg = 0;
  while (seg < 8 && pcm > kSegEnd[seg]) ++seg;
  if (seg >= 8) return static_cast<std::uint8_t>(0x7F ^ mask);
  int aval = seg << 4;
  aval |= (seg < 2) ? ((pcm >> 1) & 0x0F) : ((pcm >> seg) & 0x0F);
  return static_cast<std::uint8_t>(aval ^ mask);
}

constexpr std::array<std::uint8_t, 256> make_u2a() {
  std::array<std::uint8_t, 256> t{};
  for (int i = 0; i < 256; ++i) t[i] = alaw_encode(ulaw_decode(static_cast<std::uint8_t>(i)));
  return t;
}

constexpr std::array<std::uint8_t, 256> make_a2u() {
  std::array<std::uint8_t, 256> t{};
  for (int i = 0; i < 256; ++i) t[i] = ulaw_encode(alaw_decode(static_cast<std::uint8_t>(i)));
  return t;
}

constexpr std::array<std::uint8_t, 256> kU2A = make_u2a();
constexpr std::array<std::uint8_t, 256> kA2U = make_a2u();

}  // namespace

std::int16_t ulaw_to_linear(std::uint8_t u) {
  return ulaw_decode(u);
}
std::int16_t alaw_to_linear(std::uint8_t a) {
  return alaw_decode(a);
}
std::uint8_t linear_to_ulaw(std::int16_t pcm) {
  return ulaw_encode(pcm);
}
std::uint8_t linear_to_alaw(std::int16_t pcm) {
  return alaw_encode(pcm);
}

const std::array<std::uint8_t, 256>& ulaw_to_alaw_table() {
  return kU2A;
}
const std::array<std::uint8_t, 256>& alaw_to_ulaw_table() {
  return kA2U;
}

void ulaw_to_alaw(std::span<std::uint8_t> samples) {
  for (auto& s : samples) s = kU2A[s];
}
void alaw_to_ulaw(std::span<std::uint8_t> samples) {
  for (auto& s : samples) s = kA2U[s];
}

}  // namespace switchboard::media::rtp::g711
