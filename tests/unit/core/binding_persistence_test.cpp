// Bindings survive a restart: a registrar writing to a real SQLite store,
// then a new registrar (a restarted process) loading them back.
#include "core/registrar/binding_persistence.hpp"

#include <filesystem>

#include "pbx_fixture.hpp"
#include "store/migrations.hpp"

namespace switchboard::core::testing {
namespace {

/// Writes through to the repository at once (the production sink batches
/// the same writes on the worker pool).
class DirectStore final : public BindingStore {
 public:
  explicit DirectStore(store::Database& db) : repo_(db) {}
  void save(const Binding& b) override { ASSERT_TRUE(repo_.upsert(to_stored(b)).ok()); }
  void remove(const std::string& aor, const std::string& key) override {
    EXPECT_TRUE(repo_.remove(aor, key).ok());
  }

 private:
  store::BindingRepository repo_;
};

class PersistenceTest : public PbxFixture {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("sb-core-bindings-" + sip::random_hex(6));
    std::filesystem::create_directories(dir_);
    auto db = store::open_database({.url = "", .path = (dir_ / "sb.db").string()});
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(store::migrate(*db_).ok());
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  store::DatabasePtr db_;
};

TEST_F(PersistenceTest, BindingsSurviveARestartAndExpireOnTime) {
  DirectStore sink(*db_);
  // The fixture's registrar takes the REGISTERs; what it holds is written
  // to the store as the production sink would.
  Req a;
  a.call_id = "a";
  a.expires = 600;
  a.contacts = {"<sip:1001@198.51.100.7:5062>"};
  a.extra = "Path: <sip:edge.example.net;lr>\r\nUser-Agent: DeskPhone/1.0\r\n";
  Req b;
  b.call_id = "b";
  b.expires = 120;
  b.contacts = {"<sip:1001@203.0.113.4:5080;transport=tcp>"};
  ASSERT_EQ(authed(a, kPw1001)->status_code(), 200);
  ASSERT_EQ(authed(b, kPw1001, tcp_from(9, "203.0.113.4", 5080))->status_code(), 200);
  registrar.for_each([&](const Binding& x) { sink.save(x); });
  store::BindingRepository repo(*db_);
  ASSERT_EQ(repo.count().value(), 2);

  // "Restart": a new registrar on the same store, 60 s later.
  timers.advance(60s);
  auto loaded = load_bindings(*db_, wall_now());
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  ASSERT_EQ(loaded->size(), 2u);
  Registrar second(
      timers, RegistrarOptions{}, [this] { return wall_now(); },
      [](std::string_view) { return true; }, &sink);
  second.restore(std::move(*loaded));
  auto live = second.lookup("1001");
  ASSERT_EQ(live.size(), 2u);
  const Binding* desk = live[0]->source_port == 5062 ? live[0] : live[1];
  const Binding* soft = live[0]->source_port == 5062 ? live[1] : live[0];
  EXPECT_EQ(desk->contact, "sip:1001@198.51.100.7:5062");
  EXPECT_EQ(desk->path, std::vector<std::string>{"<sip:edge.example.net;lr>"});
  EXPECT_EQ(desk->user_agent, "DeskPhone/1.0");
  EXPECT_EQ(soft->protocol, sip::Protocol::kTcp);
  EXPECT_EQ(soft->source_ip.to_string(), "203.0.113.4");
  EXPECT_EQ(soft->connection, 0u);  // connections do not survive a restart

  // The softphone's 120 s run out 60 s after the restart; store follows.
  timers.advance(61s);
  EXPECT_EQ(second.binding_count(), 1u);
  EXPECT_EQ(repo.count().value(), 1);
  // A restart after everything expired loads nothing, and purges the rows.
  timers.advance(600s);
  auto none = load_bindings(*db_, wall_now());
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(repo.count().value(), 0);
}

TEST_F(PersistenceTest, ExpiredBindingsAreNotRestored) {
  DirectStore sink(*db_);
  Binding b;
  b.aor = "1001";
  b.key = "sip:1001@198.51.100.7:5062";
  b.contact = b.key;
  b.call_id = "c";
  b.cseq = 1;
  b.source_ip = boost::asio::ip::make_address("198.51.100.7");
  b.source_port = 5062;
  b.expires_at = wall_now() - std::chrono::seconds(1);
  sink.save(b);
  Registrar r(
      timers, RegistrarOptions{}, [this] { return wall_now(); },
      [](std::string_view) { return true; }, &sink);
  r.restore({b});
  EXPECT_EQ(r.binding_count(), 0u);
  EXPECT_EQ(store::BindingRepository(*db_).count().value(), 0);
}

TEST(BindingConversion, RoundTripsThroughTheStoreForm) {
  Binding b;
  b.aor = "1001";
  b.key = "<urn:uuid:1>;reg-id=2";
  b.contact = "sip:1001@[2001:db8::5]:5070;ob";
  b.instance = "<urn:uuid:1>";
  b.reg_id = 2;
  b.call_id = "cid";
  b.cseq = 77;
  b.q = 700;
  b.path = {"<sip:a.example;lr>", "<sip:b.example;lr>"};
  b.protocol = sip::Protocol::kTls;
  b.source_ip = boost::asio::ip::make_address("2001:db8::5");
  b.source_port = 5071;
  b.expires_at = store::Timestamp{} + std::chrono::hours(500000);
  auto back = from_stored(to_stored(b));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->path, b.path);
  EXPECT_EQ(back->protocol, sip::Protocol::kTls);
  EXPECT_EQ(back->source_ip, b.source_ip);
  EXPECT_EQ(back->key, b.key);
  EXPECT_EQ(back->q, 700);
  EXPECT_EQ(back->expires_at, b.expires_at);
  auto bad = to_stored(b);
  bad.transport = "SCTP";
  EXPECT_FALSE(from_stored(bad).ok());
}

}  // namespace
}  // namespace switchboard::core::testing
