// The Contact header (RFC 3261 §20.10, RFC 5626 +sip.instance / reg-id).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "sip/name_addr.hpp"

namespace switchboard::sip {

struct Contact {
  bool star = false;  ///< "Contact: *" (remove all bindings)
  NameAddr address;   ///< unset when star

  /// expires parameter; nullopt if absent or out of range (> 2^32-1), which
  /// callers treat as "use the default" (RFC 4475 §3.1.2.4).
  std::optional<std::uint32_t> expires() const;
  /// q in thousandths (0..1000); nullopt if absent or malformed.
  std::optional<int> q_thousandths() const;
  /// +sip.instance without its quotes, e.g. "<urn:uuid:...>".
  std::optional<std::string> instance() const;
  std::optional<std::uint32_t> reg_id() const;
  const ParamList& params() const { return address.params; }
};

/// Parses a Contact header value: "*" or a comma-separated list.
Status parse_contact_list(std::string_view value, std::vector<Contact>& out);

/// Parses a qvalue ("0", "0.5", "1.000") into thousandths.
std::optional<int> parse_qvalue(std::string_view s);

}  // namespace switchboard::sip
