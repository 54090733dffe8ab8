// DTMF from the parties of a relayed two-party call, as the B2BUA hands it
// to a feature (issue 7 §2, feature codes: src/features/callcodes). The
// relay detects the digits (RFC 4733 or in-band); the B2BUA names the call
// (the id its public methods take: transfer(), start_recording() …) and the
// side that sent them. Core thread only.
#pragma once

#include <string>

#include "core/call/media_relay.hpp"

namespace switchboard::core {

class CallDigitListener {
 public:
  virtual ~CallDigitListener() = default;
  /// `side`'s party of the answered call `call_id` sent `digit` ('0'-'9',
  /// '*', '#', 'A'-'D'), at the digit's end.
  virtual void on_call_digit(const std::string& call_id, MediaSide side, char digit) = 0;
};

}  // namespace switchboard::core
