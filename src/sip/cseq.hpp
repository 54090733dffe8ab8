// CSeq (RFC 3261 §20.16), Call-ID (§20.8) and the numeric scalar headers
// Max-Forwards (§20.22), Content-Length (§20.14) and delta-seconds values
// such as Expires (§20.19).
#pragma once

#include <cstdint>
#include <string_view>

#include "common/result.hpp"
#include "sip/method.hpp"

namespace switchboard::sip {

struct CSeq {
  std::uint32_t number = 0;  ///< < 2^31 (RFC 3261 §8.1.1.5)
  std::string_view method;   ///< as written (case-sensitive)
  Method method_id = Method::kOther;
};

/// "1*DIGIT LWS Method"; the number must be below 2^31 (RFC 4475 §3.1.2.4).
Result<CSeq> parse_cseq(std::string_view value);

/// Checks Call-ID = word [ "@" word ] and returns the value.
Result<std::string_view> parse_call_id(std::string_view value);

/// Max-Forwards: 0..255 (RFC 3261 §20.22 allows 1*DIGIT; larger values are
/// the "overlarge" case of RFC 4475 §3.1.2.4).
Result<std::uint32_t> parse_max_forwards(std::string_view value);

/// delta-seconds: 0 .. 2^32-1 (RFC 3261 §20.19 for Expires).
Result<std::uint32_t> parse_delta_seconds(std::string_view value);

}  // namespace switchboard::sip
