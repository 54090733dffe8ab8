#include "media/codec/codec.hpp"

#include <cctype>

#include "media/codec/codec_impl.hpp"

namespace switchboard::media {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

const std::vector<CodecInfo>& supported_codecs() {
  static const std::vector<CodecInfo> kCodecs = {
      {"opus", -1, 48000, 2, 48000}, {"G722", 9, 8000, 1, 16000}, {"PCMU", 0, 8000, 1, 8000},
      {"PCMA", 8, 8000, 1, 8000},    {"G729", 18, 8000, 1, 8000},
  };
  return kCodecs;
}

Result<const CodecInfo*> find_codec(std::string_view name, std::uint32_t clock_rate) {
  for (const CodecInfo& info : supported_codecs()) {
    if (iequals(info.name, name) && (clock_rate == 0 || clock_rate == info.clock_rate)) {
      return &info;
    }
  }
  return Error{ErrorCode::kNotFound, "no codec " + std::string(name) +
                                         (clock_rate != 0 ? "/" + std::to_string(clock_rate) : "")};
}

Result<std::unique_ptr<Codec>> make_codec(std::string_view name, std::uint32_t clock_rate) {
  auto found = find_codec(name, clock_rate);
  if (!found) return found.error();
  const CodecInfo& info = **found;
  std::unique_ptr<Codec> codec;
  if (info.name == "PCMU") codec = detail::make_pcmu(info);
  if (info.name == "PCMA") codec = detail::make_pcma(info);
  if (info.name == "G722") codec = detail::make_g722(info);
  if (info.name == "opus") codec = detail::make_opus(info);
  if (info.name == "G729") codec = detail::make_g729(info);
  if (!codec) return Error{ErrorCode::kInternal, "codec table and factory disagree"};
  return codec;
}

}  // namespace switchboard::media
