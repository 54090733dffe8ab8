#include "media/app/requests.hpp"

namespace switchboard::media::app {

const char* to_string(PlayResult r) {
  switch (r) {
    case PlayResult::kDone:
      return "done";
    case PlayResult::kInterrupted:
      return "interrupted";
    case PlayResult::kStopped:
      return "stopped";
    case PlayResult::kError:
      return "error";
  }
  return "?";
}

const char* to_string(RecordResult r) {
  switch (r) {
    case RecordResult::kMaxDuration:
      return "max-duration";
    case RecordResult::kSilence:
      return "silence";
    case RecordResult::kTerminator:
      return "terminator";
    case RecordResult::kStopped:
      return "stopped";
    case RecordResult::kError:
      return "error";
  }
  return "?";
}

const char* to_string(CollectResult r) {
  switch (r) {
    case CollectResult::kMaxDigits:
      return "max-digits";
    case CollectResult::kTerminator:
      return "terminator";
    case CollectResult::kTimeout:
      return "timeout";
    case CollectResult::kStopped:
      return "stopped";
  }
  return "?";
}

PlayRequest phrase_request(const audio::Phrase& phrase, bool interruptible) {
  PlayRequest r;
  for (const auto& name : phrase) r.items.emplace_back(PromptItem{name});
  r.interruptible = interruptible;
  return r;
}

OpId op_id(const MediaEvent& e) {
  return std::visit([](const auto& v) { return v.id; }, e);
}

}  // namespace switchboard::media::app
