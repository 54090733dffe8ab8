// Trusted source addresses (security.ip_allow_list): CIDR blocks of IPv4 and
// IPv6. A source on the list is never banned or rate limited, and may send
// OPTIONS keep-alives without authenticating (Kamailio, trunks).
#pragma once

#include <array>
#include <string>
#include <vector>

#include <boost/asio/ip/address.hpp>

#include "common/result.hpp"

namespace switchboard::core {

class IpAllowList {
 public:
  /// Parses "10.0.0.0/8", "2001:db8::/32", "192.0.2.7" (a host) …; an error
  /// names the first bad entry.
  static Result<IpAllowList> parse(const std::vector<std::string>& entries);

  /// IPv4-mapped IPv6 sources (::ffff:a.b.c.d) match IPv4 blocks.
  bool contains(const boost::asio::ip::address& ip) const;
  bool empty() const { return blocks_.empty(); }

 private:
  struct Block {
    std::array<unsigned char, 16> bytes{};
    int prefix = 0;  ///< bits
    bool v4 = false;
  };
  std::vector<Block> blocks_;
};

}  // namespace switchboard::core
