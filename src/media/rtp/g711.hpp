// The direct PCMU <-> PCMA byte tables the relay transcodes with, built
// from the codec layer's G.711 sample conversions (media/codec/g711.hpp),
// which are re-exported here for the relay's callers.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "media/codec/g711.hpp"

namespace switchboard::media::rtp::g711 {

using media::g711::alaw_to_linear;
using media::g711::linear_to_alaw;
using media::g711::linear_to_ulaw;
using media::g711::ulaw_to_linear;

/// 256-entry tables: ulaw_to_alaw()[u] is the A-law code nearest to u's value.
const std::array<std::uint8_t, 256>& ulaw_to_alaw_table();
const std::array<std::uint8_t, 256>& alaw_to_ulaw_table();

/// In place, byte per byte.
void ulaw_to_alaw(std::span<std::uint8_t> samples);
void alaw_to_ulaw(std::span<std::uint8_t> samples);

}  // namespace switchboard::media::rtp::g711
