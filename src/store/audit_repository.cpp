#include "store/audit_repository.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "store/repo_util.hpp"

namespace switchboard::store {

Result<std::int64_t> AuditRepository::append(const AuditEntry& e) {
  if (e.actor.empty() || e.action.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "audit entry needs an actor and an action");
  }
  // Readers (the API, exports) parse details; reject what they could not.
  std::string details = e.details.empty() ? "{}" : e.details;
  if (!nlohmann::json::accept(details)) {
    return make_error(ErrorCode::kInvalidArgument, "audit details must be a JSON document");
  }
  auto r = db_.exec(
      "INSERT INTO audit_log (at, actor, source_ip, action, target, details)"
      " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
      {to_iso(now_()), e.actor, e.source_ip, e.action, e.target, details});
  if (!r) return detail::with_context(r.error(), "append audit entry");
  return (*r)[0].get_int(0);
}

Result<Page<AuditEntry>> AuditRepository::query(const AuditFilter& f) {
  if (Status s = detail::check_page(f.limit, f.offset); !s) return s.error();
  detail::WhereBuilder where;
  if (f.actor) where.add("actor = ?", {*f.actor});
  if (f.action) where.add("action = ?", {*f.action});
  if (f.from) where.add("at >= ?", {to_iso(*f.from)});
  if (f.to) where.add("at < ?", {to_iso(*f.to)});

  auto count = db_.exec("SELECT COUNT(*) AS n FROM audit_log" + where.sql(), where.params());
  if (!count) return detail::with_context(count.error(), "count audit log");
  std::vector<Value> params = where.params();
  params.emplace_back(f.limit);
  params.emplace_back(f.offset);
  auto r = db_.exec("SELECT id, at, actor, source_ip, action, target, details FROM audit_log" +
                        where.sql() + " ORDER BY at DESC, id DESC LIMIT ? OFFSET ?",
                    std::move(params));
  if (!r) return detail::with_context(r.error(), "query audit log");
  Page<AuditEntry> page;
  page.total = (*count)[0].get_int(0);
  for (const auto& row : *r) {
    AuditEntry e;
    e.id = row.get_int("id");
    auto at = detail::read_time(row, "at");
    if (!at) return at.error();
    e.at = *at;
    e.actor = row.get_text("actor");
    e.source_ip = row.get_text("source_ip");
    e.action = row.get_text("action");
    e.target = row.get_text("target");
    e.details = row.get_text("details");
    page.items.push_back(std::move(e));
  }
  return page;
}

}  // namespace switchboard::store
