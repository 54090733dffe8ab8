#include "media/rtp/payload_map.hpp"

#include <strings.h>

namespace switchboard::media::rtp {
namespace {

bool named(const PayloadFormat& f, const char* name) {
  return strcasecmp(f.name.c_str(), name) == 0 && f.clock_rate == 8000 && f.channels == 1;
}

bool valid_pt(int pt) {
  return pt >= 0 && pt < 128;
}

}  // namespace

bool same_format(const PayloadFormat& a, const PayloadFormat& b) {
  return strcasecmp(a.name.c_str(), b.name.c_str()) == 0 && a.clock_rate == b.clock_rate &&
         a.channels == b.channels;
}

PayloadMap build_payload_map(const SideParams& from, const SideParams& to) {
  PayloadMap map{};
  std::array<bool, 128> used_by_to{};
  for (const auto& c : to.codecs)
    if (valid_pt(c.payload_type)) used_by_to[c.payload_type] = true;
  if (to.telephone_event && valid_pt(to.telephone_event->payload_type))
    used_by_to[to.telephone_event->payload_type] = true;

  // Unknown payload types: pass unchanged where that cannot be misread.
  for (int pt = 0; pt < 128; ++pt) {
    if (!used_by_to[pt])
      map[pt] = {PayloadAction::kPass, static_cast<std::uint8_t>(pt), 8000, false};
  }

  const PayloadFormat* to_pcmu = nullptr;
  const PayloadFormat* to_pcma = nullptr;
  for (const auto& c : to.codecs) {
    if (!to_pcmu && named(c, "PCMU")) to_pcmu = &c;
    if (!to_pcma && named(c, "PCMA")) to_pcma = &c;
  }

  for (const auto& c : from.codecs) {
    if (!valid_pt(c.payload_type)) continue;
    PayloadRoute route{PayloadAction::kDrop, 0, c.clock_rate, false};
    const PayloadFormat* same = nullptr;
    for (const auto& t : to.codecs)
      if (valid_pt(t.payload_type) && same_format(c, t)) {
        same = &t;
        break;
      }
    if (same) {
      route.action = PayloadAction::kPass;
      route.out_pt = static_cast<std::uint8_t>(same->payload_type);
    } else if (named(c, "PCMU") && to_pcma) {
      route.action = PayloadAction::kUlawToAlaw;
      route.out_pt = static_cast<std::uint8_t>(to_pcma->payload_type);
    } else if (named(c, "PCMA") && to_pcmu) {
      route.action = PayloadAction::kAlawToUlaw;
      route.out_pt = static_cast<std::uint8_t>(to_pcmu->payload_type);
    }
    map[c.payload_type] = route;
  }

  if (from.telephone_event && valid_pt(from.telephone_event->payload_type)) {
    PayloadRoute route{PayloadAction::kDrop, 0, from.telephone_event->clock_rate, true};
    if (to.telephone_event && valid_pt(to.telephone_event->payload_type)) {
      route.action = PayloadAction::kPass;
      route.out_pt = static_cast<std::uint8_t>(to.telephone_event->payload_type);
    }
    map[from.telephone_event->payload_type] = route;
  }
  return map;
}

}  // namespace switchboard::media::rtp
