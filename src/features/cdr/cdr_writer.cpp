#include "features/cdr/cdr_writer.hpp"

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
  if (e.kind != core::CallEventKind::kStarted && e.kind != core::CallEventKind::kEnded) return;
  const bool start = e.kind == core::CallEventKind::kStarted;
  // Copied on the core thread; the store work runs on the pool.
  boost::asio::post(strand_, [this, start, rec = to_cdr(e.call)] {
    store::CdrRepository repo(db_);
    if (start) {
      auto r = repo.open(rec);
      if (!r.ok()) {
        ++stats_.errors;
        log::get("cdr")->error("cdr of call {}: {}", rec.call_id, r.error().message);
        return;
      }
      ++stats_.opened;
      return;
    }
    auto st = repo.close(rec);
    if (!st.ok() && st.error().code == ErrorCode::kNotFound) {
      auto r = repo.insert(rec);  // its open row was never written
      st = r.ok() ? Status::Ok() : Status(r.error());
    }
    if (!st.ok()) {
      ++stats_.errors;
      log::get("cdr")->error("cdr of call {}: {}", rec.call_id, st.error().message);
      return;
    }
    ++stats_.closed;
  });
}

}  // namespace switchboard::features
