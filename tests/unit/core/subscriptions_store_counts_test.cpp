// The MWI counts come from a real SQLite store, read on a worker thread and
// answered on the core thread's executor.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <filesystem>
#include <thread>

#include "core/subscriptions/store_counts.hpp"
#include "sip/builder.hpp"
#include "store/migrations.hpp"
#include "store/voicemail_repository.hpp"

namespace switchboard::core {
namespace {

class StoreCountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("sb-core-mwi-" + sip::random_hex(6));
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
  void add(const std::string& mailbox, store::VoicemailFolder folder) {
    store::VoicemailMessage m;
    m.mailbox = mailbox;
    m.caller_id = "1002";
    m.received_at = store::system_now();
    m.folder = folder;
    m.file_path = "voicemail/" + mailbox + "/" + sip::random_hex(4) + ".wav";
    ASSERT_TRUE(store::VoicemailRepository(*db_).insert(m).ok());
  }

  std::filesystem::path dir_;
  store::DatabasePtr db_;
};

TEST_F(StoreCountsTest, NewAndSavedFoldersAreNewAndOldOnTheCoreThread) {
  add("1001", store::VoicemailFolder::kNew);
  add("1001", store::VoicemailFolder::kNew);
  add("1001", store::VoicemailFolder::kSaved);
  add("1001", store::VoicemailFolder::kDeleted);
  add("1002", store::VoicemailFolder::kNew);
  boost::asio::io_context core;
  boost::asio::thread_pool workers(1);
  auto lookup = make_store_counts_lookup(*db_, workers.get_executor(), core.get_executor());
  std::optional<Result<MessageCounts>> got;
  std::thread::id answered_on;
  lookup("1001", [&](Result<MessageCounts> c) {
    got = std::move(c);
    answered_on = std::this_thread::get_id();
  });
  lookup("1999", [&](Result<MessageCounts> c) {  // no mailbox rows: zero, not an error
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(*c, (MessageCounts{0, 0}));
  });
  EXPECT_FALSE(got.has_value());  // never answered inline: the store is read off-thread
  workers.join();
  core.run();
  ASSERT_TRUE(got && got->ok());
  EXPECT_EQ(**got, (MessageCounts{2, 1}));
  EXPECT_EQ(answered_on, std::this_thread::get_id());  // the thread running `core`
}

}  // namespace
}  // namespace switchboard::core
