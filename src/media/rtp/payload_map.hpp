// What the relay does with each payload type arriving from one side on its
// way to the other: pass it (renumbered to the other leg's number for the
// same codec or telephone-event), transcode G.711 (PCMU <-> PCMA), or drop it.
// Built when a side is configured; a 128-entry table on the packet path.
#pragma once

#include <array>
#include <cstdint>

#include "media/rtp/relay_types.hpp"

namespace switchboard::media::rtp {

enum class PayloadAction : std::uint8_t { kDrop, kPass, kUlawToAlaw, kAlawToUlaw };

struct PayloadRoute {
  PayloadAction action = PayloadAction::kDrop;
  std::uint8_t out_pt = 0;          ///< payload type on the other leg
  std::uint32_t clock_rate = 8000;  ///< for jitter of what arrives
  bool telephone_event = false;     ///< RFC 4733: no jitter from its timestamps
};

using PayloadMap = std::array<PayloadRoute, 128>;

/// Routes for packets from a side configured with `from` to one with `to`.
/// Payload types `from` did not negotiate pass unchanged unless `to` uses
/// that number for something else (phones send comfort noise unasked).
PayloadMap build_payload_map(const SideParams& from, const SideParams& to);

/// Same codec: name (case-insensitive), clock rate and channels.
bool same_format(const PayloadFormat& a, const PayloadFormat& b);

}  // namespace switchboard::media::rtp
