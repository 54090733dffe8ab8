#include "store/forwarding_repository.hpp"

#include <fmt/format.h>

#include "store/repo_util.hpp"

namespace switchboard::store {
namespace {

constexpr std::size_t kMaxTarget = 64;

bool known_condition(std::string_view c) {
  return c == "always" || c == "busy" || c == "no_answer";
}

}  // namespace

Result<std::vector<ForwardingRecord>> ForwardingRepository::select(const std::string& where,
                                                                   std::vector<Value> params) {
  auto r =
      db_.exec("SELECT extension, forward_on, target, updated_by, updated_at FROM call_forwarding" +
                   where + " ORDER BY extension, forward_on",
               std::move(params));
  if (!r) return detail::with_context(r.error(), "read call forwarding");
  std::vector<ForwardingRecord> out;
  for (const auto& row : *r) {
    ForwardingRecord f;
    f.extension = row.get_text("extension");
    f.condition = row.get_text("forward_on");
    f.target = row.get_text("target");
    f.updated_by = row.get_text("updated_by");
    auto at = detail::read_time(row, "updated_at");
    if (!at) return at.error();
    f.updated_at = *at;
    out.push_back(std::move(f));
  }
  return out;
}

Result<std::vector<ForwardingRecord>> ForwardingRepository::list() {
  return select("", {});
}

Result<std::vector<ForwardingRecord>> ForwardingRepository::of(std::string_view extension) {
  return select(" WHERE extension = ?", {std::string(extension)});
}

Result<ForwardingRecord> ForwardingRepository::set(const ForwardingRecord& record) {
  if (record.extension.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "forwarding needs an extension");
  }
  if (!known_condition(record.condition)) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("unknown forwarding condition \"{}\"", record.condition));
  }
  if (record.target.size() > kMaxTarget) {
    return make_error(ErrorCode::kInvalidArgument, "forwarding target over 64 characters");
  }
  ForwardingRecord stored = record;
  stored.updated_at = now_();
  auto r = db_.exec(
      "INSERT INTO call_forwarding (extension, forward_on, target, updated_by, updated_at)"
      " VALUES (?, ?, ?, ?, ?) ON CONFLICT (extension, forward_on) DO UPDATE SET"
      " target = excluded.target, updated_by = excluded.updated_by,"
      " updated_at = excluded.updated_at",
      {stored.extension, stored.condition, stored.target, stored.updated_by,
       to_iso(stored.updated_at)});
  if (auto s = detail::status_of(r); !s) {
    return detail::with_context(s.error(), "set forwarding of " + stored.extension);
  }
  return stored;
}

Status ForwardingRepository::remove(std::string_view extension, std::string_view condition) {
  return detail::expect_changed(
      db_.exec("DELETE FROM call_forwarding WHERE extension = ? AND forward_on = ?",
               {std::string(extension), std::string(condition)}),
      fmt::format("forwarding {} of {}", condition, extension));
}

}  // namespace switchboard::store
