#include "features/recording/storage_policy.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <set>

#include "media/audio/wav_recorder.hpp"

namespace switchboard::features::recording {

namespace fs = std::filesystem;

namespace {

/// A party's number as a file name part: digits, letters, + . - only.
std::string file_safe(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 32)) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '+' || c == '.' || c == '-';
    out += ok ? c : '-';
  }
  return out.empty() ? std::string("unknown") : out;
}

/// FNV-1a of the Call-ID: names the call in the file name without its
/// (possibly long, host-revealing) text.
std::string call_hash(std::string_view call_id) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : call_id) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return fmt::format("{:08x}", static_cast<std::uint32_t>(h ^ (h >> 32)));
}

bool taken(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec) ||
         fs::exists(fs::path(p.string() + media::audio::WavRecorder::kPartSuffix), ec);
}

}  // namespace

ExtensionRecording extension_recording_from(std::string_view text) {
  if (text == "always") return ExtensionRecording::kAlways;
  if (text == "never") return ExtensionRecording::kNever;
  return ExtensionRecording::kDefault;
}

StoragePolicy::StoragePolicy(RecordingSettings settings, store::NowFn now)
    : settings_(std::move(settings)), now_(std::move(now)) {}

ExtensionRecording StoragePolicy::of(const std::string& extension) const {
  auto it = settings_.extensions.find(extension);
  return it == settings_.extensions.end() ? ExtensionRecording::kDefault : it->second;
}

bool StoragePolicy::record_on_answer(const core::CallRecord& call) const {
  const auto a = of(call.caller), b = of(call.callee);
  if (a == ExtensionRecording::kAlways || b == ExtensionRecording::kAlways) return true;
  if (a == ExtensionRecording::kNever || b == ExtensionRecording::kNever) return false;
  return settings_.auto_record;
}

Result<core::RecordingTarget> StoragePolicy::new_target(const core::CallRecord& call) {
  // "2026-11-25T01:02:03.456Z" → "2026/11/25" and "010203" (UTC).
  const std::string iso = store::to_iso(now_());
  const std::string day = iso.substr(0, 4) + "/" + iso.substr(5, 2) + "/" + iso.substr(8, 2);
  const std::string hms = iso.substr(11, 2) + iso.substr(14, 2) + iso.substr(17, 2);
  const fs::path dir = fs::path(settings_.storage_path) / day;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return make_error(ErrorCode::kIoError,
                      fmt::format("recording directory {}: {}", dir.string(), ec.message()));
  }
  const std::string stem = fmt::format("{}_{}_{}_{}", hms, file_safe(call.caller),
                                       file_safe(call.callee), call_hash(call.call_id));
  // A second recording of the call within the same second gets a suffix.
  for (int n = 1; n < 100; ++n) {
    const std::string name = n == 1 ? stem + ".wav" : fmt::format("{}-{}.wav", stem, n);
    if (taken(dir / name)) continue;
    return core::RecordingTarget{(dir / name).string(), day + "/" + name, settings_.stereo};
  }
  return make_error(ErrorCode::kAlreadyExists, "too many recordings of the call in one second");
}

Result<std::vector<std::string>> StoragePolicy::recover(const std::string& storage_path) {
  std::error_code ec;
  if (!fs::exists(storage_path, ec)) return std::vector<std::string>{};
  std::set<std::string> dirs;
  const std::string suffix = std::string(".wav") + media::audio::WavRecorder::kPartSuffix;
  for (auto it = fs::recursive_directory_iterator(storage_path, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (it->is_regular_file() && name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      dirs.insert(it->path().parent_path().string());
    }
  }
  if (ec) {
    return make_error(ErrorCode::kIoError,
                      fmt::format("listing {}: {}", storage_path, ec.message()));
  }
  std::vector<std::string> recovered;
  for (const auto& d : dirs) {
    auto r = media::audio::recover_recordings(d);
    if (!r.ok()) return r.error();
    recovered.insert(recovered.end(), r->begin(), r->end());
  }
  return recovered;
}

}  // namespace switchboard::features::recording
