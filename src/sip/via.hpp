// The Via header (RFC 3261 §20.42, RFC 3581 rport).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "sip/params.hpp"

namespace switchboard::sip {

/// RFC 3261's magic cookie that marks a globally unique branch (§8.1.1.7).
inline constexpr std::string_view kBranchMagicCookie = "z9hG4bK";

/// One via-parm. Views point into the parsed text.
struct Via {
  std::string_view protocol_name;     ///< "SIP"
  std::string_view protocol_version;  ///< "2.0"
  std::string_view transport;         ///< "UDP", "TCP", "TLS", "SCTP", "WS", or any token
  std::string_view host;              ///< sent-by host; IPv6 references keep brackets
  std::optional<std::uint16_t> port;  ///< sent-by port, if written
  ParamList params;

  std::optional<std::string_view> branch() const { return params.get("branch"); }
  std::optional<std::string_view> received() const { return params.get("received"); }
  std::optional<std::string_view> maddr() const { return params.get("maddr"); }
  std::optional<int> ttl() const;
  /// True if rport is present, with or without a value (RFC 3581 §3).
  bool has_rport() const { return params.has("rport"); }
  /// The rport value, if one was filled in by a server.
  std::optional<std::uint16_t> rport() const;
  /// True if the branch starts with the magic cookie and has more after it;
  /// otherwise the RFC 2543 matching rules apply (RFC 4475 §3.2.1).
  bool is_rfc3261_branch() const;
};

/// Parses one via-parm, tolerating LWS around "/", ":" ";" and "="
/// (RFC 4475 §3.1.1.1).
Result<Via> parse_via(std::string_view value);

/// Parses a comma-separated Via value into `out` (appending).
Status parse_via_list(std::string_view value, std::vector<Via>& out);

}  // namespace switchboard::sip
