#include "sip/token_list.hpp"

#include "sip/grammar.hpp"

namespace switchboard::sip {

Status parse_token_list(std::string_view value, std::vector<std::string_view>& out) {
  if (grammar::trim(value).empty()) return Status::Ok();
  const bool ok = grammar::for_each_comma_item(value, [&](std::string_view item) {
    const std::size_t n = grammar::token_length(item);
    if (n == 0) return false;
    std::string_view rest = item.substr(n);
    ParamList ignored;
    if (!parse_header_params(rest, ignored) || !rest.empty()) return false;
    out.push_back(item.substr(0, n));
    return true;
  });
  if (!ok) return make_error(ErrorCode::kInvalidArgument, "Bad Token List");
  return Status::Ok();
}

bool MediaType::matches(std::string_view t, std::string_view st) const {
  if (type == "*") return true;
  if (!grammar::iequals(type, t)) return false;
  return subtype == "*" || grammar::iequals(subtype, st);
}

Result<MediaType> parse_media_type(std::string_view value) {
  MediaType mt;
  std::string_view s = grammar::trim(value);
  std::size_t n = grammar::token_length(s);
  mt.type = s.substr(0, n);
  s = grammar::trim_left(s.substr(n));
  if (mt.type.empty() || s.empty() || s[0] != '/') {
    return make_error(ErrorCode::kInvalidArgument, "Bad Media Type");
  }
  s = grammar::trim_left(s.substr(1));
  n = grammar::token_length(s);
  mt.subtype = s.substr(0, n);
  s = s.substr(n);
  if (mt.subtype.empty() || !parse_header_params(s, mt.params) || !s.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "Bad Media Type");
  }
  return mt;
}

Status parse_media_type_list(std::string_view value, std::vector<MediaType>& out) {
  if (grammar::trim(value).empty()) return Status::Ok();
  const bool ok = grammar::for_each_comma_item(value, [&](std::string_view item) {
    Result<MediaType> mt = parse_media_type(item);
    if (!mt.ok()) return false;
    out.push_back(std::move(*mt));
    return true;
  });
  if (!ok) return make_error(ErrorCode::kInvalidArgument, "Bad Accept");
  return Status::Ok();
}

}  // namespace switchboard::sip
