#include "test_db.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>

#include "store/migrations.hpp"

namespace switchboard::store::testing {
namespace {

constexpr const char* kUrlFile = SB_BINARY_DIR "/test-postgres/url";

// Unique across the parallel test processes ctest starts.
std::string unique_suffix() {
  std::random_device rd;
  auto nanos = std::chrono::steady_clock::now().time_since_epoch().count();
  return fmt::format("{}_{}_{}", ::getpid(), nanos % 1000000000, rd() % 100000);
}

}  // namespace

Result<std::unique_ptr<ScratchDatabase>> ScratchDatabase::create(Engine engine) {
  std::unique_ptr<ScratchDatabase> s(new ScratchDatabase());
  s->engine_ = engine;
  if (engine == Engine::kSqlite) {
    auto dir = std::filesystem::temp_directory_path() / ("sb-store-" + unique_suffix());
    s->dir_ = dir.string();
    s->url_ = "sqlite:" + (dir / "test.db").string();
  } else {
    std::ifstream in(kUrlFile);
    std::string base;
    if (!(in >> base) || base.empty()) {
      return make_error(ErrorCode::kUnavailable,
                        fmt::format("no PostgreSQL test cluster: {} is missing. Run the tests "
                                    "through ctest (fixture 'postgres'), or start one with "
                                    "PYTHONPATH=tests python3 -m harness.postgres start --dir {}",
                                    kUrlFile, SB_BINARY_DIR "/test-postgres"));
    }
    auto admin = open_database({.url = base});
    if (!admin) return admin.error();
    s->admin_ = std::move(*admin);
    s->schema_ = "t_" + unique_suffix();
    if (auto r = s->admin_->exec("CREATE SCHEMA " + s->schema_); !r) return r.error();
    // search_path as a connection option survives reconnects.
    s->url_ = fmt::format("{}{}options=-c%20search_path%3D{}", base,
                          base.find('?') == std::string::npos ? "?" : "&", s->schema_);
  }
  auto db = open_database({.url = s->url_});
  if (!db) return db.error();
  s->db_ = std::move(*db);
  return s;
}

ScratchDatabase::~ScratchDatabase() {
  db_.reset();
  if (admin_) {
    (void)admin_->exec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
  }
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

void EngineTest::SetUp() {
  auto s = ScratchDatabase::create(GetParam());
  ASSERT_TRUE(s.ok()) << "cannot open a " << to_string(GetParam())
                      << " test database: " << s.error().message;
  scratch_ = std::move(*s);
  if (migrate_on_setup_) {
    auto applied = migrate(db(), builtin_migrations(), clock_.fn());
    ASSERT_TRUE(applied.ok()) << applied.error().message;
  }
}

std::string engine_name(const ::testing::TestParamInfo<Engine>& info) {
  return info.param == Engine::kSqlite ? "Sqlite" : "Postgres";
}

}  // namespace switchboard::store::testing
