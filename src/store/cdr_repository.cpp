#include "store/cdr_repository.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "store/repo_util.hpp"

namespace switchboard::store {
namespace {

constexpr const char* kColumns =
    "id, call_id, caller, caller_name, callee, direction, start_time, answer_time, end_time,"
    " duration_s, billsec_s, disposition, hangup_cause, recording_path, hangup_side, codec,"
    " caller_user_agent, callee_user_agent, packets_caller, packets_callee, packets_lost,"
    " jitter_ms, status"
    ", forwarded_from, forward_reason, forward_loop, transfers";

constexpr const char* kInsert =
    "INSERT INTO cdr (call_id, caller, caller_name, callee, direction, start_time, answer_time,"
    " end_time, duration_s, billsec_s, disposition, hangup_cause, recording_path, hangup_side,"
    " codec, caller_user_agent, callee_user_agent, packets_caller, packets_callee, packets_lost,"
    " jitter_ms, status, transfers)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

std::vector<Value> insert_params(const CdrRecord& c) {
  return {c.call_id,
          c.caller,
          c.caller_name,
          c.callee,
          to_string(c.direction),
          to_iso(c.start_time),
          c.answer_time ? Value{to_iso(*c.answer_time)} : null_value(),
          to_iso(c.end_time),
          c.duration_s,
          c.billsec_s,
          to_string(c.disposition),
          c.hangup_cause,
          opt_value(c.recording_path),
          c.hangup_side,
          c.codec,
          c.caller_user_agent,
          c.callee_user_agent,
          c.packets_caller,
          c.packets_callee,
          c.packets_lost,
          c.jitter_ms,
          to_string(c.status),
          transfers_to_json(c.transfers)};
}

std::optional<CdrStatus> status_from(std::string_view text) {
  for (auto s : {CdrStatus::kOpen, CdrStatus::kComplete, CdrStatus::kInterrupted}) {
    if (text == to_string(s)) return s;
  }
  return std::nullopt;
}

Status validate(const CdrRecord& r) {
  if (r.duration_s < 0 || r.billsec_s < 0) {
    return make_error(ErrorCode::kInvalidArgument, "durations must not be negative");
  }
  if (r.billsec_s > r.duration_s) {
    return make_error(ErrorCode::kInvalidArgument, "billsec exceeds duration");
  }
  if (r.end_time < r.start_time) {
    return make_error(ErrorCode::kInvalidArgument, "call ends before it starts");
  }
  return {};
}

Result<CdrRecord> from_row(const Row& row) {
  CdrRecord c;
  c.id = row.get_int("id");
  c.call_id = row.get_text("call_id");
  c.caller = row.get_text("caller");
  c.caller_name = row.get_text("caller_name");
  c.callee = row.get_text("callee");
  auto direction = call_direction_from(row.get_text("direction"));
  auto disposition = disposition_from(row.get_text("disposition"));
  if (!direction || !disposition) {
    return make_error(ErrorCode::kInternal,
                      fmt::format("cdr {}: bad direction or disposition", c.id));
  }
  c.direction = *direction;
  c.disposition = *disposition;
  auto start = detail::read_time(row, "start_time");
  if (!start) return start.error();
  auto end = detail::read_time(row, "end_time");
  if (!end) return end.error();
  c.start_time = *start;
  c.end_time = *end;
  if (!row.is_null("answer_time")) {
    auto answer = detail::read_time(row, "answer_time");
    if (!answer) return answer.error();
    c.answer_time = *answer;
  }
  c.duration_s = row.get_int("duration_s");
  c.billsec_s = row.get_int("billsec_s");
  c.hangup_cause = row.get_text("hangup_cause");
  c.recording_path = row.opt_text("recording_path");
  c.hangup_side = row.get_text("hangup_side");
  c.codec = row.get_text("codec");
  c.caller_user_agent = row.get_text("caller_user_agent");
  c.callee_user_agent = row.get_text("callee_user_agent");
  c.packets_caller = row.get_int("packets_caller");
  c.packets_callee = row.get_int("packets_callee");
  c.packets_lost = row.get_int("packets_lost");
  c.jitter_ms = row.get_int("jitter_ms");
  c.status = status_from(row.get_text("status")).value_or(CdrStatus::kComplete);
  c.forwarded_from = row.get_text("forwarded_from");
  c.forward_reason = row.get_text("forward_reason");
  c.forward_loop = row.get_int("forward_loop") != 0;
  auto transfers = transfers_from_json(row.get_text("transfers"));
  if (!transfers) {
    return make_error(ErrorCode::kInternal,
                      fmt::format("cdr {}: {}", c.id, transfers.error().message));
  }
  c.transfers = std::move(*transfers);
  return c;
}

double ratio(double num, std::int64_t den) {
  return den == 0 ? 0.0 : num / static_cast<double>(den);
}

}  // namespace

std::string transfers_to_json(const std::vector<CdrTransfer>& transfers) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& t : transfers) {
    out.push_back(
        {{"kind", t.kind}, {"by", t.by}, {"from", t.from}, {"to", t.to}, {"at", to_iso(t.at)}});
  }
  return out.dump();
}

Result<std::vector<CdrTransfer>> transfers_from_json(std::string_view text) {
  auto bad = [](std::string why) {
    return make_error(ErrorCode::kInvalidArgument, "transfers: " + std::move(why));
  };
  if (text.empty()) return std::vector<CdrTransfer>{};  // a row from before migration 15
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_array()) return bad("not a JSON array");
  std::vector<CdrTransfer> out;
  for (const auto& e : j) {
    if (!e.is_object()) return bad("an entry is not an object");
    CdrTransfer t;
    for (auto [field, key] : {std::pair{&t.kind, "kind"}, std::pair{&t.by, "by"},
                              std::pair{&t.from, "from"}, std::pair{&t.to, "to"}}) {
      auto it = e.find(key);
      if (it == e.end() || !it->is_string()) return bad(fmt::format("no text `{}`", key));
      *field = it->get<std::string>();
    }
    auto at = e.find("at");
    if (at == e.end() || !at->is_string()) return bad("no text `at`");
    auto when = parse_timestamp(at->get<std::string>());
    if (!when) return bad("bad `at`");
    t.at = *when;
    out.push_back(std::move(t));
  }
  return out;
}

const char* to_string(CallDirection d) {
  switch (d) {
    case CallDirection::kInternal:
      return "internal";
    case CallDirection::kInbound:
      return "inbound";
    case CallDirection::kOutbound:
      return "outbound";
  }
  return "internal";
}

const char* to_string(Disposition d) {
  switch (d) {
    case Disposition::kAnswered:
      return "ANSWERED";
    case Disposition::kNoAnswer:
      return "NO_ANSWER";
    case Disposition::kBusy:
      return "BUSY";
    case Disposition::kFailed:
      return "FAILED";
    case Disposition::kCancelled:
      return "CANCELLED";
  }
  return "FAILED";
}

const char* to_string(CdrStatus s) {
  switch (s) {
    case CdrStatus::kOpen:
      return "open";
    case CdrStatus::kComplete:
      return "complete";
    case CdrStatus::kInterrupted:
      return "interrupted";
  }
  return "complete";
}

std::optional<CallDirection> call_direction_from(std::string_view text) {
  for (auto d : {CallDirection::kInternal, CallDirection::kInbound, CallDirection::kOutbound}) {
    if (text == to_string(d)) return d;
  }
  return std::nullopt;
}

std::optional<Disposition> disposition_from(std::string_view text) {
  for (auto d : {Disposition::kAnswered, Disposition::kNoAnswer, Disposition::kBusy,
                 Disposition::kFailed, Disposition::kCancelled}) {
    if (text == to_string(d)) return d;
  }
  return std::nullopt;
}

Result<std::int64_t> CdrRepository::insert(const CdrRecord& c) {
  if (Status s = validate(c); !s) return detail::with_context(s.error(), "insert cdr");
  auto r = db_.exec(kInsert, insert_params(c));
  if (!r) return detail::with_context(r.error(), "insert cdr " + c.call_id);
  return (*r)[0].get_int(0);
}

Result<std::int64_t> CdrRepository::open(const CdrRecord& record) {
  CdrRecord c = record;
  c.status = CdrStatus::kOpen;
  c.end_time = c.start_time;
  c.duration_s = c.billsec_s = 0;
  return insert(c);
}

Status CdrRepository::close(const CdrRecord& c) {
  if (Status s = validate(c); !s) return detail::with_context(s.error(), "close cdr");
  auto r = db_.exec(
      "UPDATE cdr SET caller = ?, caller_name = ?, callee = ?, direction = ?, answer_time = ?,"
      " end_time = ?, duration_s = ?, billsec_s = ?, disposition = ?, hangup_cause = ?,"
      " recording_path = ?, hangup_side = ?, codec = ?, caller_user_agent = ?,"
      " callee_user_agent = ?, packets_caller = ?, packets_callee = ?, packets_lost = ?,"
      " jitter_ms = ?, transfers = ?, status = 'complete' WHERE call_id = ? AND status = 'open'",
      {c.caller,
       c.caller_name,
       c.callee,
       to_string(c.direction),
       c.answer_time ? Value{to_iso(*c.answer_time)} : null_value(),
       to_iso(c.end_time),
       c.duration_s,
       c.billsec_s,
       to_string(c.disposition),
       c.hangup_cause,
       opt_value(c.recording_path),
       c.hangup_side,
       c.codec,
       c.caller_user_agent,
       c.callee_user_agent,
       c.packets_caller,
       c.packets_callee,
       c.packets_lost,
       c.jitter_ms,
       transfers_to_json(c.transfers),
       c.call_id});
  return detail::expect_changed(r, "cdr " + c.call_id);
}

Status CdrRepository::set_recording(std::string_view call_id, std::string_view recording_path) {
  auto r = db_.exec("UPDATE cdr SET recording_path = ? WHERE call_id = ? AND status = 'open'",
                    {std::string(recording_path), std::string(call_id)});
  return detail::expect_changed(r, fmt::format("open cdr {}", call_id));
}

Status CdrRepository::set_forwarding(const CdrRecord& c) {
  return detail::expect_changed(
      db_.exec(
          "UPDATE cdr SET forwarded_from = ?, forward_reason = ?, forward_loop = ?"
          " WHERE call_id = ?",
          {c.forwarded_from, c.forward_reason, std::int64_t{c.forward_loop ? 1 : 0}, c.call_id}),
      "cdr " + c.call_id);
}

Result<std::int64_t> CdrRepository::mark_interrupted() {
  auto r = db_.exec("UPDATE cdr SET status = 'interrupted', hangup_cause = 'interrupted'"
                    " WHERE status = 'open'");
  if (!r) return detail::with_context(r.error(), "mark open cdr rows interrupted");
  return static_cast<std::int64_t>(r->affected_rows());
}

Result<Page<CdrRecord>> CdrRepository::query(const CdrFilter& f) {
  if (Status s = detail::check_page(f.limit, f.offset); !s) return s.error();
  detail::WhereBuilder where;
  if (f.from) where.add("start_time >= ?", {to_iso(*f.from)});
  if (f.to) where.add("start_time < ?", {to_iso(*f.to)});
  if (f.extension) {  // a call forwarded away concerns the forwarding extension too
    where.add("(caller = ? OR callee = ? OR forwarded_from = ?)",
              {*f.extension, *f.extension, *f.extension});
  }
  if (f.disposition) where.add("disposition = ?", {to_string(*f.disposition)});

  auto count = db_.exec("SELECT COUNT(*) AS n FROM cdr" + where.sql(), where.params());
  if (!count) return detail::with_context(count.error(), "count cdr");
  std::vector<Value> params = where.params();
  params.emplace_back(f.limit);
  params.emplace_back(f.offset);
  auto r = db_.exec(fmt::format("SELECT {} FROM cdr{} ORDER BY start_time DESC, id DESC"
                                " LIMIT ? OFFSET ?",
                                kColumns, where.sql()),
                    std::move(params));
  if (!r) return detail::with_context(r.error(), "query cdr");
  Page<CdrRecord> page;
  page.total = (*count)[0].get_int(0);
  for (const auto& row : *r) {
    auto c = from_row(row);
    if (!c) return c.error();
    page.items.push_back(std::move(*c));
  }
  return page;
}

Result<std::vector<DailyStats>> CdrRepository::daily_stats(Timestamp from, Timestamp to) {
  // ISO text makes the day a prefix; SUBSTR and CAST behave the same on both
  // engines, and the arithmetic is done here so it does not depend on how
  // each engine divides integers or types AVG().
  auto r = db_.exec(
      "SELECT SUBSTR(start_time, 1, 10) AS day, COUNT(*) AS total,"
      " CAST(SUM(CASE WHEN disposition = 'ANSWERED' THEN 1 ELSE 0 END) AS BIGINT) AS answered,"
      " CAST(SUM(CASE WHEN disposition = 'ANSWERED' THEN billsec_s ELSE 0 END) AS BIGINT)"
      " AS billsec"
      " FROM cdr WHERE start_time >= ? AND start_time < ?"
      " GROUP BY SUBSTR(start_time, 1, 10) ORDER BY day",
      {to_iso(from), to_iso(to)});
  if (!r) return detail::with_context(r.error(), "daily cdr stats");
  std::vector<DailyStats> out;
  for (const auto& row : *r) {
    DailyStats d;
    d.day = row.get_text("day");
    d.total = row.get_int("total");
    d.answered = row.get_int("answered");
    d.answer_rate = ratio(static_cast<double>(d.answered), d.total);
    d.avg_billsec = ratio(static_cast<double>(row.get_int("billsec")), d.answered);
    out.push_back(std::move(d));
  }
  return out;
}

Result<std::vector<ExtensionStats>> CdrRepository::extension_stats(Timestamp from, Timestamp to) {
  std::string lo = to_iso(from), hi = to_iso(to);
  auto r = db_.exec(
      "SELECT ext, CAST(SUM(outgoing) AS BIGINT) AS outgoing,"
      " CAST(SUM(incoming) AS BIGINT) AS incoming, CAST(SUM(answered) AS BIGINT) AS answered,"
      " CAST(SUM(billsec) AS BIGINT) AS billsec FROM ("
      "  SELECT caller AS ext, 1 AS outgoing, 0 AS incoming,"
      "   CASE WHEN disposition = 'ANSWERED' THEN 1 ELSE 0 END AS answered,"
      "   CASE WHEN disposition = 'ANSWERED' THEN billsec_s ELSE 0 END AS billsec"
      "  FROM cdr WHERE direction IN ('internal', 'outbound')"
      "   AND start_time >= ? AND start_time < ?"
      "  UNION ALL"
      "  SELECT callee AS ext, 0 AS outgoing, 1 AS incoming,"
      "   CASE WHEN disposition = 'ANSWERED' THEN 1 ELSE 0 END AS answered,"
      "   CASE WHEN disposition = 'ANSWERED' THEN billsec_s ELSE 0 END AS billsec"
      "  FROM cdr WHERE direction IN ('internal', 'inbound')"
      "   AND start_time >= ? AND start_time < ?"
      " ) AS legs GROUP BY ext ORDER BY ext",
      {lo, hi, lo, hi});
  if (!r) return detail::with_context(r.error(), "extension cdr stats");
  std::vector<ExtensionStats> out;
  for (const auto& row : *r) {
    ExtensionStats e;
    e.extension = row.get_text("ext");
    e.outgoing = row.get_int("outgoing");
    e.incoming = row.get_int("incoming");
    e.answered = row.get_int("answered");
    e.total_billsec = row.get_int("billsec");
    e.avg_billsec = ratio(static_cast<double>(e.total_billsec), e.answered);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace switchboard::store
