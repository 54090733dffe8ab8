// Call recording (issue 7 §5) in the application: the policy from
// recording.* and the extensions' `record`, set on the B2BUA while
// features.call_recording is on; files a crash left unfinished are completed
// before any call; and the API's start/stop (api::CoreAccess), a user's
// limited to calls of their own extension.
#include "app/application.hpp"
#include "common/log.hpp"
#include "core/call/b2bua.hpp"
#include "core/events/adapters.hpp"
#include "features/recording/storage_policy.hpp"

namespace switchboard::app {

namespace {

features::recording::RecordingSettings recording_settings(const config::Config& cfg) {
  features::recording::RecordingSettings s;
  s.auto_record = cfg.recording.auto_record;
  s.storage_path = cfg.recording.storage_path;
  s.stereo = cfg.recording.stereo;
  for (const auto& e : cfg.extensions) {
    auto r = features::recording::extension_recording_from(e.record);
    if (r != features::recording::ExtensionRecording::kDefault) s.extensions[e.number] = r;
  }
  return s;
}

}  // namespace

bool Application::start_recording_policy() {
  const auto& cfg = *config_;
  // Before any call: a recording cut short by a crash becomes a WAV again
  // (all but its last second), so nothing that was stored is lost.
  auto recovered = features::recording::StoragePolicy::recover(cfg.recording.storage_path);
  if (!recovered.ok()) {
    log::get("recording")->error("recovering recordings: {}", recovered.error().message);
  } else {
    for (const auto& f : *recovered) {
      log::get("recording")->warn("recording {} completed after a crash", f);
    }
  }
  recording_ = std::make_unique<features::recording::StoragePolicy>(recording_settings(cfg),
                                                                    store::system_now);
  apply_recording(cfg);
  return true;
}

void Application::apply_recording(const config::Config& cfg) {
  if (!recording_ || !b2bua_) return;
  recording_->set_settings(recording_settings(cfg));
  b2bua_->set_recording_policy(cfg.features.call_recording ? recording_.get() : nullptr);
  log::get("recording")
      ->info("call recording {}: auto_record {}, {} in {}",
             cfg.features.call_recording ? "on" : "off", cfg.recording.auto_record,
             cfg.recording.stereo ? "stereo" : "mono", cfg.recording.storage_path);
}

bool Application::call_visible(const std::string& call_id,
                               const std::optional<std::string>& extension) const {
  if (!extension) return true;
  if (!call_tracker_) return false;
  auto it = call_tracker_->active().find(call_id);
  if (it == call_tracker_->active().end()) return false;
  const auto& r = it->second.record;
  return r.caller == *extension || r.callee == *extension;
}

Result<std::string> Application::start_recording(const std::string& call_id,
                                                 const std::optional<std::string>& extension) {
  if (!b2bua_) return make_error(ErrorCode::kUnavailable, "calls are not running");
  if (!call_visible(call_id, extension)) {
    return make_error(ErrorCode::kNotFound, "no active call " + call_id);
  }
  return b2bua_->start_recording(call_id);
}

Status Application::stop_recording(const std::string& call_id,
                                   const std::optional<std::string>& extension) {
  if (!b2bua_) return make_error(ErrorCode::kUnavailable, "calls are not running");
  if (!call_visible(call_id, extension)) {
    return make_error(ErrorCode::kNotFound, "no active call " + call_id);
  }
  return b2bua_->stop_recording(call_id);
}

}  // namespace switchboard::app
