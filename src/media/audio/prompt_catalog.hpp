// Prompts by name ("welcome", "enter_pin", "three" …) as PCM at the rate a
// leg needs. Looked up in a list of directories, first match wins, so an
// administrator's own recordings (voicemail.ivr.prompts_path) replace the
// built-in ones (<build>/prompts/en, rendered from prompts/en.txt):
//   <dir>/<rate>/<name>.<ext>, then <dir>/<name>.<ext>, then the other
//   renderings (<dir>/48000, 16000, 8000: a 48 kHz leg gets the 16 kHz one),
//   ext in wav, flac, ogg, mp3 — any rate and channel count (converted).
// Loading reads the disk: do it on the worker pool (preload() at start-up,
// or get() off the media thread); once loaded a prompt is shared from memory.
// Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "media/audio/pcm.hpp"

namespace switchboard::media::audio {

class PromptCatalog {
 public:
  /// `directories` in search order: custom replacements first, built-in last.
  explicit PromptCatalog(std::vector<std::string> directories);

  /// The prompt at `rate`, from the cache or loaded now. kNotFound for an
  /// unknown name, kInvalidArgument for a name that is not [a-z0-9_]+.
  Result<PcmBufferPtr> get(std::string_view name, int rate);
  /// From the cache only (never touches the disk; for the media thread).
  PcmBufferPtr cached(std::string_view name, int rate) const;
  /// The file get() would load, if any.
  Result<std::string> path(std::string_view name, int rate) const;
  /// Loads every prompt any directory has at `rate`; returns how many.
  Result<std::size_t> preload(int rate);
  /// Drops the cache (after an administrator changed files; SIGHUP).
  void clear();

  /// Names found in the directories (sorted, unique).
  std::vector<std::string> names() const;
  const std::vector<std::string>& directories() const { return directories_; }

  static bool valid_name(std::string_view name);

 private:
  std::vector<std::string> directories_;
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, PcmBufferPtr, std::less<>> cache_;
};

}  // namespace switchboard::media::audio
