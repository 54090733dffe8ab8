// Call recording policy from the configuration (issue 7 §5): a call is
// recorded from its answer on when either party's extension says "always",
// or recording.auto_record is on and neither says "never". Files go to
// <storage>/YYYY/MM/DD/<HHMMSS>_<caller>_<callee>_<call hash>.wav (UTC), the
// reference being the part after <storage>/. recover() completes, at
// start-up, the files a crash left as ".part" (their header covers all but
// the last second). Core thread, except recover() (start-up, blocking).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "core/call/recording_policy.hpp"
#include "store/time.hpp"

namespace switchboard::features::recording {

enum class ExtensionRecording { kDefault, kAlways, kNever };

/// "always", "never", anything else "default".
ExtensionRecording extension_recording_from(std::string_view text);

struct RecordingSettings {
  bool auto_record = false;
  std::string storage_path = "recordings";
  bool stereo = false;
  /// Extensions whose `record` is not "default".
  std::map<std::string, ExtensionRecording, std::less<>> extensions;
};

class StoragePolicy final : public core::RecordingPolicy {
 public:
  StoragePolicy(RecordingSettings settings, store::NowFn now);

  /// A reload: applies to calls answered (recordings started) from now on.
  void set_settings(RecordingSettings settings) { settings_ = std::move(settings); }
  const RecordingSettings& settings() const { return settings_; }

  bool record_on_answer(const core::CallRecord& call) const override;
  Result<core::RecordingTarget> new_target(const core::CallRecord& call) override;

  /// Renames every readable "*.wav.part" under `storage_path` (any depth) to
  /// its final name; returns the recovered files.
  static Result<std::vector<std::string>> recover(const std::string& storage_path);

 private:
  ExtensionRecording of(const std::string& extension) const;

  RecordingSettings settings_;
  store::NowFn now_;
};

}  // namespace switchboard::features::recording
