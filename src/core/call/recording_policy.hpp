// Call recording (issue 7 §5): which calls the B2BUA records from their
// answer on, and where each recording's file goes. The B2BUA decides when
// (answer, API start/stop) and drives the MediaRelay; the policy, set up by
// the application from the configuration (recording.*, an extension's
// `record`), decides whether and where. Core thread only.
#pragma once

#include <string>

#include "common/result.hpp"
#include "core/call/call_events.hpp"

namespace switchboard::core {

/// Where one recording goes.
struct RecordingTarget {
  std::string path;       ///< the final WAV path; its directory exists
  std::string reference;  ///< what the CDR and events name (relative to the storage)
  bool stereo = false;    ///< one party per channel (A left, B right), else mixed mono
};

class RecordingPolicy {
 public:
  virtual ~RecordingPolicy() = default;
  /// Whether `call`, just answered, is recorded from now on (auto_record,
  /// the extensions' always/never).
  virtual bool record_on_answer(const CallRecord& call) const = 0;
  /// A new file for a recording of `call` starting now (creates its
  /// directory); kUnavailable/kIoError when the storage cannot take it.
  virtual Result<RecordingTarget> new_target(const CallRecord& call) = 0;
};

}  // namespace switchboard::core
