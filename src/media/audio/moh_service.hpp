// Music on hold by class name (config `music_on_hold.*`: a directory with
// one subdirectory per class; audio files directly in the directory form
// the default class when it has no subdirectory of that name). Each class
// is one MohClass — one shared decoder — handing out listener sources
// (FrameSource at 8/16/48 kHz) that plug into RelaySession::inject() or a
// terminating leg. Options are this layer's own (the app layer maps its
// MusicOnHoldConfig onto them).
//
// create() scans the directories (blocking: at start-up or on the worker
// pool) and preloads every class on run_blocking. Thread-safety: after
// create() the class table is immutable; listen() and the getters may be
// called from any thread.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "media/audio/moh_class.hpp"

namespace switchboard::media::audio {

struct MohServiceOptions {
  std::string directory = "moh";
  std::string default_class = "default";
  MohOrder order = MohOrder::kSequential;  ///< for every class not listed below
  std::map<std::string, MohOrder> class_order;
  Post run_blocking;  ///< the worker pool (decoding); unset: inline
  std::function<TimePoint()> now;
  std::uint32_t seed = 0;  ///< random order (0: random_device)
};

class MohService {
 public:
  /// kNotFound when the directory does not exist or has no class with a
  /// playable file name (.wav .flac .ogg .oga .mp3); a default class that is
  /// missing while others exist is kNotFound too (a caller would get silence).
  static Result<std::unique_ptr<MohService>> create(MohServiceOptions options);

  /// A listener of `class_name` (empty or unknown: the default class) at
  /// `rate` (8000/16000/48000, else kInvalidArgument).
  Result<std::shared_ptr<FrameSource>> listen(std::string_view class_name, int rate) const;

  std::vector<std::string> classes() const;
  std::shared_ptr<MohClass> find(std::string_view class_name) const;
  const std::string& default_class() const { return default_; }

 private:
  MohService() = default;
  std::map<std::string, std::shared_ptr<MohClass>, std::less<>> classes_;
  std::string default_;
};

/// The playable files of `dir` (by extension, case-insensitive), sorted.
std::vector<std::string> moh_files(const std::string& dir);

}  // namespace switchboard::media::audio
