#include "store/binding_repository.hpp"

#include <fmt/format.h>

#include "store/repo_util.hpp"

namespace switchboard::store {
namespace {

constexpr const char* kColumns =
    "aor, binding_key, contact, instance, reg_id, call_id, cseq, q, path, user_agent, "
    "transport, source_ip, source_port, expires_at, updated_at";

Result<StoredBinding> from_row(const Row& row) {
  StoredBinding b;
  b.aor = row.get_text("aor");
  b.binding_key = row.get_text("binding_key");
  b.contact = row.get_text("contact");
  b.instance = row.get_text("instance");
  b.reg_id = row.get_int("reg_id");
  b.call_id = row.get_text("call_id");
  b.cseq = row.get_int("cseq");
  b.q = static_cast<int>(row.get_int("q"));
  b.path = row.get_text("path");
  b.user_agent = row.get_text("user_agent");
  b.transport = row.get_text("transport");
  b.source_ip = row.get_text("source_ip");
  b.source_port = static_cast<int>(row.get_int("source_port"));
  auto expires = detail::read_time(row, "expires_at");
  if (!expires) return expires.error();
  auto updated = detail::read_time(row, "updated_at");
  if (!updated) return updated.error();
  b.expires_at = *expires;
  b.updated_at = *updated;
  return b;
}

Result<std::vector<StoredBinding>> rows_of(Result<QueryResult> r, std::string_view what) {
  if (!r) return detail::with_context(r.error(), what);
  std::vector<StoredBinding> out;
  for (const auto& row : *r) {
    auto b = from_row(row);
    if (!b) return b.error();
    out.push_back(std::move(*b));
  }
  return out;
}

}  // namespace

Status BindingRepository::upsert_row(const StoredBinding& b, Timestamp now) {
  if (b.aor.empty() || b.binding_key.empty() || b.contact.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "binding: aor, key and contact are required");
  }
  // Both engines spell the upsert the same way (SQLite >= 3.24).
  auto r = db_.exec(
      fmt::format("INSERT INTO registrar_bindings ({}) VALUES "
                  "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                  "ON CONFLICT (aor, binding_key) DO UPDATE SET contact = excluded.contact, "
                  "instance = excluded.instance, reg_id = excluded.reg_id, "
                  "call_id = excluded.call_id, cseq = excluded.cseq, q = excluded.q, "
                  "path = excluded.path, user_agent = excluded.user_agent, "
                  "transport = excluded.transport, source_ip = excluded.source_ip, "
                  "source_port = excluded.source_port, expires_at = excluded.expires_at, "
                  "updated_at = excluded.updated_at",
                  kColumns),
      {b.aor, b.binding_key, b.contact, b.instance, b.reg_id, b.call_id, b.cseq,
       static_cast<std::int64_t>(b.q), b.path, b.user_agent, b.transport, b.source_ip,
       static_cast<std::int64_t>(b.source_port), to_iso(b.expires_at), to_iso(now)});
  if (!r) return detail::with_context(r.error(), "save binding");
  return Status::Ok();
}

Status BindingRepository::upsert(const StoredBinding& b) { return upsert_row(b, now_()); }

Status BindingRepository::remove(const std::string& aor, const std::string& binding_key) {
  return detail::expect_changed(
      db_.exec("DELETE FROM registrar_bindings WHERE aor = ? AND binding_key = ?",
               {aor, binding_key}),
      fmt::format("binding {} of {}", binding_key, aor));
}

Status BindingRepository::apply(const std::vector<BindingWrite>& writes) {
  const Timestamp now = now_();
  return transaction(db_, [&]() -> Status {
    for (const auto& w : writes) {
      if (w.remove) {
        auto r = db_.exec("DELETE FROM registrar_bindings WHERE aor = ? AND binding_key = ?",
                          {w.binding.aor, w.binding.binding_key});
        if (!r) return detail::with_context(r.error(), "remove binding");
      } else if (auto st = upsert_row(w.binding, now); !st.ok()) {
        return st;
      }
    }
    return Status::Ok();
  });
}

Result<std::vector<StoredBinding>> BindingRepository::list_live(Timestamp now) {
  return rows_of(db_.exec(fmt::format("SELECT {} FROM registrar_bindings WHERE expires_at > ? "
                                      "ORDER BY aor, binding_key",
                                      kColumns),
                          {to_iso(now)}),
                 "list bindings");
}

Result<std::vector<StoredBinding>> BindingRepository::list_for(const std::string& aor) {
  return rows_of(db_.exec(fmt::format("SELECT {} FROM registrar_bindings WHERE aor = ? "
                                      "ORDER BY binding_key",
                                      kColumns),
                          {aor}),
                 "list bindings");
}

Result<std::int64_t> BindingRepository::purge_expired(Timestamp now) {
  auto r = db_.exec("DELETE FROM registrar_bindings WHERE expires_at <= ?", {to_iso(now)});
  if (!r) return detail::with_context(r.error(), "purge bindings");
  return r->affected_rows();
}

Result<std::int64_t> BindingRepository::count() {
  auto r = db_.exec("SELECT COUNT(*) AS n FROM registrar_bindings");
  if (!r) return detail::with_context(r.error(), "count bindings");
  return (*r)[0].get_int("n");
}

}  // namespace switchboard::store
