// Call recording in the B2BUA (issue 7 §5): from the answer on when the
// policy says so, on demand between start and stop, the reference in the
// call's record (and so its CDR), and the started/stopped events — the last
// one also when the file completes after the call ended.
#include <nlohmann/json.hpp>

#include "call_fixture.hpp"
#include "recording_fixture.hpp"

namespace switchboard::core::testing {
namespace {

constexpr const char* kA = "198.51.100.1";

class B2buaRecordingTest : public CallFixture {
 protected:
  B2buaRecordingTest() {
    b2bua.set_recording_policy(&policy);
    events.subscribe([this](const CallEvent& e) {
      if (e.recording) notes.push_back({e.kind, *e.recording});
    });
  }
  /// Establishes 1001 → 1002 and lets the answer settle.
  std::string connect() {
    std::string tag = establish();
    timers.advance(1ms);
    return tag;
  }
  FakeRelay::Log& relay() { return *relays.logs.at(0); }

  FakeRecordingPolicy policy;
  std::vector<std::pair<CallEventKind, RecordingNote>> notes;
};

TEST_F(B2buaRecordingTest, AutoRecordStartsAtTheAnswerAndTheFileCompletesAfterTheEnd) {
  policy.auto_record = true;
  policy.stereo = true;
  const std::string tag = connect();
  ASSERT_FALSE(tag.empty());
  EXPECT_EQ(policy.asked, (std::vector<std::string>{"1001>1002"}));
  ASSERT_EQ(relay().recordings.size(), 1u);
  EXPECT_EQ(relay().recordings[0], "/rec/2026/11/25/1001_1002_1.wav");
  EXPECT_EQ(relay().stereo, (std::vector<bool>{true}));
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].first, CallEventKind::kRecordingStarted);
  EXPECT_EQ(notes[0].second.reference, "2026/11/25/1001_1002_1.wav");
  EXPECT_EQ(seen.back(), CallEventKind::kRecordingStarted);
  // A second start is refused while it runs.
  EXPECT_EQ(b2bua.start_recording("call-1").error().code, ErrorCode::kFailedPrecondition);

  feed(from_caller("BYE", 2, tag), from_ip(kA));
  EXPECT_TRUE(relay().closed);
  // The end event already names the file (the CDR row is written from it).
  EXPECT_EQ(seen.back(), CallEventKind::kEnded);
  EXPECT_EQ(last.recordings, (std::vector<std::string>{"2026/11/25/1001_1002_1.wav"}));
  timers.advance(2s);  // the call is reaped before the file is complete
  EXPECT_EQ(b2bua.active_calls(), 0u);
  ASSERT_TRUE(relay().recording_done);
  relay().recording_done({"/rec/2026/11/25/1001_1002_1.wav", 12.5, Status::Ok()});
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[1].first, CallEventKind::kRecordingStopped);
  EXPECT_DOUBLE_EQ(notes[1].second.seconds, 12.5);
  EXPECT_EQ(notes[1].second.error, "");
  EXPECT_EQ(last.call_id, "call-1");
  EXPECT_EQ(last.callee, "1002");
}

TEST_F(B2buaRecordingTest, WithoutAutoRecordNothingIsRecordedUntilTheApiStartsIt) {
  ASSERT_FALSE(connect().empty());
  EXPECT_EQ(policy.asked.size(), 1u);
  EXPECT_TRUE(relay().recordings.empty());
  EXPECT_TRUE(notes.empty());
  EXPECT_EQ(b2bua.start_recording("nope").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(b2bua.stop_recording("call-1").error().code, ErrorCode::kFailedPrecondition);

  ASSERT_TRUE(b2bua.start_recording("call-1").ok());
  EXPECT_TRUE(relay().recording);
  EXPECT_EQ(relay().stereo, (std::vector<bool>{false}));
  ASSERT_TRUE(b2bua.stop_recording("call-1").ok());
  EXPECT_FALSE(relay().recording);
  EXPECT_EQ(relay().recording_stops, 1);
  auto first_done = relay().recording_done;
  first_done({relay().recordings[0], 3.0, Status::Ok()});
  // A second span goes to a new file; both are the call's.
  ASSERT_TRUE(b2bua.start_recording("call-1").ok());
  ASSERT_EQ(relay().recordings.size(), 2u);
  EXPECT_NE(relay().recordings[0], relay().recordings[1]);
  ASSERT_TRUE(b2bua.stop_recording("call-1").ok());
  relay().recording_done({relay().recordings[1], 1.0, Status::Ok()});
  std::vector<CallEventKind> kinds;
  for (const auto& n : notes) kinds.push_back(n.first);
  EXPECT_EQ(kinds, (std::vector<CallEventKind>{
                       CallEventKind::kRecordingStarted, CallEventKind::kRecordingStopped,
                       CallEventKind::kRecordingStarted, CallEventKind::kRecordingStopped}));
  EXPECT_EQ(last.recordings,
            (std::vector<std::string>{"2026/11/25/1001_1002_1.wav", "2026/11/25/1001_1002_2.wav"}));
}

TEST_F(B2buaRecordingTest, RefusalsAndFailures) {
  // Not answered yet: ringing calls are not recorded.
  register_phone("1002", "198.51.100.21");
  feed(invite("1002"), from_ip(kA));
  EXPECT_EQ(b2bua.start_recording("call-1").error().code, ErrorCode::kFailedPrecondition);
  auto inv = last_request("198.51.100.21", "INVITE");
  ASSERT_TRUE(inv);
  feed(answer(*inv, 200, "b1", sdp_body("198.51.100.21", 5000), "198.51.100.21"),
       from_ip("198.51.100.21"));
  timers.advance(1ms);
  // The storage refuses: an error, no event, nothing in the record.
  policy.full = true;
  EXPECT_EQ(b2bua.start_recording("call-1").error().code, ErrorCode::kIoError);
  EXPECT_TRUE(relay().recordings.empty());
  EXPECT_TRUE(notes.empty());
  policy.full = false;
  ASSERT_TRUE(b2bua.start_recording("call-1").ok());
  // A write error is reported with the stop event.
  relay().recording_done({relay().recordings[0], 0.4, make_error(ErrorCode::kIoError, "EIO")});
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[1].second.error, "EIO");
  // The recording is over: it may start again.
  relay().recording = false;
  EXPECT_TRUE(b2bua.start_recording("call-1").ok());
  // Without a policy recording is off.
  b2bua.set_recording_policy(nullptr);
  EXPECT_EQ(b2bua.start_recording("call-1").error().code, ErrorCode::kUnavailable);
}

TEST_F(B2buaRecordingTest, EventJsonNamesTheRecording) {
  CallRecord r;
  r.call_id = "c";
  r.recordings = {"2026/11/25/x.wav"};
  RecordingNote started{"2026/11/25/x.wav", 0, ""};
  auto j = to_json(CallEvent{CallEventKind::kRecordingStarted, r, &started});
  EXPECT_EQ(j["event"], "call.recording.started");
  EXPECT_EQ(j["recording"], "2026/11/25/x.wav");
  EXPECT_EQ(j["recordings"].size(), 1u);
  EXPECT_FALSE(j.contains("seconds"));
  RecordingNote stopped{"2026/11/25/x.wav", 4.25, "EIO"};
  j = to_json(CallEvent{CallEventKind::kRecordingStopped, r, &stopped});
  EXPECT_EQ(j["event"], "call.recording.stopped");
  EXPECT_DOUBLE_EQ(j["seconds"].get<double>(), 4.25);
  EXPECT_EQ(j["error"], "EIO");
}

}  // namespace
}  // namespace switchboard::core::testing
