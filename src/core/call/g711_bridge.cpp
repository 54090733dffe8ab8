#include "core/call/g711_bridge.hpp"

#include <algorithm>

#include "sdp/codec.hpp"

namespace switchboard::core {

namespace {

const sdp::Codec* find_law(const std::vector<sdp::Codec>& codecs, const char* name) {
  for (const auto& c : codecs) {
    if (sdp::iequals(c.name, name) && c.clock_rate == 8000) return &c;
  }
  return nullptr;
}

const char* other_law(const std::string& name) {
  return sdp::iequals(name, "PCMU") ? "PCMA" : "PCMU";
}

bool is_g711(const sdp::Codec& c) {
  return (sdp::iequals(c.name, "PCMU") || sdp::iequals(c.name, "PCMA")) && c.clock_rate == 8000;
}

}  // namespace

void offer_other_g711_law(sdp::SessionDescription& offer) {
  for (auto& m : offer.media) {
    if (m.media != "audio" || m.port == 0 || !m.is_rtp()) continue;
    const auto codecs = sdp::codecs_of(m);
    const bool mu = find_law(codecs, "PCMU") != nullptr;
    const bool a = find_law(codecs, "PCMA") != nullptr;
    if (mu == a) continue;
    const int pt = mu ? 8 : 0;
    const std::string format = std::to_string(pt);
    if (std::find(m.formats.begin(), m.formats.end(), format) != m.formats.end()) continue;
    sdp::add_codec(m, sdp::Codec{pt, mu ? "PCMA" : "PCMU", 8000, 1, ""});
  }
}

std::optional<sdp::SessionDescription> in_offerers_law(const sdp::SessionDescription& offer_from,
                                                       const sdp::SessionDescription& answer) {
  std::optional<sdp::SessionDescription> out;
  const size_t n = std::min(offer_from.media.size(), answer.media.size());
  for (size_t i = 0; i < n; ++i) {
    const auto& am = answer.media[i];
    if (am.media != "audio" || am.port == 0 || !am.is_rtp()) continue;
    const auto answered = sdp::codecs_of(am);
    auto first = std::find_if(answered.begin(), answered.end(),
                              [](const sdp::Codec& c) { return !c.is_telephone_event(); });
    if (first == answered.end() || !is_g711(*first)) continue;
    const auto offered = sdp::codecs_of(offer_from.media[i]);
    if (find_law(offered, first->name.c_str())) continue;  // the offerer has it: no change
    const sdp::Codec* mine = find_law(offered, other_law(first->name));
    if (!mine) continue;
    if (!out) out = answer;
    auto& m = out->media[i];
    const std::string old_format = std::to_string(first->payload_type);
    for (auto& f : m.formats) {
      if (f == old_format) f = std::to_string(mine->payload_type);
    }
    for (auto& r : m.rtpmaps) {
      if (r.payload_type == first->payload_type) {
        r.payload_type = mine->payload_type;
        r.encoding = mine->name;
      }
    }
    if (!m.rtpmap(mine->payload_type)) {
      m.rtpmaps.push_back(sdp::RtpMap{mine->payload_type, mine->name, 8000, std::nullopt});
    }
  }
  return out;
}

}  // namespace switchboard::core
