#include "sip/cseq.hpp"

#include "sip/grammar.hpp"

namespace switchboard::sip {
namespace {

// word = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" /
//        "~" / "(" / ")" / "<" / ">" / ":" / "\" / DQUOTE / "/" / "[" / "]" /
//        "?" / "{" / "}")   -- "%" and "\" and DQUOTE are plain characters here
bool is_word_char(char c) {
  return grammar::is_token_char(c) ||
         std::string_view("()<>:\\\"/[]?{}").find(c) != std::string_view::npos;
}

bool is_word(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_word_char(c)) return false;
  }
  return true;
}

}  // namespace

Result<CSeq> parse_cseq(std::string_view value) {
  const std::string_view s = grammar::trim(value);
  std::size_t i = 0;
  while (i < s.size() && grammar::is_digit(s[i])) ++i;
  std::uint64_t n = 0;
  if (i == 0 || !grammar::parse_uint(s.substr(0, i), 0x7FFFFFFFu, n)) {
    return make_error(ErrorCode::kInvalidArgument, "Bad CSeq Number");
  }
  const std::string_view method = grammar::trim_left(s.substr(i));
  if (method.size() == s.size() - i || !grammar::is_token(method)) {
    return make_error(ErrorCode::kInvalidArgument, "Bad CSeq Method");
  }
  return CSeq{static_cast<std::uint32_t>(n), method, method_from_string(method)};
}

Result<std::string_view> parse_call_id(std::string_view value) {
  const std::string_view s = grammar::trim(value);
  const std::size_t at = s.find('@');
  const bool ok = at == std::string_view::npos
                      ? is_word(s)
                      : is_word(s.substr(0, at)) && is_word(s.substr(at + 1));
  if (!ok) return make_error(ErrorCode::kInvalidArgument, "Bad Call-ID");
  return s;
}

Result<std::uint32_t> parse_max_forwards(std::string_view value) {
  std::uint64_t n = 0;
  if (!grammar::parse_uint(grammar::trim(value), 255, n)) {
    return make_error(ErrorCode::kInvalidArgument, "Bad Max-Forwards");
  }
  return static_cast<std::uint32_t>(n);
}

Result<std::uint32_t> parse_delta_seconds(std::string_view value) {
  std::uint64_t n = 0;
  if (!grammar::parse_uint(grammar::trim(value), 0xFFFFFFFFu, n)) {
    return make_error(ErrorCode::kInvalidArgument, "Bad Delta-Seconds");
  }
  return static_cast<std::uint32_t>(n);
}

}  // namespace switchboard::sip
