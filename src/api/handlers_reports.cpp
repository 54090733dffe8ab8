// The store's reports: CDR (filtered, paginated, CSV), statistics, audit log.
#include <charconv>

#include "api/api_service.hpp"
#include "store/audit_repository.hpp"
#include "store/cdr_repository.hpp"

namespace switchboard::api {

namespace http = boost::beast::http;

namespace {

/// A 400 with a reason, thrown by the query readers and caught below.
struct BadQuery {
  std::string field, reason;
};

std::optional<store::Timestamp> time_param(const ApiRequest& r, const char* name) {
  auto it = r.query.find(name);
  if (it == r.query.end()) return std::nullopt;
  auto t = store::parse_timestamp(it->second);
  if (!t) throw BadQuery{name, "expected an ISO-8601 time"};
  return *t;
}

std::int64_t int_param(const ApiRequest& r, const char* name, std::int64_t def, std::int64_t lo,
                       std::int64_t hi) {
  auto it = r.query.find(name);
  if (it == r.query.end()) return def;
  std::int64_t n = 0;
  std::from_chars(it->second.data(), it->second.data() + it->second.size(), n);  // validated
  if (n < lo || n > hi) {
    throw BadQuery{name, "out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]"};
  }
  return n;
}

Response bad(const BadQuery& b) {
  return json_error(400, "validation_failed", b.field + ": " + b.reason,
                    {{"field", b.field}, {"reason", b.reason}});
}

store::CdrFilter cdr_filter(const ApiRequest& r, std::int64_t max_limit) {
  store::CdrFilter f;
  f.from = time_param(r, "from");
  f.to = time_param(r, "to");
  if (auto it = r.query.find("extension"); it != r.query.end()) f.extension = it->second;
  if (auto scope = r.principal.scope()) f.extension = *scope;  // a user: their own calls only
  if (auto it = r.query.find("disposition"); it != r.query.end()) {
    f.disposition = store::disposition_from(it->second);
    if (!f.disposition) throw BadQuery{"disposition", "unknown disposition"};
  }
  f.limit = int_param(r, "limit", 100, 1, max_limit);
  f.offset = int_param(r, "offset", 0, 0, INT64_MAX);
  return f;
}

/// The recording references of a row ("a;b" in the store).
nlohmann::json recordings_of(const store::CdrRecord& c) {
  nlohmann::json out = nlohmann::json::array();
  if (!c.recording_path) return out;
  std::string_view rest = *c.recording_path;
  while (!rest.empty()) {
    const auto end = rest.find(';');
    if (end != 0) out.push_back(std::string(rest.substr(0, end)));
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return out;
}

/// The transfer chain (issue 7 §7), in order.
nlohmann::json transfers_of(const store::CdrRecord& c) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& t : c.transfers) {
    out.push_back({{"kind", t.kind},
                   {"by", t.by},
                   {"from", t.from},
                   {"to", t.to},
                   {"at", store::to_iso(t.at)}});
  }
  return out;
}

/// The chain as one CSV cell: "kind:from>to" per step, ';'-separated.
std::string transfers_text(const store::CdrRecord& c) {
  std::string out;
  for (const auto& t : c.transfers) {
    if (!out.empty()) out += ';';
    out += t.kind + ":" + t.from + ">" + t.to;
  }
  return out;
}

nlohmann::json to_json(const store::CdrRecord& c) {
  return {{"id", c.id},
          {"call_id", c.call_id},
          {"caller", c.caller},
          {"caller_name", c.caller_name},
          {"callee", c.callee},
          {"direction", store::to_string(c.direction)},
          {"start_time", store::to_iso(c.start_time)},
          {"answer_time", c.answer_time ? nlohmann::json(store::to_iso(*c.answer_time)) : nullptr},
          {"end_time", store::to_iso(c.end_time)},
          {"duration", c.duration_s},
          {"billsec", c.billsec_s},
          {"disposition", store::to_string(c.disposition)},
          {"hangup_cause", c.hangup_cause},
          {"hangup_side", c.hangup_side},
          {"codec", c.codec},
          {"recordings", recordings_of(c)},
          {"forwarded_from", c.forwarded_from},  // call forwarding, issue 7 §3
          {"forward_reason", c.forward_reason},
          {"forward_loop", c.forward_loop},
          {"transfers", transfers_of(c)},
          {"status", store::to_string(c.status)}};
}

std::string csv_field(const std::string& v) {
  // Quoted always; a leading = + - @ is neutralised (spreadsheet formulas).
  std::string out = "\"";
  if (!v.empty() && std::string_view("=+-@").find(v[0]) != std::string_view::npos) out += '\'';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

const std::vector<QueryParam> kCdrQuery = {
    {"from", JsonType::kString, "start_time >= this ISO-8601 time"},
    {"to", JsonType::kString, "start_time < this ISO-8601 time"},
    {"extension", JsonType::kString, "caller, callee or the extension that forwarded it"},
    {"disposition", JsonType::kString, "ANSWERED, NO_ANSWER, BUSY, FAILED, CANCELLED"},
    {"limit", JsonType::kInteger, "page size"},
    {"offset", JsonType::kInteger, "rows to skip"},
};

nlohmann::json page_schema(const char* key, nlohmann::json item) {
  return {{"type", "object"},
          {"required", {key, "total", "limit", "offset"}},
          {"properties",
           {{key, {{"type", "array"}, {"items", std::move(item)}}},
            {"total", {{"type", "integer"}}},
            {"limit", {{"type", "integer"}}},
            {"offset", {{"type", "integer"}}}}}};
}

}  // namespace

void ApiService::add_report_routes() {
  auto guarded = [this](std::function<Response()> fn, Reply reply) {
    on_worker(
        [fn = std::move(fn)] {
          try {
            return fn();
          } catch (const BadQuery& b) {
            return bad(b);
          }
        },
        std::move(reply));
  };
  const nlohmann::json cdr_item = {
      {"type", "object"},
      {"required", {"id", "call_id", "caller", "callee", "start_time", "disposition", "billsec"}},
      {"properties",
       {{"id", {{"type", "integer"}}},
        {"call_id", {{"type", "string"}}},
        {"caller", {{"type", "string"}}},
        {"callee", {{"type", "string"}}},
        {"start_time", {{"type", "string"}}},
        {"answer_time", {{"type", "string"}, {"nullable", true}}},
        {"disposition", {{"type", "string"}}},
        {"duration", {{"type", "integer"}}},
        {"billsec", {{"type", "integer"}}},
        {"recordings",
         {{"type", "array"},
          {"items", {{"type", "string"}}},
          {"description", "The call's recordings, relative to recording.storage_path"}}},
        {"transfers",
         {{"type", "array"},
          {"description",
           "The call's transfers in order (kind: blind, attended, replaces, recall, api; by: "
           "the transferrer's extension or \"api\"; from: the party that left; to: the party "
           "that took its place). A parked call's callee is the park slot."},
          {"items",
           {{"type", "object"},
            {"required", {"kind", "by", "from", "to", "at"}},
            {"properties",
             {{"kind", {{"type", "string"}}},
              {"by", {{"type", "string"}}},
              {"from", {{"type", "string"}}},
              {"to", {{"type", "string"}}},
              {"at", {{"type", "string"}}}}}}}}}}}};
  router_.add({
      .method = http::verb::get,
      .path = "/api/v1/cdr",
      .permission = Permission::kCdrRead,
      .summary = "Call detail records, newest first (a user sees only their own)",
      .tag = "cdr",
      .query = kCdrQuery,
      .response_schema = page_schema("records", cdr_item),
      .handler =
          [this, guarded](ApiRequest r, Reply reply) {
            guarded(
                [this, r] {
                  auto f = cdr_filter(r, store::kMaxPageSize);
                  auto page = store::CdrRepository(db_).query(f);
                  if (!page) return json_error(500, "store_error", "the store failed");
                  nlohmann::json items = nlohmann::json::array();
                  for (const auto& c : page->items) items.push_back(to_json(c));
                  return json_response(200, nlohmann::json{{"records", items},
                                                           {"total", page->total},
                                                           {"limit", f.limit},
                                                           {"offset", f.offset}});
                },
                std::move(reply));
          },
  });
  router_.add({
      .method = http::verb::get,
      .path = "/api/v1/cdr/export",
      .permission = Permission::kCdrRead,
      .summary = "The same records as CSV",
      .tag = "cdr",
      .query = kCdrQuery,
      .response_schema = {{"type", "string"}},
      .content_type = "text/csv",
      .handler =
          [this, guarded](ApiRequest r, Reply reply) {
            guarded(
                [this, r] {
                  auto f = cdr_filter(r, store::kMaxPageSize);
                  auto page = store::CdrRepository(db_).query(f);
                  if (!page) return json_error(500, "store_error", "the store failed");
                  std::string csv =
                      "id,call_id,caller,callee,direction,start_time,answer_time,end_time,"
                      "duration,billsec,disposition,hangup_cause,recording,transfers\r\n";
                  for (const auto& c : page->items) {
                    csv += std::to_string(c.id) + "," + csv_field(c.call_id) + "," +
                           csv_field(c.caller) + "," + csv_field(c.callee) + "," +
                           store::to_string(c.direction) + "," + store::to_iso(c.start_time) + "," +
                           (c.answer_time ? store::to_iso(*c.answer_time) : "") + "," +
                           store::to_iso(c.end_time) + "," + std::to_string(c.duration_s) + "," +
                           std::to_string(c.billsec_s) + "," + store::to_string(c.disposition) +
                           "," + csv_field(c.hangup_cause) + "," +
                           csv_field(c.recording_path.value_or("")) + "," +
                           csv_field(transfers_text(c)) + "\r\n";
                  }
                  auto res = text_response(200, std::move(csv), "text/csv");
                  res.set(http::field::content_disposition, "attachment; filename=\"cdr.csv\"");
                  return res;
                },
                std::move(reply));
          },
  });
  const nlohmann::json num = {{"type", "number"}};
  const nlohmann::json integer = {{"type", "integer"}};
  router_.add({
      .method = http::verb::get,
      .path = "/api/v1/statistics",
      .permission = Permission::kStatsRead,
      .summary =
          "Daily totals, answer rate, average duration, per extension (default: last 7 days)",
      .tag = "cdr",
      .query = {{"from", JsonType::kString, "ISO-8601"}, {"to", JsonType::kString, "ISO-8601"}},
      .response_schema =
          {{"type", "object"},
           {"required", {"from", "to", "totals", "daily", "extensions"}},
           {"properties",
            {{"totals",
              {{"type", "object"},
               {"required", {"total", "answered", "answer_rate", "avg_billsec"}},
               {"properties",
                {{"total", integer},
                 {"answered", integer},
                 {"answer_rate", num},
                 {"avg_billsec", num}}}}},
             {"daily",
              {{"type", "array"},
               {"items",
                {{"type", "object"},
                 {"required", {"day", "total", "answered", "answer_rate", "avg_billsec"}}}}}},
             {"extensions",
              {{"type", "array"},
               {"items",
                {{"type", "object"},
                 {"required",
                  {"extension", "outgoing", "incoming", "answered", "avg_billsec"}}}}}}}}},
      .handler =
          [this, guarded](ApiRequest r, Reply reply) {
            guarded(
                [this, r] {
                  const auto to = time_param(r, "to").value_or(store::system_now());
                  const auto from = time_param(r, "from").value_or(to - std::chrono::hours(24 * 7));
                  store::CdrRepository repo(db_);
                  auto daily = repo.daily_stats(from, to);
                  auto per_ext = repo.extension_stats(from, to);
                  if (!daily || !per_ext) return json_error(500, "store_error", "the store failed");
                  nlohmann::json days = nlohmann::json::array(), exts = nlohmann::json::array();
                  std::int64_t total = 0, answered = 0;
                  double billsec = 0;
                  for (const auto& d : *daily) {
                    days.push_back({{"day", d.day},
                                    {"total", d.total},
                                    {"answered", d.answered},
                                    {"answer_rate", d.answer_rate},
                                    {"avg_billsec", d.avg_billsec}});
                    total += d.total;
                    answered += d.answered;
                    billsec += d.avg_billsec * static_cast<double>(d.answered);
                  }
                  for (const auto& e : *per_ext) {
                    exts.push_back({{"extension", e.extension},
                                    {"outgoing", e.outgoing},
                                    {"incoming", e.incoming},
                                    {"answered", e.answered},
                                    {"total_billsec", e.total_billsec},
                                    {"avg_billsec", e.avg_billsec}});
                  }
                  nlohmann::json totals = {
                      {"total", total},
                      {"answered", answered},
                      {"answer_rate",
                       total ? static_cast<double>(answered) / static_cast<double>(total) : 0.0},
                      {"avg_billsec", answered ? billsec / static_cast<double>(answered) : 0.0}};
                  return json_response(200, nlohmann::json{{"from", store::to_iso(from)},
                                                           {"to", store::to_iso(to)},
                                                           {"totals", totals},
                                                           {"daily", days},
                                                           {"extensions", exts}});
                },
                std::move(reply));
          },
  });
  router_.add({
      .method = http::verb::get,
      .path = "/api/v1/audit",
      .permission = Permission::kAuditRead,
      .summary = "The audit log, newest first",
      .tag = "system",
      .query = {{"actor", JsonType::kString, ""},
                {"action", JsonType::kString, ""},
                {"from", JsonType::kString, "ISO-8601"},
                {"to", JsonType::kString, "ISO-8601"},
                {"limit", JsonType::kInteger, "page size"},
                {"offset", JsonType::kInteger, "entries to skip"}},
      .response_schema = page_schema(
          "entries",
          {{"type", "object"},
           {"required", {"id", "at", "actor", "source_ip", "action", "target", "details"}}}),
      .handler =
          [this, guarded](ApiRequest r, Reply reply) {
            guarded(
                [this, r] {
                  store::AuditFilter f;
                  if (auto it = r.query.find("actor"); it != r.query.end()) f.actor = it->second;
                  if (auto it = r.query.find("action"); it != r.query.end()) f.action = it->second;
                  f.from = time_param(r, "from");
                  f.to = time_param(r, "to");
                  f.limit = int_param(r, "limit", 100, 1, store::kMaxPageSize);
                  f.offset = int_param(r, "offset", 0, 0, INT64_MAX);
                  auto page = store::AuditRepository(db_).query(f);
                  if (!page) return json_error(500, "store_error", "the store failed");
                  nlohmann::json items = nlohmann::json::array();
                  for (const auto& e : page->items) {
                    items.push_back(
                        {{"id", e.id},
                         {"at", store::to_iso(e.at)},
                         {"actor", e.actor},
                         {"source_ip", e.source_ip},
                         {"action", e.action},
                         {"target", e.target},
                         {"details", nlohmann::json::parse(e.details, nullptr, false)}});
                  }
                  return json_response(200, nlohmann::json{{"entries", items},
                                                           {"total", page->total},
                                                           {"limit", f.limit},
                                                           {"offset", f.offset}});
                },
                std::move(reply));
          },
  });
}

}  // namespace switchboard::api
