#include "sdp/media_rules.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace switchboard::sdp {

bool can_carry(const MediaDescription& m) {
  return m.port != 0 && iequals(m.media, "audio") &&
         (iequals(m.protocol, "RTP/AVP") || iequals(m.protocol, "RTP/AVPF"));
}

std::vector<Codec> supported_codecs(const std::vector<Codec>& offered, const MediaConfig& config) {
  std::vector<Codec> out;
  for (const Codec& codec : offered) {
    if (codec.is_telephone_event()) continue;
    for (const CodecSpec& spec : config.codecs) {
      if (spec.matches(codec)) {
        out.push_back(codec);
        break;
      }
    }
  }
  return out;
}

std::optional<Codec> offered_telephone_event(const std::vector<Codec>& offered,
                                             std::uint32_t clock_rate, const MediaConfig& config) {
  if (!config.telephone_event) return std::nullopt;
  const Codec* te = telephone_event_for(offered, clock_rate);
  if (!te) return std::nullopt;
  Codec out = *te;
  if (out.fmtp.empty()) out.fmtp = config.telephone_event_fmtp;
  return out;
}

std::optional<Codec> new_telephone_event(const std::vector<Codec>& used, std::uint32_t clock_rate,
                                         const MediaConfig& config) {
  if (!config.telephone_event) return std::nullopt;
  auto taken = [&used](int pt) {
    return std::any_of(used.begin(), used.end(),
                       [pt](const Codec& c) { return c.payload_type == pt; });
  };
  int pt = config.telephone_event_payload_type;
  if (pt < 96 || pt > 127 || taken(pt)) {
    pt = -1;
    for (int candidate = 96; candidate <= 127 && pt < 0; ++candidate) {
      if (!taken(candidate)) pt = candidate;
    }
  }
  if (pt < 0) return std::nullopt;
  return Codec{pt, kTelephoneEvent, clock_rate, 1, config.telephone_event_fmtp};
}

void drop_transport_attributes(std::vector<Attribute>& attributes) {
  static constexpr std::array<std::string_view, 16> kTransport = {"candidate",
                                                                  "remote-candidates",
                                                                  "end-of-candidates",
                                                                  "ice-ufrag",
                                                                  "ice-pwd",
                                                                  "ice-options",
                                                                  "ice-lite",
                                                                  "ice-mismatch",
                                                                  "crypto",
                                                                  "fingerprint",
                                                                  "setup",
                                                                  "connection",
                                                                  "ssrc",
                                                                  "ssrc-group",
                                                                  "group",
                                                                  "msid-semantic"};
  std::erase_if(attributes, [](const Attribute& a) {
    return std::any_of(kTransport.begin(), kTransport.end(),
                       [&a](std::string_view t) { return iequals(a.name, std::string(t)); });
  });
}

MediaDescription rejected_line(const MediaDescription& offered) {
  MediaDescription m;
  m.media = offered.media;
  m.port = 0;
  m.protocol = offered.protocol;
  m.formats = offered.formats;
  if (m.formats.empty()) m.formats.push_back(offered.is_rtp() ? "0" : "*");
  return m;
}

SessionDescription local_skeleton(const MediaConfig& config) {
  SessionDescription sd;
  sd.session_name = config.session_name;
  sd.connection = Connection{address_type_of(config.address), config.address};
  return sd;
}

}  // namespace switchboard::sdp
