#include "sdp/codec.hpp"

#include <array>

#include "sdp/tokens.hpp"

namespace switchboard::sdp {
namespace {

struct StaticEntry {
  int payload_type;
  const char* name;
  std::uint32_t clock_rate;
  std::uint32_t channels;
};

// RFC 3551 §6 table 4 and 5 (audio and the common video assignments).
constexpr std::array<StaticEntry, 23> kStatic = {{
    {0, "PCMU", 8000, 1},   {3, "GSM", 8000, 1},    {4, "G723", 8000, 1},   {5, "DVI4", 8000, 1},
    {6, "DVI4", 16000, 1},  {7, "LPC", 8000, 1},    {8, "PCMA", 8000, 1},   {9, "G722", 8000, 1},
    {10, "L16", 44100, 2},  {11, "L16", 44100, 1},  {12, "QCELP", 8000, 1}, {13, "CN", 8000, 1},
    {14, "MPA", 90000, 1},  {15, "G728", 8000, 1},  {16, "DVI4", 11025, 1}, {17, "DVI4", 22050, 1},
    {18, "G729", 8000, 1},  {25, "CelB", 90000, 1}, {26, "JPEG", 90000, 1}, {28, "nv", 90000, 1},
    {31, "H261", 90000, 1}, {32, "MPV", 90000, 1},  {34, "H263", 90000, 1},
}};

}  // namespace

bool CodecSpec::matches(const Codec& codec) const {
  return iequals(name, codec.name) && clock_rate == codec.clock_rate && channels == codec.channels;
}

std::optional<Codec> static_codec(int payload_type) {
  for (const StaticEntry& e : kStatic) {
    if (e.payload_type == payload_type) {
      return Codec{e.payload_type, e.name, e.clock_rate, e.channels, ""};
    }
  }
  return std::nullopt;
}

std::optional<int> static_payload_type(const CodecSpec& spec) {
  for (const StaticEntry& e : kStatic) {
    Codec c{e.payload_type, e.name, e.clock_rate, e.channels, ""};
    if (spec.matches(c)) return e.payload_type;
  }
  return std::nullopt;
}

std::vector<Codec> codecs_of(const MediaDescription& media) {
  std::vector<Codec> out;
  if (!media.is_rtp()) return out;
  for (const std::string& format : media.formats) {
    auto pt = detail::parse_number(format, 127);
    if (!pt) continue;
    int payload_type = static_cast<int>(*pt);
    std::optional<Codec> codec;
    if (const RtpMap* map = media.rtpmap(payload_type)) {
      codec = Codec{payload_type, map->encoding, map->clock_rate, map->channels.value_or(1), ""};
    } else {
      codec = static_codec(payload_type);
    }
    if (!codec) continue;
    if (const std::string* fmtp = media.fmtp(format)) codec->fmtp = *fmtp;
    out.push_back(std::move(*codec));
  }
  return out;
}

const Codec* first_supported(const std::vector<Codec>& offered,
                             const std::vector<CodecSpec>& supported) {
  for (const Codec& codec : offered) {
    if (codec.is_telephone_event()) continue;
    for (const CodecSpec& spec : supported) {
      if (spec.matches(codec)) return &codec;
    }
  }
  return nullptr;
}

const Codec* telephone_event_for(const std::vector<Codec>& offered, std::uint32_t clock_rate) {
  const Codec* any = nullptr;
  for (const Codec& codec : offered) {
    if (!codec.is_telephone_event()) continue;
    if (codec.clock_rate == clock_rate) return &codec;
    if (!any) any = &codec;
  }
  return any;
}

std::vector<CodecSpec> default_codecs() {
  return {{"opus", 48000, 2, ""},
          {"G722", 8000, 1, ""},
          {"PCMU", 8000, 1, ""},
          {"PCMA", 8000, 1, ""},
          {"G729", 8000, 1, "annexb=no"}};
}

std::vector<CodecSpec> terminated_leg_codecs() {
  return {{"PCMU", 8000, 1, ""}, {"PCMA", 8000, 1, ""}};
}

void add_codec(MediaDescription& media, const Codec& codec) {
  std::string format = std::to_string(codec.payload_type);
  media.formats.push_back(format);
  std::optional<std::uint32_t> channels;
  if (codec.channels != 1) channels = codec.channels;
  media.rtpmaps.push_back(RtpMap{codec.payload_type, codec.name, codec.clock_rate, channels});
  if (!codec.fmtp.empty()) media.fmtps.push_back(Fmtp{format, codec.fmtp});
}

}  // namespace switchboard::sdp
