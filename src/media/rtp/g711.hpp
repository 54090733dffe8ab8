// G.711 µ-law and A-law (ITU-T G.711): sample conversion and the direct
// PCMU <-> PCMA byte tables the relay transcodes with. The relay's own small
// kernel; the codec layer (media/codec) may later provide the same.
#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace switchboard::media::rtp::g711 {

std::int16_t ulaw_to_linear(std::uint8_t u);
std::int16_t alaw_to_linear(std::uint8_t a);
std::uint8_t linear_to_ulaw(std::int16_t pcm);
std::uint8_t linear_to_alaw(std::int16_t pcm);

/// 256-entry tables: ulaw_to_alaw()[u] is the A-law code nearest to u's value.
const std::array<std::uint8_t, 256>& ulaw_to_alaw_table();
const std::array<std::uint8_t, 256>& alaw_to_ulaw_table();

/// In place, byte per byte.
void ulaw_to_alaw(std::span<std::uint8_t> samples);
void alaw_to_ulaw(std::span<std::uint8_t> samples);

}  // namespace switchboard::media::rtp::g711
