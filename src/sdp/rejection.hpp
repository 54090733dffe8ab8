// How the B2BUA refuses an offer it cannot use (RFC 3261 §21.4.26, §20.43).
#pragma once

#include <string>

#include "common/result.hpp"

namespace switchboard::sdp {

/// The SIP response for a failed offer: status 488 Not Acceptable Here and a
/// Warning code — 305 "Incompatible media format" when nothing could be
/// agreed, 399 (miscellaneous) for a malformed description.
struct Rejection {
  int status = 488;
  int warning_code = 399;
  std::string warning_text;
};

/// The rejection for an error from parse(), answer_offer() or relay_offer().
Rejection rejection_for(const Error& error);

}  // namespace switchboard::sdp
