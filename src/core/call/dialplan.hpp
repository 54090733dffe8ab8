// The dialplan (config `dialplan.*`): what a dialed string is, by regex,
// first match wins in the order internal, conference, voicemail access,
// parking, queue, external. Patterns are ECMAScript regexes matched against
// the whole string (the config writes them anchored anyway).
#pragma once

#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace switchboard::core {

enum class TargetKind {
  kNone,
  kExtension,
  kConference,
  kVoicemail,
  kParking,
  kQueue,
  kExternal,
  kFeatureCode,  ///< a star code (`*72…` call forwarding), claimed by a router hook
};

const char* to_string(TargetKind k);

struct DialplanPatterns {
  std::string internal, conference, voicemail, parking, queue, external;  ///< "" = off
};

class Dialplan {
 public:
  /// Fails with kInvalidArgument naming the pattern that does not compile.
  static Result<Dialplan> compile(const DialplanPatterns& patterns);

  /// The kind of `dialed`; kNone when nothing matches.
  TargetKind classify(std::string_view dialed) const;

 private:
  struct Rule {
    TargetKind kind;
    std::regex re;
  };
  std::vector<Rule> rules_;
};

}  // namespace switchboard::core
