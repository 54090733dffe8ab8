#include "features/cdr/cdr_writer.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <boost/asio/post.hpp>

#include "common/log.hpp"

namespace switchboard::features {

namespace {

store::Disposition disposition_of(core::CallOutcome o) {
  switch (o) {
    case core::CallOutcome::kAnswered:
      return store::Disposition::kAnswered;
    case core::CallOutcome::kNoAnswer:
      return store::Disposition::kNoAnswer;
    case core::CallOutcome::kBusy:
      return store::Disposition::kBusy;
    case core::CallOutcome::kFailed:
      return store::Disposition::kFailed;
    case core::CallOutcome::kCancelled:
      return store::Disposition::kCancelled;
  }
  return store::Disposition::kFailed;
}

std::int64_t seconds_between(store::Timestamp from, store::Timestamp to) {
  if (to < from) return 0;
  return std::chrono::duration_cast<std::chrono::seconds>(to - from).count();
}

}  // namespace

store::CdrRecord to_cdr(const core::CallRecord& c) {
  store::CdrRecord r;
  r.call_id = c.call_id;
  r.caller = c.caller;
  r.caller_name = c.caller_name;
  r.callee = c.callee;
  r.direction = store::CallDirection::kInternal;  // trunks (inbound/outbound) come later
  r.start_time = c.start;
  r.answer_time = c.answer;
  r.end_time = c.end < c.start ? c.start : c.end;
  r.duration_s = seconds_between(r.start_time, r.end_time);
  r.billsec_s = c.answer ? std::min(r.duration_s, seconds_between(*c.answer, r.end_time)) : 0;
  r.disposition = disposition_of(c.outcome);
  r.hangup_cause = c.hangup_cause;
  r.hangup_side = core::to_string(c.hangup_side);
  r.codec = c.codec;
  r.caller_user_agent = c.caller_user_agent;
  r.callee_user_agent = c.callee_user_agent;
  r.packets_caller = static_cast<std::int64_t>(c.quality.packets_from_a);
  r.packets_callee = static_cast<std::int64_t>(c.quality.packets_from_b);
  r.packets_lost = static_cast<std::int64_t>(c.quality.packets_lost);
  r.jitter_ms = c.quality.jitter_ms;
  if (!c.recordings.empty()) r.recording_path = fmt::format("{}", fmt::join(c.recordings, ";"));
  r.forwarded_from = c.forwarded_from;
  r.forward_reason = c.forward_reason;
  r.forward_loop = c.forward_loop;
  for (const auto& t : c.transfers) {  // issue 7 §7
    r.transfers.push_back(store::CdrTransfer{t.kind, t.by, t.from, t.to, t.at});
  }
  return r;
}

CdrWriter::CdrWriter(boost::asio::thread_pool& workers, store::Database& db)
    : strand_(boost::asio::make_strand(workers.get_executor())), db_(db) {}

void CdrWriter::attach(core::CallEvents& events) {
  events.subscribe([this](const core::CallEvent& e) { on_event(e); });
}

Result<std::int64_t> CdrWriter::recover(store::Database& db) {
  return store::CdrRepository(db).mark_interrupted();
}

void CdrWriter::on_event(const core::CallEvent& e) {
  Write::Kind kind;
  switch (e.kind) {
    case core::CallEventKind::kStarted:
      kind = Write::Kind::kOpen;
      break;
    case core::CallEventKind::kRecordingStarted:
      kind = Write::Kind::kRecording;
      break;
    case core::CallEventKind::kEnded:
      kind = Write::Kind::kClose;
      break;
    default:
      return;
  }
  // Copied on the core thread; the store work runs on the pool.
  std::lock_guard lock(mu_);
  queue_.push_back(Write{kind, to_cdr(e.call)});
  if (scheduled_) return;
  scheduled_ = true;
  boost::asio::post(strand_, [this] { drain(); });
}

Status CdrWriter::write(store::CdrRepository& repo, const Write& w) {
  Status st = write_row(repo, w);
  if (!st.ok() || w.kind == Write::Kind::kRecording || w.record.forwarded_from.empty()) return st;
  return repo.set_forwarding(w.record);  // issue 7 §3
}

Status CdrWriter::write_row(store::CdrRepository& repo, const Write& w) {
  if (w.kind == Write::Kind::kOpen) {
    auto r = repo.open(w.record);
    return r.ok() ? Status::Ok() : Status(r.error());
  }
  if (w.kind == Write::Kind::kRecording) {
    auto st = repo.set_recording(w.record.call_id, w.record.recording_path.value_or(""));
    // No open row (it failed, or the call ended first): the close carries it.
    if (!st.ok() && st.error().code == ErrorCode::kNotFound) return Status::Ok();
    return st;
  }
  auto st = repo.close(w.record);
  if (!st.ok() && st.error().code == ErrorCode::kNotFound) {
    auto r = repo.insert(w.record);  // its open row was never written
    return r.ok() ? Status::Ok() : Status(r.error());
  }
  return st;
}

void CdrWriter::drain() {
  std::vector<Write> batch;
  {
    std::lock_guard lock(mu_);
    batch.swap(queue_);
    scheduled_ = false;
  }
  store::CdrRepository repo(db_);
  auto count = [this](const Write& w) {
    if (w.kind == Write::Kind::kOpen) ++stats_.opened;
    if (w.kind == Write::Kind::kClose) ++stats_.closed;
  };
  // One transaction for the batch; if any write fails (PostgreSQL aborts the
  // whole transaction then), roll back and write them one by one.
  Status st = store::transaction(db_, [&]() -> Status {
    for (const auto& w : batch) {
      if (auto s = write(repo, w); !s.ok()) return s;
    }
    return Status::Ok();
  });
  ++stats_.batches;
  if (st.ok()) {
    for (const auto& w : batch) count(w);
    return;
  }
  for (const auto& w : batch) {
    if (auto s = write(repo, w); !s.ok()) {
      ++stats_.errors;
      log::get("cdr")->error("cdr of call {}: {}", w.record.call_id, s.error().message);
    } else {
      count(w);
    }
  }
}

}  // namespace switchboard::features
