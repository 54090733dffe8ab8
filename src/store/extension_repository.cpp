#include "store/extension_repository.hpp"

#include <fmt/format.h>

#include <set>

#include "store/repo_util.hpp"

namespace switchboard::store {
namespace {

constexpr const char* kColumns =
    "number, name, email, allow_external, enabled, ha1_md5, ha1_sha256, realm, "
    "voicemail_pin_hash, source, created_at, updated_at";

Result<Extension> from_row(const Row& row) {
  Extension e;
  e.number = row.get_text("number");
  e.name = row.get_text("name");
  e.email = row.get_text("email");
  e.allow_external = row.get_bool("allow_external");
  e.enabled = row.get_bool("enabled");
  e.ha1_md5 = row.get_text("ha1_md5");
  e.ha1_sha256 = row.get_text("ha1_sha256");
  e.realm = row.get_text("realm");
  e.voicemail_pin_hash = row.get_text("voicemail_pin_hash");
  auto source = extension_source_from(row.get_text("source"));
  if (!source) return make_error(ErrorCode::kInternal, "extension " + e.number + ": bad source");
  e.source = *source;
  auto created = detail::read_time(row, "created_at");
  if (!created) return created.error();
  auto updated = detail::read_time(row, "updated_at");
  if (!updated) return updated.error();
  e.created_at = *created;
  e.updated_at = *updated;
  return e;
}

}  // namespace

const char* to_string(ExtensionSource source) {
  switch (source) {
    case ExtensionSource::kConfig:
      return "config";
    case ExtensionSource::kApi:
      return "api";
    case ExtensionSource::kLdap:
      return "ldap";
  }
  return "api";
}

std::optional<ExtensionSource> extension_source_from(std::string_view text) {
  if (text == "config") return ExtensionSource::kConfig;
  if (text == "api") return ExtensionSource::kApi;
  if (text == "ldap") return ExtensionSource::kLdap;
  return std::nullopt;
}

Result<Extension> ExtensionRepository::get(std::string_view number) {
  auto r = db_.exec(fmt::format("SELECT {} FROM extensions WHERE number = ?", kColumns),
                    {std::string(number)});
  if (!r) return detail::with_context(r.error(), "get extension");
  if (r->empty()) {
    return make_error(ErrorCode::kNotFound, fmt::format("extension {} not found", number));
  }
  return from_row((*r)[0]);
}

Result<std::vector<Extension>> ExtensionRepository::list() {
  auto r = db_.exec(fmt::format("SELECT {} FROM extensions ORDER BY number", kColumns));
  if (!r) return detail::with_context(r.error(), "list extensions");
  std::vector<Extension> out;
  for (const auto& row : *r) {
    auto e = from_row(row);
    if (!e) return e.error();
    out.push_back(std::move(*e));
  }
  return out;
}

Status ExtensionRepository::upsert_row(const Extension& ext, Timestamp now) {
  if (ext.number.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "extension number must not be empty");
  }
  std::string stamp = to_iso(now);
  auto r = db_.exec(
      "INSERT INTO extensions (number, name, email, allow_external, enabled, ha1_md5, ha1_sha256,"
      " realm, voicemail_pin_hash, source, created_at, updated_at)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      " ON CONFLICT (number) DO UPDATE SET name = excluded.name, email = excluded.email,"
      " allow_external = excluded.allow_external, enabled = excluded.enabled,"
      " ha1_md5 = excluded.ha1_md5, ha1_sha256 = excluded.ha1_sha256, realm = excluded.realm,"
      " voicemail_pin_hash = excluded.voicemail_pin_hash, source = excluded.source,"
      " updated_at = excluded.updated_at",
      {ext.number, ext.name, ext.email, bool_value(ext.allow_external), bool_value(ext.enabled),
       ext.ha1_md5, ext.ha1_sha256, ext.realm, ext.voicemail_pin_hash, to_string(ext.source), stamp,
       stamp});
  if (!r) return detail::with_context(r.error(), "upsert extension " + ext.number);
  return {};
}

Result<Extension> ExtensionRepository::upsert(const Extension& ext) {
  if (Status s = upsert_row(ext, now_()); !s) return s.error();
  return get(ext.number);
}

Status ExtensionRepository::remove(std::string_view number) {
  return detail::expect_changed(
      db_.exec("DELETE FROM extensions WHERE number = ?", {std::string(number)}),
      fmt::format("remove extension {}", number));
}

Result<SyncReport> ExtensionRepository::sync_from_config(const std::vector<Extension>& extensions) {
  SyncReport report;
  Timestamp now = now_();
  Status s = transaction(db_, [&]() -> Status {
    std::set<std::string> wanted;
    for (const auto& ext : extensions) {
      Extension row = ext;
      row.source = ExtensionSource::kConfig;
      if (Status u = upsert_row(row, now); !u) return u;
      wanted.insert(ext.number);
      ++report.upserted;
    }
    auto existing = db_.exec("SELECT number FROM extensions WHERE source = 'config'");
    if (!existing) return existing.error();
    for (const auto& row : *existing) {
      std::string number = row.get_text(0);
      if (wanted.count(number) != 0) continue;
      auto del = db_.exec("DELETE FROM extensions WHERE number = ?", {number});
      if (!del) return detail::with_context(del.error(), "remove extension " + number);
      ++report.removed;
    }
    return {};
  });
  if (!s) return detail::with_context(s.error(), "sync extensions from config");
  return report;
}

}  // namespace switchboard::store
