#include "sip/dialog_headers.hpp"

#include "sip/cseq.hpp"
#include "sip/grammar.hpp"

namespace switchboard::sip {

Result<Replaces> parse_replaces(std::string_view value) {
  Replaces r;
  const std::string_view s = grammar::trim(value);
  const std::size_t semi = s.find(';');
  Result<std::string_view> call_id = parse_call_id(s.substr(0, semi));
  if (!call_id.ok() || semi == std::string_view::npos) {
    return make_error(ErrorCode::kInvalidArgument, "Bad Replaces");
  }
  r.call_id = *call_id;
  std::string_view rest = s.substr(semi);
  if (!parse_header_params(rest, r.params) || !rest.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "Bad Replaces");
  }
  const auto to_tag = r.params.get("to-tag");
  const auto from_tag = r.params.get("from-tag");
  if (!to_tag || !from_tag) return make_error(ErrorCode::kInvalidArgument, "Bad Replaces");
  r.to_tag = *to_tag;
  r.from_tag = *from_tag;
  r.early_only = r.params.has("early-only");
  return r;
}

Result<SessionExpires> parse_session_expires(std::string_view value) {
  SessionExpires se;
  std::string_view s = grammar::trim(value);
  std::size_t i = 0;
  while (i < s.size() && grammar::is_digit(s[i])) ++i;
  Result<std::uint32_t> delta = parse_delta_seconds(s.substr(0, i));
  s = s.substr(i);
  if (!delta.ok() || !parse_header_params(s, se.params) || !s.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "Bad Session-Expires");
  }
  se.delta_seconds = *delta;
  if (const auto r = se.params.get("refresher")) {
    if (grammar::iequals(*r, "uac")) {
      se.refresher = Refresher::kUac;
    } else if (grammar::iequals(*r, "uas")) {
      se.refresher = Refresher::kUas;
    } else {
      return make_error(ErrorCode::kInvalidArgument, "Bad Session-Expires");
    }
  }
  return se;
}

}  // namespace switchboard::sip
