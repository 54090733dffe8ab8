// The subject of a voicemail e-mail from voicemail.email.subject_template:
// "{name}" placeholders replaced by the message's fields. A template naming
// an unknown placeholder is refused up front (a typo would otherwise reach
// every recipient); "{{" and "}}" are literal braces.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace switchboard::features::mail {

/// Placeholder name → value ("caller_id" → "1002").
using TemplateValues = std::map<std::string, std::string, std::less<>>;

/// The placeholders a subject may use.
bool is_known_placeholder(std::string_view name);

/// kInvalidArgument naming the first unknown placeholder or unbalanced brace.
Status check_template(std::string_view text);

/// The template with every placeholder replaced. Values are put on one line
/// (CR, LF and other control characters become spaces) so a caller name can
/// never start a new mail header. Assumes check_template() passed; anything
/// it would refuse is copied as is.
std::string render_template(std::string_view text, const TemplateValues& values);

/// `text` with control characters replaced by spaces.
std::string one_line(std::string_view text);

}  // namespace switchboard::features::mail
