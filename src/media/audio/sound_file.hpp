// Audio files through libsndfile (DESIGN.md §5): WAV, FLAC, OGG/Vorbis, MP3
// (and whatever else the installed libsndfile reads), any rate, any channel
// count, delivered as mono 16-bit PCM at the rate the caller asks for.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.hpp"
#include "media/audio/pcm.hpp"

namespace switchboard::media::audio {

struct SoundFileInfo {
  int rate = 0;
  int channels = 0;
  std::int64_t frames = 0;
  int format = 0;  ///< libsndfile SF_FORMAT_* (major | subtype)
};

/// The file's header (kIoError if libsndfile cannot open it).
Result<SoundFileInfo> probe_sound_file(const std::string& path);

/// Reads a whole file: channels averaged to mono, converted to `rate` Hz
/// (0 keeps the file's rate). For prompts, greetings and announcements.
Result<PcmBuffer> read_sound_file(const std::string& path, int rate = 0);

/// Streams a long file (music on hold, a voicemail message) a frame at a time
/// without loading it; `loop` restarts it at the end (music on hold).
class SoundFileSource final : public AudioSource {
 public:
  static Result<std::unique_ptr<SoundFileSource>> open(const std::string& path, int rate,
                                                       bool loop = false);
  ~SoundFileSource() override;

  std::size_t read(std::span<std::int16_t> out) override;
  int rate() const override { return rate_; }

 private:
  struct Impl;
  SoundFileSource(std::unique_ptr<Impl> impl, int rate);
  std::unique_ptr<Impl> impl_;
  int rate_;
};

}  // namespace switchboard::media::audio
