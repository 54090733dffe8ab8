// The CDR writer from call events on both engines: a row opened at the
// start, the recording named in the open row when it starts (so a crash
// leaves a row that names the file), the row completed at the end.
#include "features/cdr/cdr_writer.hpp"

#include <gtest/gtest.h>

#include <boost/asio/thread_pool.hpp>

#include "unit/store/test_db.hpp"

namespace switchboard::features {
namespace {

using store::testing::EngineTest;

class CdrWriterTest : public EngineTest {
 protected:
  core::CallRecord call() {
    core::CallRecord r;
    r.call_id = "c1@host";
    r.caller = "1001";
    r.callee = "1002";
    r.start = *store::parse_timestamp("2026-11-25T01:00:00.000Z");
    return r;
  }
  /// Publishes, then waits for the pool to have written everything.
  void run(const std::function<void(core::CallEvents&)>& publish) {
    boost::asio::thread_pool pool(1);
    CdrWriter writer(pool, db());
    core::CallEvents events;
    writer.attach(events);
    publish(events);
    pool.join();
    EXPECT_EQ(writer.stats().errors, 0u);
  }
  store::CdrRecord only_row() {
    auto page = store::CdrRepository(db()).query({});
    EXPECT_TRUE(page.ok());
    EXPECT_EQ(page->items.size(), 1u);
    return page->items.empty() ? store::CdrRecord{} : page->items[0];
  }
};

TEST_P(CdrWriterTest, TheRecordingIsInTheOpenRowAndInTheCompletedOne) {
  core::CallRecord r = call();
  run([&](core::CallEvents& e) {
    e.publish(core::CallEventKind::kStarted, r);
    r.answer = r.start + std::chrono::seconds(2);
    e.publish(core::CallEventKind::kAnswered, r);
    r.recordings.push_back("2026/11/25/010002_1001_1002_0a1b2c3d.wav");
    core::RecordingNote note{r.recordings.back(), 0, ""};
    e.publish(core::CallEventKind::kRecordingStarted, r, &note);
  });
  auto open = only_row();
  EXPECT_EQ(open.status, store::CdrStatus::kOpen);
  EXPECT_EQ(open.recording_path,
            std::optional<std::string>("2026/11/25/010002_1001_1002_0a1b2c3d.wav"));
  // A crash now: the interrupted row still names the file.
  ASSERT_EQ(*CdrWriter::recover(db()), 1);
  EXPECT_EQ(only_row().recording_path, open.recording_path);
}

TEST_P(CdrWriterTest, SeveralRecordingsOfOneCallAreJoinedAtTheEnd) {
  core::CallRecord r = call();
  run([&](core::CallEvents& e) {
    e.publish(core::CallEventKind::kStarted, r);
    r.answer = r.start + std::chrono::seconds(1);
    for (const char* f : {"2026/11/25/a.wav", "2026/11/25/b.wav"}) {
      r.recordings.push_back(f);
      core::RecordingNote note{f, 0, ""};
      e.publish(core::CallEventKind::kRecordingStarted, r, &note);
    }
    r.end = r.start + std::chrono::seconds(30);
    r.outcome = core::CallOutcome::kAnswered;
    e.publish(core::CallEventKind::kEnded, r);
    // The last file completes after the end: nothing more to write.
    core::RecordingNote stopped{"2026/11/25/b.wav", 10, ""};
    e.publish(core::CallEventKind::kRecordingStopped, r, &stopped);
  });
  auto row = only_row();
  EXPECT_EQ(row.status, store::CdrStatus::kComplete);
  EXPECT_EQ(row.recording_path, std::optional<std::string>("2026/11/25/a.wav;2026/11/25/b.wav"));
  EXPECT_EQ(row.billsec_s, 29);
  EXPECT_EQ(to_cdr(call()).recording_path, std::nullopt);  // not recorded: NULL
}

// Issue 7 §7: the transfer chain of the ended call reaches the row, in order.
TEST_P(CdrWriterTest, TheTransferChainIsWrittenWhenTheCallEnds) {
  core::CallRecord r = call();
  const auto t1 = r.start + std::chrono::seconds(5), t2 = r.start + std::chrono::seconds(9);
  run([&](core::CallEvents& e) {
    e.publish(core::CallEventKind::kStarted, r);
    r.answer = r.start + std::chrono::seconds(1);
    e.publish(core::CallEventKind::kAnswered, r);
    r.transfers.push_back({"api", "api", "1002", "1003", t1});
    r.callee = "1003";
    e.publish(core::CallEventKind::kTransferred, r);
    r.transfers.push_back({"blind", "1003", "1003", "1004", t2});
    r.callee = "1004";
    r.end = r.start + std::chrono::seconds(20);
    r.outcome = core::CallOutcome::kAnswered;
    e.publish(core::CallEventKind::kEnded, r);
  });
  auto row = only_row();
  EXPECT_EQ(row.status, store::CdrStatus::kComplete);
  EXPECT_EQ(row.callee, "1004");
  const std::vector<store::CdrTransfer> want{{"api", "api", "1002", "1003", t1},
                                             {"blind", "1003", "1003", "1004", t2}};
  EXPECT_EQ(row.transfers, want);
  EXPECT_TRUE(to_cdr(call()).transfers.empty());
}

SB_INSTANTIATE_ON_BOTH_ENGINES(CdrWriterTest);

}  // namespace
}  // namespace switchboard::features
