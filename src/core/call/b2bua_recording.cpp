// Call recording (issue 7 §5): the relay of a call answered by two phones
// records both directions into one WAV (MediaRelay::start_recording, written
// as .part until complete), from the answer on when the RecordingPolicy says
// so (auto_record, an extension's always/never), or between an API start and
// stop. Each recording's reference goes into the CallRecord when it starts,
// so the CDR names it even if the process dies; "recording started" is
// published then, "recording stopped" once the file is complete (after the
// call's end when the call ends first).
#include <fmt/format.h>

#include "common/log.hpp"
#include "core/call/b2bua.hpp"

namespace switchboard::core {

namespace {

bool recordable(const Call& c) {
  return c.phase == CallPhase::kAnswered && !c.redirecting && !c.app && c.relay;
}

}  // namespace

void B2bua::record_on_answer(Call& c) {
  if (!recording_) return;
  // Decided on the next turn of the loop: an application answering the
  // caller (voicemail …) is attached only after the answer, and is not
  // recorded.
  const std::uint64_t id = c.id;
  timers_.schedule(Duration(0), [this, id] {
    Call* call = find(id);
    if (!call || !recording_ || !recordable(*call) || !call->recording.empty()) return;
    if (!recording_->record_on_answer(call->record)) return;
    if (auto ref = begin_recording(*call); !ref.ok()) {
      log::get("call")->warn("call {}: not recorded: {}", call->record.call_id,
                             ref.error().message);
    }
  });
}

Result<std::string> B2bua::begin_recording(Call& c) {
  auto target = recording_->new_target(c.record);
  if (!target.ok()) return target.error();
  const std::uint64_t id = c.id;
  const std::string reference = target->reference;
  auto done = [self = self_, id, snapshot = c.record,
               reference](const MediaRelay::RecordingResult& result) {
    if (B2bua* b = *self) b->on_recording_done(id, snapshot, reference, result);
  };
  if (auto st = c.relay->start_recording(target->path, target->stereo, std::move(done)); !st.ok()) {
    return st.error();
  }
  c.recording = reference;
  c.record.recordings.push_back(reference);
  const RecordingNote note{reference, 0, ""};
  events_.publish(CallEventKind::kRecordingStarted, c.record, &note);
  log::get("call")->info("call {}: recording to {}{}", c.record.call_id, target->path,
                         target->stereo ? " (stereo)" : "");
  return reference;
}

void B2bua::on_recording_done(std::uint64_t id, const CallRecord& snapshot,
                              const std::string& reference,
                              const MediaRelay::RecordingResult& result) {
  Call* c = find(id);
  if (c && c->recording == reference) c->recording.clear();
  RecordingNote note{reference, result.seconds, ""};
  if (!result.status.ok()) note.error = result.status.error().message;
  // The call may be gone already (the file completes after its end).
  const CallRecord& record = c ? c->record : snapshot;
  events_.publish(CallEventKind::kRecordingStopped, record, &note);
  if (note.error.empty()) {
    log::get("call")->info("call {}: recording {} complete, {:.1f} s", record.call_id, reference,
                           result.seconds);
  } else {
    log::get("call")->error("call {}: recording {} failed: {}", record.call_id, reference,
                            note.error);
  }
}

Result<std::string> B2bua::start_recording(std::string_view call_id) {
  Call* c = find_by_call_id(call_id);
  if (!c) return make_error(ErrorCode::kNotFound, fmt::format("no active call {}", call_id));
  if (!recording_) return make_error(ErrorCode::kUnavailable, "call recording is off");
  if (!recordable(*c)) {
    return make_error(ErrorCode::kFailedPrecondition, "the call is not connected to two phones");
  }
  if (!c->recording.empty()) {
    return make_error(ErrorCode::kFailedPrecondition, "the call is being recorded");
  }
  return begin_recording(*c);
}

Status B2bua::stop_recording(std::string_view call_id) {
  Call* c = find_by_call_id(call_id);
  if (!c) return make_error(ErrorCode::kNotFound, fmt::format("no active call {}", call_id));
  if (c->recording.empty()) {
    return make_error(ErrorCode::kFailedPrecondition, "the call is not being recorded");
  }
  c->relay->stop_recording();
  log::get("call")->info("call {}: recording {} stopped", c->record.call_id, c->recording);
  c->recording.clear();
  return Status::Ok();
}

}  // namespace switchboard::core
