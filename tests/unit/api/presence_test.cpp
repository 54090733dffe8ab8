// Presence (issue 9): the derivation rule, which changes PresenceBook
// reports for publishing, and the presence table (migration 12) on SQLite.
#include "api/presence.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "api/core_access.hpp"
#include "no_core.hpp"
#include "store/migrations.hpp"
#include "store/presence_repository.hpp"

namespace switchboard::api {
namespace {

using store::PresenceRecord;
using store::PresenceStatus;

PresenceRecord set(const char* ext, PresenceStatus s, const char* note = "") {
  PresenceRecord r;
  r.extension = ext;
  r.status = s;
  r.note = note;
  return r;
}

TEST(Presence, DerivedFromRegistrationCallsAndWhatWasSet) {
  const LiveState offline{false, false}, idle{true, false}, talking{true, true};
  // Nothing set: available when registered, busy on a call, offline without a phone.
  EXPECT_EQ(derive_presence(std::nullopt, idle), PresenceState::kAvailable);
  EXPECT_EQ(derive_presence(std::nullopt, talking), PresenceState::kBusy);
  EXPECT_EQ(derive_presence(std::nullopt, offline), PresenceState::kOffline);
  EXPECT_EQ(derive_presence(std::nullopt, LiveState{false, true}), PresenceState::kOffline);
  // Away: away when idle, busy on a call; dnd stays dnd even on a call.
  EXPECT_EQ(derive_presence(set("1", PresenceStatus::kAway), idle), PresenceState::kAway);
  EXPECT_EQ(derive_presence(set("1", PresenceStatus::kAway), talking), PresenceState::kBusy);
  EXPECT_EQ(derive_presence(set("1", PresenceStatus::kDnd), idle), PresenceState::kDnd);
  EXPECT_EQ(derive_presence(set("1", PresenceStatus::kDnd), talking), PresenceState::kDnd);
  EXPECT_EQ(derive_presence(set("1", PresenceStatus::kDnd), offline), PresenceState::kOffline);
}

TEST(Presence, BookReportsEachChangeOnce) {
  PresenceBook book;
  const LiveState offline{false, false}, idle{true, false}, talking{true, true};
  // Never published counts as offline: still offline is no change.
  EXPECT_FALSE(book.changed("1001", offline));
  auto v = book.changed("1001", idle);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->state, PresenceState::kAvailable);
  EXPECT_FALSE(book.changed("1001", idle));
  v = book.changed("1001", talking);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->state, PresenceState::kBusy);
  EXPECT_FALSE(book.changed("1001", talking));
  // Setting dnd while on a call changes the state; forcing republishes it.
  book.put(set("1001", PresenceStatus::kDnd, "in a meeting"));
  v = book.changed("1001", talking);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->state, PresenceState::kDnd);
  EXPECT_FALSE(book.changed("1001", idle));  // dnd either way
  v = book.changed("1001", idle, /*force=*/true);
  ASSERT_TRUE(v);
  const auto j = v->to_json();
  EXPECT_EQ(j["state"], "dnd");
  EXPECT_EQ(j["status"], "dnd");
  EXPECT_EQ(j["note"], "in a meeting");
  EXPECT_EQ(j["registered"], true);
  EXPECT_EQ(j["on_call"], false);
  // Extensions are independent; load() replaces the settings.
  EXPECT_TRUE(book.changed("1002", idle));
  book.load({set("1002", PresenceStatus::kAway)});
  EXPECT_FALSE(book.get("1001"));
  EXPECT_EQ(book.changed("1002", idle)->state, PresenceState::kAway);
  EXPECT_EQ(book.view("1003", offline).to_json()["updated_at"], nullptr);
  book.forget("1002");
  EXPECT_FALSE(book.get("1002"));
  EXPECT_EQ(book.changed("1002", idle)->state, PresenceState::kAvailable);  // afresh
}

// The core as the API sees it: registrations and calls as JSON.
class Core : public fakes::NoCore {
 public:
  nlohmann::json regs = nlohmann::json::array();
  nlohmann::json active = nlohmann::json::array();
  nlohmann::json registrations(const std::optional<std::string>& ext) override {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : regs) {
      if (!ext || r["extension"] == *ext) out.push_back(r);
    }
    return out;
  }
  nlohmann::json calls(const std::optional<std::string>& ext) override {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& c : active) {
      if (!ext || c["caller"] == *ext || c["callee"] == *ext) out.push_back(c);
    }
    return out;
  }
};

TEST(Presence, LiveStateFromRegistrationsAndCalls) {
  Core core;
  core.regs = {{{"extension", "1001"}}, {{"extension", "1002"}}};
  core.active = {{{"caller", "1001"}, {"callee", "1002"}, {"state", "ringing"}}};
  // The caller is busy from the start; the callee once it answers.
  EXPECT_TRUE(core.live_state("1001").on_call);
  EXPECT_FALSE(core.live_state("1002").on_call);
  EXPECT_TRUE(core.live_state("1002").registered);
  core.active[0]["state"] = "answered";
  EXPECT_TRUE(core.live_state("1002").on_call);
  core.active[0]["state"] = "held";
  EXPECT_TRUE(core.live_state("1002").on_call);
  const auto other = core.live_state("1003");
  EXPECT_FALSE(other.registered);
  EXPECT_FALSE(other.on_call);
}

class PresenceRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("sb_api_presence_" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path_);
    store::DatabaseOptions o;
    o.path = path_.string();
    auto db = store::open_database(o);
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(*db);
    auto m = store::migrate(*db_);
    ASSERT_TRUE(m.ok()) << m.error().message;
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove(path_);
  }

  std::filesystem::path path_;
  store::DatabasePtr db_;
  store::Timestamp now_ = *store::parse_timestamp("2026-03-01T09:00:00.000Z");
};

TEST_F(PresenceRepositoryTest, SetReplacesListsAndRemoves) {
  store::PresenceRepository repo(*db_, [this] { return now_; });
  EXPECT_EQ(repo.get("1001").error().code, ErrorCode::kNotFound);
  auto r = set("1001", PresenceStatus::kAway, "lunch");
  r.updated_by = "token:ops";
  auto stored = repo.set(r);
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  EXPECT_EQ(stored->updated_at, now_);
  now_ += std::chrono::minutes(5);
  ASSERT_TRUE(repo.set(set("1001", PresenceStatus::kDnd, "it's \"quoted\" 'n' ;--")).ok());
  ASSERT_TRUE(repo.set(set("1000", PresenceStatus::kAvailable)).ok());
  auto got = repo.get("1001");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status, PresenceStatus::kDnd);
  EXPECT_EQ(got->note, "it's \"quoted\" 'n' ;--");
  EXPECT_EQ(got->updated_at, now_);
  auto all = repo.list();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].extension, "1000");  // ordered by extension
  EXPECT_TRUE(repo.remove("1000").ok());
  EXPECT_EQ(repo.remove("1000").error().code, ErrorCode::kNotFound);
}

TEST_F(PresenceRepositoryTest, RefusesBadInputAndBadRows) {
  store::PresenceRepository repo(*db_);
  EXPECT_EQ(repo.set(set("", PresenceStatus::kAway)).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(
      repo.set(set("1001", PresenceStatus::kAway, std::string(257, 'x').c_str())).error().code,
      ErrorCode::kInvalidArgument);
  // 256 characters (not bytes) fit.
  std::string note;
  for (int i = 0; i < 256; ++i) note += "\xc3\xa9";  // é
  EXPECT_TRUE(repo.set(set("1001", PresenceStatus::kAway, note.c_str())).ok());
  // The table refuses a status outside the three a person may set.
  auto bad = db_->exec(
      "INSERT INTO presence (extension, status, updated_at) VALUES ('1002', 'busy', 'x')");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(store::presence_status_from("offline"), std::nullopt);
  EXPECT_EQ(store::presence_status_from("dnd"), PresenceStatus::kDnd);
}

}  // namespace
}  // namespace switchboard::api
