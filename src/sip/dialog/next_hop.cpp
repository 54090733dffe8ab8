#include "sip/dialog/next_hop.hpp"

#include "sip/grammar.hpp"
#include "sip/uri.hpp"

namespace switchboard::sip {

Result<Destination> resolve_next_hop(std::string_view text) {
  auto uri = parse_uri(text);
  if (!uri.ok()) return uri.error();
  if (!uri->is_sip()) {
    return make_error(ErrorCode::kInvalidArgument, "not a SIP URI: " + std::string(text));
  }
  bool sips = uri->scheme == UriScheme::kSips;
  Destination d;
  d.protocol = sips ? Protocol::kTls : Protocol::kUdp;
  if (auto t = uri->transport()) {
    if (grammar::iequals(*t, "tcp")) d.protocol = sips ? Protocol::kTls : Protocol::kTcp;
    else if (grammar::iequals(*t, "tls")) d.protocol = Protocol::kTls;
    else if (grammar::iequals(*t, "udp")) d.protocol = Protocol::kUdp;
    else return make_error(ErrorCode::kInvalidArgument, "unsupported transport " + std::string(*t));
  }
  std::string_view host = uri->maddr().value_or(uri->host_address());
  boost::system::error_code ec;
  d.ip = boost::asio::ip::make_address(std::string(host), ec);
  if (ec) {
    if (grammar::iequals(host, "localhost")) {
      d.ip = boost::asio::ip::make_address("127.0.0.1");
    } else {
      return make_error(ErrorCode::kUnavailable,
                        "host names need DNS, not supported yet: " + std::string(host));
    }
  }
  d.port = uri->port.value_or(d.protocol == Protocol::kTls ? 5061 : 5060);
  return d;
}

}  // namespace switchboard::sip
