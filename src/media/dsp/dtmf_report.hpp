// What DTMF receivers report, whichever way the digit came: RFC 4733
// telephone-events (Rfc4733Receiver) or in-band audio (DtmfDetector).
#pragma once

#include <cstdint>

namespace switchboard::media::dsp {

/// A digit starting or ending, from RFC 4733 events or in-band detection.
struct DtmfReport {
  enum class Kind { kStart, kEnd };
  Kind kind = Kind::kStart;
  char digit = '\0';
  std::uint32_t timestamp = 0;  ///< RTP timestamp of the event (sample index in-band)
  std::uint32_t duration = 0;   ///< on kEnd: length in clock units (samples)
  bool operator==(const DtmfReport&) const = default;
};

}  // namespace switchboard::media::dsp
