#include "core/call/dialplan.hpp"

#include <fmt/format.h>

namespace switchboard::core {

const char* to_string(TargetKind k) {
  switch (k) {
    case TargetKind::kNone:
      return "none";
    case TargetKind::kExtension:
      return "extension";
    case TargetKind::kConference:
      return "conference";
    case TargetKind::kVoicemail:
      return "voicemail";
    case TargetKind::kParking:
      return "parking";
    case TargetKind::kQueue:
      return "queue";
    case TargetKind::kExternal:
      return "external";
    case TargetKind::kFeatureCode:
      return "feature_code";
  }
  return "none";
}

Result<Dialplan> Dialplan::compile(const DialplanPatterns& p) {
  Dialplan d;
  const std::pair<TargetKind, const std::string*> order[] = {
      {TargetKind::kExtension, &p.internal},  {TargetKind::kConference, &p.conference},
      {TargetKind::kVoicemail, &p.voicemail}, {TargetKind::kParking, &p.parking},
      {TargetKind::kQueue, &p.queue},         {TargetKind::kExternal, &p.external}};
  for (const auto& [kind, pattern] : order) {
    if (pattern->empty()) continue;
    try {
      d.rules_.push_back({kind, std::regex(*pattern, std::regex::ECMAScript)});
    } catch (const std::regex_error& e) {
      return make_error(
          ErrorCode::kInvalidArgument,
          fmt::format("dialplan {} pattern \"{}\": {}", to_string(kind), *pattern, e.what()));
    }
  }
  return d;
}

TargetKind Dialplan::classify(std::string_view dialed) const {
  for (const auto& r : rules_) {
    if (std::regex_match(dialed.begin(), dialed.end(), r.re)) return r.kind;
  }
  return TargetKind::kNone;
}

}  // namespace switchboard::core
