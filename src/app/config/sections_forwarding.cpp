// Call forwarding in the config (issue 7 §3): extensions[].forward (the
// extension's default rules) and features.forwarding_codes. Each target is
// checked against the rest of the config once everything is read: an
// extension that exists (not the extension itself), a queue, `voicemail`,
// or an external number — only for an extension with allow_external, and
// only when the dialplan has an external pattern it matches.
#include <fmt/format.h>

#include <algorithm>
#include <regex>
#include <set>
#include <tuple>

#include "app/config/sections.hpp"

namespace switchboard::app::config {

namespace {

constexpr const char* kVoicemail = "voicemail";

bool valid_target_text(const std::string& t) {
  if (t == kVoicemail) return true;
  if (t.empty() || t.size() > 32) return false;
  return std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool matches(const std::string& pattern, const std::string& text) {
  if (pattern.empty()) return false;
  try {
    return std::regex_match(text, std::regex(pattern, std::regex::ECMAScript));
  } catch (const std::regex_error&) {
    return false;  // parse_dialplan reported it
  }
}

void read_target(Section& f, const char* key, std::string& out, ForwardConfig::Where& where) {
  if (!f.str(key, out)) return;
  const YAML::Mark m = f.mark_of(key);
  where = {m.line, m.column};
  if (!valid_target_text(out)) {
    f.context().error(m, f.path_of(key),
                      "expected an extension, queue or phone number (digits) or \"voicemail\"");
    out.clear();
  }
}

}  // namespace

void parse_forward(Section& ext, ForwardConfig& out) {
  auto f = ext.child("forward");
  if (!f.present()) return;
  read_target(f, "always", out.always, out.always_at);
  read_target(f, "busy", out.busy, out.busy_at);
  read_target(f, "no_answer", out.no_answer, out.no_answer_at);
  f.integer("no_answer_timeout", out.no_answer_timeout, 1, 600);
  f.finish_unknown_keys();
}

void parse_forwarding_codes(Section& s, ForwardingCodesConfig& out) {
  std::set<std::string> seen;
  for (auto [key, field] :
       {std::pair{"set_always", &out.set_always}, std::pair{"clear_always", &out.clear_always},
        std::pair{"set_busy", &out.set_busy}, std::pair{"clear_busy", &out.clear_busy},
        std::pair{"set_no_answer", &out.set_no_answer},
        std::pair{"clear_no_answer", &out.clear_no_answer}}) {
    s.str(key, *field);
    const std::string& code = *field;
    const bool ok = code.size() >= 2 && code.size() <= 8 && (code[0] == '*' || code[0] == '#') &&
                    std::all_of(code.begin() + 1, code.end(),
                                [](char c) { return (c >= '0' && c <= '9') || c == '*'; });
    if (!ok) {
      s.context().error(s.mark_of(key), s.path_of(key),
                        "expected a code starting with * or # followed by digits, e.g. *72");
    } else if (!seen.insert(code).second) {
      s.context().error(s.mark_of(key), s.path_of(key),
                        fmt::format("{} is used for two forwarding codes", code));
    }
  }
  s.finish_unknown_keys();
}

void validate_forwarding(Context& ctx, const Config& c) {
  std::set<std::string> extensions, queues;
  for (const auto& e : c.extensions) extensions.insert(e.number);
  for (const auto& q : c.queues) queues.insert(q.number);
  for (size_t i = 0; i < c.extensions.size(); ++i) {
    const auto& ext = c.extensions[i];
    const auto& f = ext.forward;
    for (auto [key, target, where] :
         {std::tuple{"always", &f.always, &f.always_at}, std::tuple{"busy", &f.busy, &f.busy_at},
          std::tuple{"no_answer", &f.no_answer, &f.no_answer_at}}) {
      const std::string& t = *target;
      if (t.empty() || t == kVoicemail) continue;
      YAML::Mark mark;
      mark.line = where->line;
      mark.column = where->column;
      const std::string path = fmt::format("extensions[{}].forward.{}", i, key);
      auto error = [&](std::string message) { ctx.error(mark, path, std::move(message)); };
      if (t == ext.number) {
        error(fmt::format("extension {} cannot forward to itself", t));
      } else if (extensions.count(t) || queues.count(t)) {
        continue;  // an extension or a queue of this PBX
      } else if (matches(c.dialplan.internal_pattern, t)) {
        error(fmt::format("extension {} is not defined in extensions", t));
      } else if (matches(c.dialplan.queue_pattern, t)) {
        error(fmt::format("queue {} is not defined in queues", t));
      } else if (!ext.allow_external) {
        error(fmt::format("{} is an external number and extension {} has allow_external: false", t,
                          ext.number));
      } else if (c.dialplan.external_pattern.empty()) {
        error(fmt::format("{} is an external number but dialplan.external_pattern is not set", t));
      } else if (!matches(c.dialplan.external_pattern, t)) {
        error(fmt::format("{} does not match dialplan.external_pattern", t));
      }
    }
  }
}

}  // namespace switchboard::app::config
