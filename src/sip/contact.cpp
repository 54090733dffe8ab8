#include "sip/contact.hpp"

#include "sip/grammar.hpp"

namespace switchboard::sip {

std::optional<int> parse_qvalue(std::string_view s) {
  // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
  if (s.empty() || s.size() > 5 || (s[0] != '0' && s[0] != '1')) return std::nullopt;
  int value = (s[0] - '0') * 1000;
  if (s.size() == 1) return value;
  if (s[1] != '.') return std::nullopt;
  int scale = 100;
  for (std::size_t i = 2; i < s.size(); ++i, scale /= 10) {
    if (!grammar::is_digit(s[i])) return std::nullopt;
    value += (s[i] - '0') * scale;
  }
  if (value > 1000) return std::nullopt;
  return value;
}

std::optional<std::uint32_t> Contact::expires() const {
  const auto v = address.params.get("expires");
  std::uint64_t n = 0;
  if (!v || !grammar::parse_uint(*v, 0xFFFFFFFFu, n)) return std::nullopt;
  return static_cast<std::uint32_t>(n);
}

std::optional<int> Contact::q_thousandths() const {
  const auto v = address.params.get("q");
  if (!v) return std::nullopt;
  return parse_qvalue(*v);
}

std::optional<std::string> Contact::instance() const {
  return address.params.get_unquoted("+sip.instance");
}

std::optional<std::uint32_t> Contact::reg_id() const {
  const auto v = address.params.get("reg-id");
  std::uint64_t n = 0;
  if (!v || !grammar::parse_uint(*v, 0xFFFFFFFFu, n)) return std::nullopt;
  return static_cast<std::uint32_t>(n);
}

Status parse_contact_list(std::string_view value, std::vector<Contact>& out) {
  if (grammar::trim(value) == "*") {
    Contact c;
    c.star = true;
    out.push_back(std::move(c));
    return Status::Ok();
  }
  std::vector<NameAddr> addrs;
  Status st = parse_name_addr_list(value, addrs);
  if (!st.ok()) return make_error(ErrorCode::kInvalidArgument, "Bad Contact");
  for (NameAddr& a : addrs) {
    Contact c;
    c.address = std::move(a);
    out.push_back(std::move(c));
  }
  return Status::Ok();
}

}  // namespace switchboard::sip
