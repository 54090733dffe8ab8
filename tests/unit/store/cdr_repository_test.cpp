#include "store/cdr_repository.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_db.hpp"

namespace switchboard::store {
namespace {

using std::chrono::seconds;

Timestamp at(const char* iso) {
  return *parse_timestamp(iso);
}

CdrRecord call(const char* caller, const char* callee, CallDirection dir, const char* start,
               Disposition disp, std::int64_t billsec, std::int64_t ring = 5) {
  CdrRecord c;
  c.call_id = std::string(caller) + "-" + callee + "-" + start;
  c.caller = caller;
  c.caller_name = std::string("Name ") + caller;
  c.callee = callee;
  c.direction = dir;
  c.start_time = at(start);
  c.disposition = disp;
  if (disp == Disposition::kAnswered) c.answer_time = c.start_time + seconds(ring);
  c.duration_s = ring + billsec;
  c.billsec_s = billsec;
  c.end_time = c.start_time + seconds(c.duration_s);
  c.hangup_cause = disp == Disposition::kAnswered ? "NORMAL_CLEARING" : "NO_ANSWER";
  return c;
}

class CdrRepositoryTest : public testing::EngineTest {
 protected:
  CdrRepository repo() { return CdrRepository(db()); }

  // Two days of calls between 1001, 1002 and outside numbers.
  void load_calls() {
    using D = Disposition;
    using Dir = CallDirection;
    for (const auto& c : {
             call("1001", "1002", Dir::kInternal, "2024-03-01T08:00:00.000Z", D::kAnswered, 60),
             call("1001", "+15550001", Dir::kOutbound, "2024-03-01T09:00:00.000Z", D::kAnswered,
                  120),
             call("+15550002", "1002", Dir::kInbound, "2024-03-01T10:00:00.000Z", D::kNoAnswer, 0),
             call("1002", "1001", Dir::kInternal, "2024-03-01T23:59:59.999Z", D::kBusy, 0),
             call("+15550003", "1001", Dir::kInbound, "2024-03-02T00:00:00.000Z", D::kAnswered, 30),
             call("1002", "1003", Dir::kInternal, "2024-03-02T12:00:00.000Z", D::kFailed, 0),
         }) {
      auto id = repo().insert(c);
      ASSERT_TRUE(id.ok()) << id.error().message;
    }
  }

  static std::vector<std::string> callees(const Page<CdrRecord>& page) {
    std::vector<std::string> out;
    for (const auto& c : page.items) out.push_back(c.callee);
    return out;
  }
};

TEST_P(CdrRepositoryTest, InsertAndReadBackEveryField) {
  CdrRecord c = call("1001", "1002", CallDirection::kInternal, "2024-03-01T08:00:00.250Z",
                     Disposition::kAnswered, 42, 3);
  c.recording_path = "var/recordings/abc.wav";
  auto id = repo().insert(c);
  ASSERT_TRUE(id.ok()) << id.error().message;
  auto page = repo().query({});
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->items.size(), 1u);
  const CdrRecord& got = page->items[0];
  EXPECT_EQ(got.id, *id);
  EXPECT_EQ(got.call_id, c.call_id);
  EXPECT_EQ(got.caller, "1001");
  EXPECT_EQ(got.caller_name, "Name 1001");
  EXPECT_EQ(got.callee, "1002");
  EXPECT_EQ(got.direction, CallDirection::kInternal);
  EXPECT_EQ(got.start_time, c.start_time);
  EXPECT_EQ(got.answer_time, c.answer_time);
  EXPECT_EQ(got.end_time, c.end_time);
  EXPECT_EQ(got.duration_s, 45);
  EXPECT_EQ(got.billsec_s, 42);
  EXPECT_EQ(got.disposition, Disposition::kAnswered);
  EXPECT_EQ(got.hangup_cause, "NORMAL_CLEARING");
  EXPECT_EQ(got.recording_path, "var/recordings/abc.wav");
}

TEST_P(CdrRepositoryTest, UnansweredCallHasNullAnswerTimeAndRecording) {
  ASSERT_TRUE(repo()
                  .insert(call("1001", "1002", CallDirection::kInternal, "2024-03-01T08:00:00.000Z",
                               Disposition::kNoAnswer, 0))
                  .ok());
  auto raw = db().exec("SELECT answer_time, recording_path FROM cdr");
  ASSERT_TRUE(raw.ok());
  EXPECT_TRUE((*raw)[0].is_null("answer_time"));
  EXPECT_TRUE((*raw)[0].is_null("recording_path"));
  auto page = repo().query({});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items[0].answer_time, std::nullopt);
  EXPECT_EQ(page->items[0].recording_path, std::nullopt);
}

TEST_P(CdrRepositoryTest, RejectsImpossibleDurations) {
  CdrRecord c = call("1001", "1002", CallDirection::kInternal, "2024-03-01T08:00:00.000Z",
                     Disposition::kAnswered, 10);
  c.billsec_s = c.duration_s + 1;
  EXPECT_EQ(repo().insert(c).error().code, ErrorCode::kInvalidArgument);
  c.billsec_s = -1;
  EXPECT_EQ(repo().insert(c).error().code, ErrorCode::kInvalidArgument);
  c.billsec_s = 1;
  c.end_time = c.start_time - seconds(1);
  EXPECT_EQ(repo().insert(c).error().code, ErrorCode::kInvalidArgument);
}

TEST_P(CdrRepositoryTest, FiltersAndPaginates) {
  load_calls();
  auto all = repo().query({});
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(all->total, 6);
  // Newest first.
  EXPECT_THAT(callees(*all),
              ::testing::ElementsAre("1003", "1001", "1001", "1002", "+15550001", "1002"));

  CdrFilter by_ext;
  by_ext.extension = "1001";  // caller or callee
  auto ext = repo().query(by_ext);
  ASSERT_TRUE(ext.ok());
  EXPECT_EQ(ext->total, 4);

  CdrFilter day;  // [from, to): the call at 23:59:59.999 is in, midnight is out
  day.from = at("2024-03-01T00:00:00.000Z");
  day.to = at("2024-03-02T00:00:00.000Z");
  auto first_day = repo().query(day);
  ASSERT_TRUE(first_day.ok());
  EXPECT_EQ(first_day->total, 4);

  CdrFilter answered;
  answered.disposition = Disposition::kAnswered;
  answered.extension = "1001";
  auto a = repo().query(answered);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->total, 3);

  CdrFilter page;
  page.limit = 2;
  page.offset = 2;
  auto p = repo().query(page);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->total, 6);  // total ignores limit/offset
  EXPECT_THAT(callees(*p), ::testing::ElementsAre("1001", "1002"));

  page.offset = 6;
  auto past_end = repo().query(page);
  ASSERT_TRUE(past_end.ok());
  EXPECT_TRUE(past_end->items.empty());
  EXPECT_EQ(past_end->total, 6);

  page.limit = 0;
  EXPECT_EQ(repo().query(page).error().code, ErrorCode::kInvalidArgument);
  page.limit = 10;
  page.offset = -1;
  EXPECT_EQ(repo().query(page).error().code, ErrorCode::kInvalidArgument);
}

TEST_P(CdrRepositoryTest, DailyStatsArithmetic) {
  load_calls();
  auto stats = repo().daily_stats(at("2024-03-01T00:00:00.000Z"), at("2024-03-03T00:00:00.000Z"));
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  ASSERT_EQ(stats->size(), 2u);
  const DailyStats& d1 = (*stats)[0];
  EXPECT_EQ(d1.day, "2024-03-01");
  EXPECT_EQ(d1.total, 4);
  EXPECT_EQ(d1.answered, 2);
  EXPECT_DOUBLE_EQ(d1.answer_rate, 0.5);
  EXPECT_DOUBLE_EQ(d1.avg_billsec, 90.0);  // (60 + 120) / 2
  const DailyStats& d2 = (*stats)[1];
  EXPECT_EQ(d2.day, "2024-03-02");
  EXPECT_EQ(d2.total, 2);
  EXPECT_EQ(d2.answered, 1);
  EXPECT_DOUBLE_EQ(d2.answer_rate, 0.5);
  EXPECT_DOUBLE_EQ(d2.avg_billsec, 30.0);

  auto none = repo().daily_stats(at("2025-01-01T00:00:00.000Z"), at("2025-02-01T00:00:00.000Z"));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_P(CdrRepositoryTest, DailyStatsWithNoAnsweredCallsAvoidsDivisionByZero) {
  ASSERT_TRUE(repo()
                  .insert(call("1001", "1002", CallDirection::kInternal, "2024-03-01T08:00:00.000Z",
                               Disposition::kBusy, 0))
                  .ok());
  auto stats = repo().daily_stats(at("2024-03-01T00:00:00.000Z"), at("2024-03-02T00:00:00.000Z"));
  ASSERT_TRUE(stats.ok());
  ASSERT_EQ(stats->size(), 1u);
  EXPECT_EQ((*stats)[0].answered, 0);
  EXPECT_DOUBLE_EQ((*stats)[0].answer_rate, 0.0);
  EXPECT_DOUBLE_EQ((*stats)[0].avg_billsec, 0.0);
}

TEST_P(CdrRepositoryTest, ExtensionStatsCountOnlyOurSideOfEachCall) {
  load_calls();
  auto stats =
      repo().extension_stats(at("2024-03-01T00:00:00.000Z"), at("2024-03-03T00:00:00.000Z"));
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  std::vector<std::string> got;
  for (const auto& e : *stats) {
    got.push_back(fmt::format("{} out={} in={} ans={} bill={} avg={}", e.extension, e.outgoing,
                              e.incoming, e.answered, e.total_billsec, e.avg_billsec));
  }
  // Outside numbers never appear: they are the far end of inbound/outbound calls.
  EXPECT_THAT(got, ::testing::ElementsAre("1001 out=2 in=2 ans=3 bill=210 avg=70",
                                          "1002 out=2 in=2 ans=1 bill=60 avg=60",
                                          "1003 out=0 in=1 ans=0 bill=0 avg=0"));
}

// Issue 5: a row written at call start (open) and completed at its end.
TEST_P(CdrRepositoryTest, OpenRowIsCompletedAtTheEndWithTheCallDetails) {
  CdrRecord c = call("1001", "1002", CallDirection::kInternal, "2024-03-01T08:00:00.000Z",
                     Disposition::kAnswered, 42, 3);
  ASSERT_TRUE(repo().open(c).ok());
  auto page = repo().query({});
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].status, CdrStatus::kOpen);
  EXPECT_EQ(page->items[0].duration_s, 0);

  c.hangup_side = "callee";
  c.codec = "PCMU/8000";
  c.caller_user_agent = "phone A";
  c.callee_user_agent = "phone B";
  c.packets_caller = 2100;
  c.packets_callee = 2099;
  c.packets_lost = 3;
  c.jitter_ms = 4;
  ASSERT_TRUE(repo().close(c).ok());
  page = repo().query({});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  const CdrRecord& got = page->items[0];
  EXPECT_EQ(got.status, CdrStatus::kComplete);
  EXPECT_EQ(got.duration_s, 45);
  EXPECT_EQ(got.billsec_s, 42);
  EXPECT_EQ(got.hangup_side, "callee");
  EXPECT_EQ(got.codec, "PCMU/8000");
  EXPECT_EQ(got.caller_user_agent, "phone A");
  EXPECT_EQ(got.callee_user_agent, "phone B");
  EXPECT_EQ(got.packets_caller, 2100);
  EXPECT_EQ(got.packets_callee, 2099);
  EXPECT_EQ(got.packets_lost, 3);
  EXPECT_EQ(got.jitter_ms, 4);
  // A second close finds no open row.
  EXPECT_EQ(repo().close(c).error().code, ErrorCode::kNotFound);
}

TEST_P(CdrRepositoryTest, OpenRowsAreMarkedInterruptedAfterACrash) {
  auto a = call("1001", "1002", CallDirection::kInternal, "2024-03-01T08:00:00.000Z",
                Disposition::kAnswered, 10);
  auto b = call("1002", "1001", CallDirection::kInternal, "2024-03-01T09:00:00.000Z",
                Disposition::kAnswered, 10);
  ASSERT_TRUE(repo().open(a).ok());
  ASSERT_TRUE(repo().insert(b).ok());
  auto n = repo().mark_interrupted();
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_EQ(*n, 1);
  auto page = repo().query({});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[1].call_id, a.call_id);
  EXPECT_EQ(page->items[1].status, CdrStatus::kInterrupted);
  EXPECT_EQ(page->items[1].hangup_cause, "interrupted");
  EXPECT_EQ(page->items[0].status, CdrStatus::kComplete);
  EXPECT_EQ(*repo().mark_interrupted(), 0);
}

// Issue 7 §5: a recording started mid-call is named in the open row at once,
// so a crash leaves a row (interrupted) that still names the file; the
// completed row keeps what the end wrote.
TEST_P(CdrRepositoryTest, ARecordingIsNamedInTheOpenRowAndSurvivesACrash) {
  auto a = call("1001", "1002", CallDirection::kInternal, "2024-03-01T08:00:00.000Z",
                Disposition::kAnswered, 10);
  auto b = call("1002", "1003", CallDirection::kInternal, "2024-03-01T09:00:00.000Z",
                Disposition::kAnswered, 10);
  ASSERT_TRUE(repo().open(a).ok());
  ASSERT_TRUE(repo().open(b).ok());
  ASSERT_TRUE(repo().set_recording(a.call_id, "2024/03/01/080005_1001_1002_ab12.wav").ok());
  EXPECT_EQ(repo().set_recording("no-such-call", "x.wav").error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(repo().set_recording(b.call_id, "2024/03/01/b1.wav;2024/03/01/b2.wav").ok());
  b.recording_path = "2024/03/01/b1.wav;2024/03/01/b2.wav";
  ASSERT_TRUE(repo().close(b).ok());
  // A completed row is not changed any more.
  EXPECT_EQ(repo().set_recording(b.call_id, "late.wav").error().code, ErrorCode::kNotFound);
  ASSERT_EQ(*repo().mark_interrupted(), 1);
  auto page = repo().query({});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[1].call_id, a.call_id);
  EXPECT_EQ(page->items[1].status, CdrStatus::kInterrupted);
  EXPECT_EQ(page->items[1].recording_path,
            std::optional<std::string>("2024/03/01/080005_1001_1002_ab12.wav"));
  EXPECT_EQ(page->items[0].status, CdrStatus::kComplete);
  EXPECT_EQ(page->items[0].recording_path,
            std::optional<std::string>("2024/03/01/b1.wav;2024/03/01/b2.wav"));
}

// Issue 7 §7: the transfer chain is stored (migration 15) as a compact JSON
// array, written when the row is closed (or inserted) and read back in order.
TEST_P(CdrRepositoryTest, TheTransferChainIsWrittenOnCloseAndReadBack) {
  auto c = call("1001", "1003", CallDirection::kInternal, "2024-03-01T08:00:00.000Z",
                Disposition::kAnswered, 30);
  ASSERT_TRUE(repo().open(c).ok());
  auto raw = db().exec("SELECT transfers FROM cdr");
  ASSERT_TRUE(raw.ok()) << raw.error().message;
  EXPECT_EQ((*raw)[0].get_text("transfers"), "[]");  // none yet
  c.transfers = {{"api", "api", "1002", "1003", at("2024-03-01T08:00:10.000Z")},
                 {"blind", "1003", "1003", "1004", at("2024-03-01T08:00:20.500Z")}};
  c.callee = "1004";
  ASSERT_TRUE(repo().close(c).ok());
  raw = db().exec("SELECT transfers FROM cdr");
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ((*raw)[0].get_text("transfers"),
            R"([{"at":"2024-03-01T08:00:10.000Z","by":"api","from":"1002","kind":"api",)"
            R"("to":"1003"},{"at":"2024-03-01T08:00:20.500Z","by":"1003","from":"1003",)"
            R"("kind":"blind","to":"1004"}])");
  auto d = call("1002", "1005", CallDirection::kInternal, "2024-03-01T09:00:00.000Z",
                Disposition::kAnswered, 5);
  d.transfers = {{"attended", "1002", "1002", "1005", at("2024-03-01T09:00:03.000Z")}};
  ASSERT_TRUE(repo().insert(d).ok());
  auto page = repo().query({});
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].transfers, d.transfers);
  EXPECT_EQ(page->items[1].transfers, c.transfers);
  // Found by the extension filter through the final callee.
  CdrFilter f;
  f.extension = "1004";
  auto by_ext = repo().query(f);
  ASSERT_TRUE(by_ext.ok());
  ASSERT_EQ(by_ext->items.size(), 1u);
  EXPECT_EQ(by_ext->items[0].transfers.size(), 2u);
}

TEST_P(CdrRepositoryTest, AMalformedTransfersColumnIsAnErrorNotAnEmptyChain) {
  auto c = call("1001", "1002", CallDirection::kInternal, "2024-03-01T08:00:00.000Z",
                Disposition::kAnswered, 30);
  ASSERT_TRUE(repo().insert(c).ok());
  ASSERT_TRUE(db().exec("UPDATE cdr SET transfers = '{\"kind\": 1}'").ok());
  auto page = repo().query({});
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.error().code, ErrorCode::kInternal);
}

TEST(CdrTransfersJson, RoundTripsAndRejectsWhatIsNotAChain) {
  std::vector<CdrTransfer> chain{{"replaces", "1001", "1002", "1003", at("2024-03-01T08:00:00Z")}};
  auto back = transfers_from_json(transfers_to_json(chain));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, chain);
  EXPECT_EQ(transfers_to_json({}), "[]");
  EXPECT_TRUE(transfers_from_json("").ok());
  EXPECT_TRUE(transfers_from_json("[]")->empty());
  for (const char* bad : {"{}", "[1]", "nope", R"([{"kind":"api","by":"api","from":"1"}])",
                          R"([{"kind":"api","by":"api","from":"1","to":"2","at":"yesterday"}])"}) {
    EXPECT_FALSE(transfers_from_json(bad).ok()) << bad;
  }
}

SB_INSTANTIATE_ON_BOTH_ENGINES(CdrRepositoryTest);

}  // namespace
}  // namespace switchboard::store
