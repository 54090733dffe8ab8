// What the API asks of the core. Implemented by the application; the API
// calls every method on the core thread only (posted to the core's
// io_context), so implementations read call and registrar state directly.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/metrics.hpp"
#include "api/presence.hpp"
#include "common/result.hpp"

namespace switchboard::api {

class CoreAccess {
 public:
  virtual ~CoreAccess() = default;
  /// The status document (GET /api/v1/status).
  virtual nlohmann::json status() = 0;
  /// Registrations, narrowed to one extension when `extension` is set.
  virtual nlohmann::json registrations(const std::optional<std::string>& extension) = 0;
  /// Active calls, narrowed to those of one extension when it is set.
  virtual nlohmann::json calls(const std::optional<std::string>& extension) = 0;
  /// Ends the active call with this (caller) Call-ID; false if there is none.
  virtual bool hangup(const std::string& call_id) = 0;
  /// Click-to-dial (B2bua::originate): the call's id, or kNotFound (unknown
  /// or unregistered `from`, no such `to`), kFailedPrecondition (not
  /// allowed), kUnavailable (no media ports).
  virtual Result<std::string> originate(const std::string& from, const std::string& to) = 0;
  /// Music on hold toward `party` ("caller"/"callee") of an answered call,
  /// and back: kNotFound (no such call), kFailedPrecondition (not answered,
  /// already/not held).
  virtual Status hold(const std::string& call_id, const std::string& party) = 0;
  virtual Status resume(const std::string& call_id) = 0;
  /// Recording of an answered call (issue 7 §5): start returns the new
  /// file's reference (relative to recording.storage_path). With
  /// `extension` set (a user) only a call of that extension counts, any
  /// other is kNotFound. kFailedPrecondition: not answered, already (not)
  /// recording; kUnavailable: recording is off.
  virtual Result<std::string> start_recording(const std::string& call_id,
                                              const std::optional<std::string>& extension) = 0;
  virtual Status stop_recording(const std::string& call_id,
                                const std::optional<std::string>& extension) = 0;
  /// Blind transfer of an answered call (issue 9): the party `party`
  /// ("caller"/"callee") stays and is connected to `target` (dialed as the
  /// other party would dial it); the other party is released once it
  /// answers. With `extension` set (a user) only a call of that extension
  /// counts, any other is kNotFound. kNotFound: no such call or target;
  /// kFailedPrecondition: not answered, already changing, not allowed;
  /// kUnavailable: the target is not reachable.
  virtual Status transfer(const std::string& call_id, const std::string& party,
                          const std::string& target,
                          const std::optional<std::string>& extension) = 0;
  /// Attended transfer and three-way calling: `action` "start": `party`
  /// ("caller"/"callee") waits on hold while the other party consults
  /// `target`; "complete": the consulting party is released and the target
  /// takes its place; "cancel": the consulting party goes back; "merge": all
  /// three into a conference. `call_id`: the held call (for the others also
  /// the consultation). Scoping and errors as transfer(); kNotFound also
  /// when there is no consultation.
  virtual Status consultation(const std::string& call_id, const std::string& action,
                              const std::string& party, const std::string& target,
                              const std::optional<std::string>& extension) = 0;
  /// Parks `party` of an answered call: a blind transfer to the park
  /// extension; returns that extension (the slot follows in call.parked).
  /// kUnavailable as well when parking is off.
  virtual Result<std::string> park(const std::string& call_id, const std::string& party,
                                   const std::optional<std::string>& extension) = 0;
  /// The running configuration with every secret replaced by "********".
  virtual nlohmann::json config() = 0;
  /// Core counters for GET /metrics.
  virtual std::vector<MetricSample> metrics() = 0;
  /// The store's extensions changed (API create/update/delete): re-read and
  /// apply them (credentials, caller profiles) without a restart.
  virtual void extensions_changed() = 0;
  /// Whether `extension` has a registration and is on a call (presence):
  /// the caller of any active call, the callee once it answered. This
  /// default reads registrations() and calls(); an implementation may
  /// answer from its indexes instead.
  virtual LiveState live_state(const std::string& extension);
};

}  // namespace switchboard::api
