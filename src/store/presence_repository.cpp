#include "store/presence_repository.hpp"

#include <fmt/format.h>

#include "store/repo_util.hpp"

namespace switchboard::store {
namespace {

constexpr std::size_t kMaxNote = 256;

Result<PresenceRecord> from_row(const Row& row) {
  PresenceRecord p;
  p.extension = row.get_text("extension");
  auto status = presence_status_from(row.get_text("status"));
  if (!status) {
    return make_error(ErrorCode::kInternal, fmt::format("presence {}: bad status", p.extension));
  }
  p.status = *status;
  p.note = row.get_text("note");
  p.updated_by = row.get_text("updated_by");
  auto at = detail::read_time(row, "updated_at");
  if (!at) return at.error();
  p.updated_at = *at;
  return p;
}

}  // namespace

const char* to_string(PresenceStatus s) {
  switch (s) {
    case PresenceStatus::kAvailable:
      return "available";
    case PresenceStatus::kAway:
      return "away";
    case PresenceStatus::kDnd:
      return "dnd";
  }
  return "available";
}

std::optional<PresenceStatus> presence_status_from(std::string_view text) {
  for (auto s : {PresenceStatus::kAvailable, PresenceStatus::kAway, PresenceStatus::kDnd}) {
    if (text == to_string(s)) return s;
  }
  return std::nullopt;
}

Result<std::vector<PresenceRecord>> PresenceRepository::list() {
  auto r = db_.exec(
      "SELECT extension, status, note, updated_by, updated_at FROM presence ORDER BY extension");
  if (!r) return detail::with_context(r.error(), "list presence");
  std::vector<PresenceRecord> out;
  for (const auto& row : *r) {
    auto p = from_row(row);
    if (!p) return p.error();
    out.push_back(std::move(*p));
  }
  return out;
}

Result<PresenceRecord> PresenceRepository::get(std::string_view extension) {
  auto r = db_.exec(
      "SELECT extension, status, note, updated_by, updated_at FROM presence WHERE extension = ?",
      {std::string(extension)});
  if (!r) return detail::with_context(r.error(), "read presence");
  if (r->empty()) {
    return make_error(ErrorCode::kNotFound, fmt::format("no presence for {}", extension));
  }
  return from_row((*r)[0]);
}

Result<PresenceRecord> PresenceRepository::set(const PresenceRecord& record) {
  if (record.extension.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "presence needs an extension");
  }
  if (detail::utf8_length(record.note) > kMaxNote) {
    return make_error(ErrorCode::kInvalidArgument, "presence note over 256 characters");
  }
  PresenceRecord stored = record;
  stored.updated_at = now_();
  auto r = db_.exec(
      "INSERT INTO presence (extension, status, note, updated_by, updated_at)"
      " VALUES (?, ?, ?, ?, ?) ON CONFLICT (extension) DO UPDATE SET status = excluded.status,"
      " note = excluded.note, updated_by = excluded.updated_by,"
      " updated_at = excluded.updated_at",
      {stored.extension, to_string(stored.status), stored.note, stored.updated_by,
       to_iso(stored.updated_at)});
  if (auto s = detail::status_of(r); !s) {
    return detail::with_context(s.error(), "set presence of " + stored.extension);
  }
  return stored;
}

Status PresenceRepository::remove(std::string_view extension) {
  return detail::expect_changed(
      db_.exec("DELETE FROM presence WHERE extension = ?", {std::string(extension)}),
      "presence of " + std::string(extension));
}

}  // namespace switchboard::store
