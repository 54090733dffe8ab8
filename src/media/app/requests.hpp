// The media API applications use (DESIGN.md §2): play, record,
// collect_digits, stop — the requests and the events that complete them.
// Plain values: the core thread builds them, the media thread runs them,
// the completion comes back to the core thread as a MediaEvent.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "media/audio/pcm.hpp"
#include "media/audio/phrases.hpp"
#include "media/dsp/tones.hpp"

namespace switchboard::media::app {

/// Identifies one request; completion events carry it. Never 0.
using OpId = std::uint64_t;

inline constexpr const char* kAllDigits = "0123456789*#ABCD";

// --- play -------------------------------------------------------------------

/// A prompt of the catalog by name ("welcome", "three", ...).
struct PromptItem {
  std::string name;
};
/// An audio file (WAV, FLAC, OGG, MP3) at any rate; `loop` for music on hold.
struct FileItem {
  std::string path;
  bool loop = false;
};
/// A call progress tone of the configured region; 0 ms = until the tone's
/// cadence ends (a one-shot beep) or forever (dial tone, ringback).
struct ToneItem {
  dsp::ToneKind kind = dsp::ToneKind::kBeep;
  std::chrono::milliseconds duration{0};
};
struct SilenceItem {
  std::chrono::milliseconds duration{0};
};
/// Text to speak (rendered by the SpeechService before playing starts).
struct SpeechItem {
  std::string text;
};
/// Audio already in memory (a rendered announcement).
struct PcmItem {
  audio::PcmBufferPtr pcm;
};
/// A source already opened at the leg's rate (MediaChannel opens files and
/// loads prompts on the worker pool so the media thread does not block).
struct SourceItem {
  std::shared_ptr<audio::AudioSource> source;
};
using PlayItem =
    std::variant<PromptItem, FileItem, ToneItem, SilenceItem, SpeechItem, PcmItem, SourceItem>;

struct PlayRequest {
  std::vector<PlayItem> items{};  ///< played in order ("you have" "three" "new" "messages")
  /// A digit in `interrupt_digits` stops the playback (barge-in); the digit
  /// is then collected like any other.
  bool interruptible = false;
  std::string interrupt_digits = kAllDigits;
};

enum class PlayResult { kDone, kInterrupted, kStopped, kError };
struct PlayDone {
  OpId id = 0;
  PlayResult result = PlayResult::kDone;
  char digit = 0;       ///< kInterrupted: the digit that interrupted
  std::string error{};  ///< kError: what failed (a missing prompt or file)
};

// --- record -----------------------------------------------------------------

struct RecordRequest {
  std::string path{};  ///< final WAV path (written as <path>.part until done)
  std::chrono::milliseconds max_duration{std::chrono::seconds(180)};
  /// Ends the recording after this much silence; 0 = never. The silence is
  /// then cut from the file but for its first `silence_kept`.
  std::chrono::milliseconds silence_end{0};
  std::chrono::milliseconds silence_kept{200};
  /// Below this RMS a 20 ms frame is silence (150: about -40 dBm0).
  double silence_rms = 150;
  /// Digits that end the recording (not recorded, not collected).
  std::string terminators = "#";
};

enum class RecordResult { kMaxDuration, kSilence, kTerminator, kStopped, kError };
struct RecordDone {
  OpId id = 0;
  RecordResult result = RecordResult::kStopped;
  std::string path{};
  double seconds = 0;
  char terminator = 0;
  std::string error{};
};

// --- collect_digits -----------------------------------------------------------

struct CollectRequest {
  std::size_t max_digits = 1;
  std::string terminators = "#";  ///< ends collection; not part of the digits
  /// The wait for the first digit starts when no playback is running (after
  /// the prompt), the inter-digit wait after each digit.
  std::chrono::milliseconds first_digit_timeout{std::chrono::seconds(5)};
  std::chrono::milliseconds inter_digit_timeout{std::chrono::seconds(3)};
  /// Discard digits typed before this request (otherwise they count).
  bool flush = false;
};

enum class CollectResult { kMaxDigits, kTerminator, kTimeout, kStopped };
struct DigitsDone {
  OpId id = 0;
  CollectResult result = CollectResult::kTimeout;
  std::string digits{};
  char terminator = 0;
};

using MediaEvent = std::variant<PlayDone, RecordDone, DigitsDone>;

/// A phrase ("you_have" "three" "new" "messages") as prompts to play.
PlayRequest phrase_request(const audio::Phrase& phrase, bool interruptible = false);

const char* to_string(PlayResult r);
const char* to_string(RecordResult r);
const char* to_string(CollectResult r);
OpId op_id(const MediaEvent& e);

}  // namespace switchboard::media::app
