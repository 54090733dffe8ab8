// Extensions: the phones the registrar accepts. The repository stores the
// digest HA1 values it is given; it never sees a plaintext password.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "store/database.hpp"
#include "store/time.hpp"

namespace switchboard::store {

/// Where an extension came from; only config rows are pruned by a sync.
enum class ExtensionSource { kConfig, kApi, kLdap };

const char* to_string(ExtensionSource source);
std::optional<ExtensionSource> extension_source_from(std::string_view text);

struct Extension {
  std::string number;  ///< primary key, e.g. "1001"
  std::string name;
  std::string email;
  bool allow_external = false;
  bool enabled = true;
  std::string ha1_md5;     ///< MD5(number:realm:password), hex
  std::string ha1_sha256;  ///< SHA-256(number:realm:password), hex
  std::string realm;
  std::string voicemail_pin_hash;
  ExtensionSource source = ExtensionSource::kApi;
  Timestamp created_at{};  ///< set by the repository
  Timestamp updated_at{};  ///< set by the repository
};

/// What sync_from_config() changed.
struct SyncReport {
  int upserted = 0;
  int removed = 0;
};

class ExtensionRepository {
 public:
  explicit ExtensionRepository(Database& db, NowFn now = system_now)
      : db_(db), now_(std::move(now)) {}

  /// kNotFound if there is no such extension.
  Result<Extension> get(std::string_view number);
  /// All extensions, ordered by number.
  Result<std::vector<Extension>> list();
  /// Inserts or replaces by number (created_at is kept on replace); returns
  /// the stored row.
  Result<Extension> upsert(const Extension& ext);
  /// kNotFound if there is no such extension.
  Status remove(std::string_view number);
  /// Makes the config's extensions current in one transaction: upserts each
  /// (as source=config; the config file wins over an API row of the same
  /// number) and deletes config rows no longer listed. API and LDAP rows that
  /// the config does not name are left alone.
  Result<SyncReport> sync_from_config(const std::vector<Extension>& extensions);

 private:
  Status upsert_row(const Extension& ext, Timestamp now);

  Database& db_;
  NowFn now_;
};

}  // namespace switchboard::store
