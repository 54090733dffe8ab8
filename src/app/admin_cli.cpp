#include "app/admin_cli.hpp"

#include <fmt/format.h>

#include <iostream>

#include "api/auth_crypto.hpp"
#include "api/rbac.hpp"
#include "app/config/loader.hpp"
#include "store/api_token_repository.hpp"
#include "store/database.hpp"
#include "store/extension_repository.hpp"
#include "store/migrations.hpp"
#include "store/user_repository.hpp"

namespace switchboard::app {

namespace {

/// The configured store, migrated; nullptr after printing why not. With
/// `cfg`, also hands back the configuration.
store::DatabasePtr open_store(const std::string& config_path,
                              std::optional<config::Config>* cfg = nullptr) {
  auto result = config::load_file(config_path);
  if (!result.ok()) {
    for (const auto& d : result.diagnostics.errors()) std::cerr << d.format() << "\n";
    return nullptr;
  }
  store::DatabaseOptions o;
  o.url = result.config->database.url.reveal();
  o.path = result.config->database.path;
  auto db = store::open_database(o);
  if (!db.ok()) {
    std::cerr << "cannot open the store: " << db.error().message << "\n";
    return nullptr;
  }
  if (auto m = store::migrate(**db); !m.ok()) {
    std::cerr << "migration failed: " << m.error().message << "\n";
    return nullptr;
  }
  if (cfg) *cfg = std::move(*result.config);
  return std::move(*db);
}

bool check_role(const std::string& role) {
  if (api::role_from(role)) return true;
  std::cerr << "unknown role " << role << " (admin, operator or user)\n";
  return false;
}

}  // namespace

int token_create(const TokenCreateArgs& args) {
  if (!check_role(args.role)) return 2;
  if (args.role == "user" && !args.extension) {
    std::cerr << "a user token needs --extension\n";
    return 2;
  }
  auto db = open_store(args.config_path);
  if (!db) return 1;
  const std::string token = api::random_token();
  store::ApiToken t;
  t.name = args.name;
  t.role = args.role;
  t.extension = args.extension;
  t.token_hash = api::sha256_hex(token);
  auto created = store::ApiTokenRepository(*db).create(t);
  if (!created) {
    std::cerr << "token create: " << created.error().message << "\n";
    return 1;
  }
  std::cout << token << "\n";
  std::cerr << fmt::format("token \"{}\" ({}) created; it is shown only now\n", t.name, t.role);
  return 0;
}

int token_list(const std::string& config_path) {
  auto db = open_store(config_path);
  if (!db) return 1;
  auto list = store::ApiTokenRepository(*db).list();
  if (!list) {
    std::cerr << list.error().message << "\n";
    return 1;
  }
  for (const auto& t : *list) {
    std::cout << fmt::format("{}\t{}\t{}\t{}\t{}\n", t.name, t.role, t.extension.value_or("-"),
                             store::to_iso(t.created_at), t.revoked ? "revoked" : "active");
  }
  return 0;
}

int token_revoke(const std::string& config_path, const std::string& name) {
  auto db = open_store(config_path);
  if (!db) return 1;
  if (auto st = store::ApiTokenRepository(*db).revoke(name); !st) {
    std::cerr << "token revoke: " << st.error().message << "\n";
    return 1;
  }
  return 0;
}

int user_create(const UserCreateArgs& args) {
  if (!check_role(args.role)) return 2;
  std::string password;
  std::getline(std::cin, password);
  if (password.size() < 8) {
    std::cerr << "the password (first line of stdin) needs 8 or more characters\n";
    return 2;
  }
  std::optional<config::Config> cfg;
  auto db = open_store(args.config_path, &cfg);
  if (!db) return 1;
  store::ExtensionRepository extensions(*db);
  if (args.extension && !extensions.get(*args.extension)) {
    // The PBX copies the config's extensions into the store when it starts;
    // before its first start, do that for this one so the user can refer to it.
    const auto* e = cfg->find_extension(*args.extension);
    if (!e) {
      std::cerr << "no extension " << *args.extension << "\n";
      return 2;
    }
    store::Extension x;
    x.number = e->number;
    x.name = e->name;
    x.email = e->email;
    x.allow_external = e->allow_external;
    x.source = store::ExtensionSource::kConfig;
    if (auto st = extensions.upsert(x); !st) {
      std::cerr << "user create: " << st.error().message << "\n";
      return 1;
    }
  }
  store::User u;
  u.username = args.username;
  u.role = args.role;
  u.extension = args.extension;
  u.password_hash = api::hash_password(password);
  auto created = store::UserRepository(*db).create(u);
  if (!created) {
    std::cerr << "user create: " << created.error().message << "\n";
    return 1;
  }
  std::cerr << fmt::format("user \"{}\" ({}) created\n", u.username, u.role);
  return 0;
}

}  // namespace switchboard::app
