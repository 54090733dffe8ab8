#include "store/vip_repository.hpp"

#include <fmt/format.h>

#include "store/repo_util.hpp"

namespace switchboard::store {
namespace {

constexpr const char* kColumns =
    "id, caller_id, name, priority_level, notes, special_routing, created_at, updated_at";

// The PostgreSQL schema enforces the VARCHAR limits, SQLite does not:
// checking here makes both engines answer the same.
Status validate(const VipCaller& vip) {
  if (vip.caller_id.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "caller_id must not be empty");
  }
  if (detail::utf8_length(vip.caller_id) > 20) {
    return make_error(ErrorCode::kInvalidArgument, "caller_id is longer than 20 characters");
  }
  if (vip.priority_level < kVip || vip.priority_level > kExecutive) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("priority_level must be 1, 2 or 3, not {}", vip.priority_level));
  }
  if (vip.name && detail::utf8_length(*vip.name) > 255) {
    return make_error(ErrorCode::kInvalidArgument, "name is longer than 255 characters");
  }
  if (vip.special_routing && detail::utf8_length(*vip.special_routing) > 50) {
    return make_error(ErrorCode::kInvalidArgument, "special_routing is longer than 50 characters");
  }
  return {};
}

VipCaller from_row(const Row& row) {
  VipCaller v;
  v.id = row.get_int("id");
  v.caller_id = row.get_text("caller_id");
  v.name = row.opt_text("name");
  // The column is nullable; a row another program wrote without it gets the
  // schema's default.
  v.priority_level = static_cast<int>(row.opt_int("priority_level").value_or(kVip));
  v.notes = row.opt_text("notes");
  v.special_routing = row.opt_text("special_routing");
  v.created_at = normalise_timestamp(row.get_text("created_at"));
  v.updated_at = normalise_timestamp(row.get_text("updated_at"));
  return v;
}

}  // namespace

Result<VipCaller> VipRepository::fetch_one(std::string_view where, Value key) {
  auto r = db_.exec(fmt::format("SELECT {} FROM vip_callers WHERE {} = ?", kColumns, where), {key});
  if (!r) return detail::with_context(r.error(), "get VIP caller");
  if (r->empty()) return make_error(ErrorCode::kNotFound, "VIP caller not found");
  return from_row((*r)[0]);
}

Result<VipCaller> VipRepository::create(const VipCaller& vip) {
  if (Status s = validate(vip); !s) return s.error();
  std::string now = to_sql_timestamp(now_());
  auto r = db_.exec(
      "INSERT INTO vip_callers (caller_id, name, priority_level, notes, special_routing,"
      " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {vip.caller_id, opt_value(vip.name), std::int64_t{vip.priority_level}, opt_value(vip.notes),
       opt_value(vip.special_routing), now, now});
  if (!r) return detail::with_context(r.error(), "create VIP caller " + vip.caller_id);
  return get((*r)[0].get_int(0));
}

Result<VipCaller> VipRepository::get(std::int64_t id) {
  return fetch_one("id", id);
}

Result<VipCaller> VipRepository::find_by_caller_id(std::string_view caller_id) {
  return fetch_one("caller_id", std::string(caller_id));
}

Result<std::vector<VipCaller>> VipRepository::list(std::optional<int> priority) {
  std::string sql = fmt::format("SELECT {} FROM vip_callers", kColumns);
  std::vector<Value> params;
  if (priority) {
    sql += " WHERE priority_level = ?";
    params.emplace_back(std::int64_t{*priority});
  }
  sql += " ORDER BY priority_level DESC, caller_id";
  auto r = db_.exec(sql, std::move(params));
  if (!r) return detail::with_context(r.error(), "list VIP callers");
  std::vector<VipCaller> out;
  for (const auto& row : *r) out.push_back(from_row(row));
  return out;
}

Result<VipCaller> VipRepository::update(const VipCaller& vip) {
  if (Status s = validate(vip); !s) return s.error();
  auto r = db_.exec(
      "UPDATE vip_callers SET caller_id = ?, name = ?, priority_level = ?, notes = ?,"
      " special_routing = ?, updated_at = ? WHERE id = ?",
      {vip.caller_id, opt_value(vip.name), std::int64_t{vip.priority_level}, opt_value(vip.notes),
       opt_value(vip.special_routing), to_sql_timestamp(now_()), vip.id});
  if (Status s = detail::expect_changed(r, fmt::format("update VIP caller {}", vip.id)); !s) {
    return s.error();
  }
  return get(vip.id);
}

Status VipRepository::remove(std::int64_t id) {
  return detail::expect_changed(db_.exec("DELETE FROM vip_callers WHERE id = ?", {id}),
                                fmt::format("remove VIP caller {}", id));
}

}  // namespace switchboard::store
