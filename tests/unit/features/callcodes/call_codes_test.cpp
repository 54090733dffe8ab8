// The feature-code state machine (issue 7 §2) in virtual time: codes
// recognised digit by digit per call side, the blind-transfer number ended
// by '#' or a pause, a started code forgotten after a pause, wrong digits
// falling through (and starting a code themselves), and each action sent to
// the B2BUA with the OTHER party as the one that moves.
#include "features/callcodes/call_codes.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace switchboard::features::callcodes {
namespace {

using core::MediaSide;
using std::chrono::milliseconds;
using std::chrono::seconds;

struct FakeActions final : CallCodeActions {
  std::vector<std::string> log;
  bool recording = false;
  Status transfer(const std::string& call_id, MediaSide stays, const std::string& target) override {
    log.push_back("transfer " + call_id + " stays " + core::to_string(stays) + " to " + target);
    return Status::Ok();
  }
  Result<std::string> start_recording(const std::string& call_id) override {
    if (recording) return make_error(ErrorCode::kFailedPrecondition, "already recording");
    recording = true;
    log.push_back("record " + call_id);
    return std::string("rec-1");
  }
  Status stop_recording(const std::string& call_id) override {
    if (!recording) return make_error(ErrorCode::kFailedPrecondition, "not recording");
    recording = false;
    log.push_back("stop " + call_id);
    return Status::Ok();
  }
  std::string consultation;  // the call that is one
  Status consult(const std::string& call_id, MediaSide transferrer, const std::string& target,
                 bool three_way) override {
    log.push_back(std::string(three_way ? "three-way " : "consult ") + call_id + " by " +
                  core::to_string(transferrer) + " to " + target);
    return Status::Ok();
  }
  Status merge_three_way(const std::string& call_id) override {
    log.push_back("merge " + call_id);
    return Status::Ok();
  }
  Status cancel_consultation(const std::string& call_id) override {
    if (call_id != consultation) return make_error(ErrorCode::kNotFound, "no consultation");
    log.push_back("cancel " + call_id);
    return Status::Ok();
  }
  bool is_consultation(const std::string& call_id) override { return call_id == consultation; }
};

struct CallCodesTest : ::testing::Test {
  VirtualTimers timers;
  FakeActions actions;
  CallCodes codes{timers, actions, CallCodeOptions{}};

  void dial(const std::string& digits, MediaSide side = MediaSide::kB,
            const std::string& call = "c1") {
    for (char d : digits) {
      codes.on_call_digit(call, side, d);
      timers.advance(milliseconds(300));
    }
  }
  using Log = std::vector<std::string>;
};

TEST_F(CallCodesTest, BlindTransferNumberEndsWithHash) {
  dial("##1003#");
  EXPECT_EQ(actions.log, Log{"transfer c1 stays A to 1003"});
  EXPECT_EQ(codes.pending(), 0u);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(CallCodesTest, TheCallerTransfersTheCallee) {
  dial("##1003#", MediaSide::kA);
  EXPECT_EQ(actions.log, Log{"transfer c1 stays B to 1003"});
}

TEST_F(CallCodesTest, BlindTransferNumberEndsWithAPause) {
  dial("##42");
  EXPECT_TRUE(actions.log.empty());
  timers.advance(milliseconds(2600));  // 3 s after the last digit
  EXPECT_TRUE(actions.log.empty());
  timers.advance(milliseconds(200));
  EXPECT_EQ(actions.log, Log{"transfer c1 stays A to 42"});
  EXPECT_EQ(codes.pending(), 0u);
}

TEST_F(CallCodesTest, BlindTransferWithoutANumberIsDropped) {
  dial("###");
  timers.advance(seconds(10));
  dial("##");
  timers.advance(seconds(10));
  EXPECT_TRUE(actions.log.empty());
  EXPECT_EQ(codes.pending(), 0u);
}

TEST_F(CallCodesTest, AStarInTheNumberAbandonsTheTransfer) {
  dial("##10*3#");
  timers.advance(seconds(10));
  EXPECT_TRUE(actions.log.empty());
}

TEST_F(CallCodesTest, AStartedCodeIsForgottenAfterAPause) {
  dial("#");
  timers.advance(seconds(4));
  dial("#1003#");  // a single '#' again: the start of a code, not its end
  EXPECT_TRUE(actions.log.empty());
  EXPECT_EQ(codes.pending(), 1u);  // the last '#' may start one
  timers.advance(seconds(4));
  EXPECT_EQ(codes.pending(), 0u);
  EXPECT_TRUE(actions.log.empty());
}

TEST_F(CallCodesTest, WrongDigitsFallThroughAndMayStartACode) {
  dial("123#5*8");  // digits for the other party (an IVR behind it, say)
  EXPECT_TRUE(actions.log.empty());
  dial("*#");  // '*' starts *1 / *70, '#' does not continue it but starts ##
  dial("#77#");
  EXPECT_EQ(actions.log, Log{"transfer c1 stays A to 77"});
}

TEST_F(CallCodesTest, ParkMovesTheOtherPartyToTheParkExtension) {
  dial("*70", MediaSide::kA);
  EXPECT_EQ(actions.log, Log{"transfer c1 stays B to 70"});
  EXPECT_EQ(codes.pending(), 0u);
}

TEST_F(CallCodesTest, RecordToggles) {
  dial("*1");
  dial("55");
  dial("*1", MediaSide::kA);
  EXPECT_EQ(actions.log, (Log{"record c1", "stop c1"}));
}

TEST_F(CallCodesTest, SidesAndCallsAreSeparate) {
  codes.on_call_digit("c1", MediaSide::kA, '#');
  codes.on_call_digit("c1", MediaSide::kB, '#');
  codes.on_call_digit("c2", MediaSide::kA, '#');
  EXPECT_EQ(codes.pending(), 3u);
  codes.on_call_digit("c1", MediaSide::kB, '#');
  codes.on_call_digit("c1", MediaSide::kA, '5');  // falls through: A's '#' was not a code
  for (char d : std::string("200#")) codes.on_call_digit("c1", MediaSide::kB, d);
  for (char d : std::string("#300#")) codes.on_call_digit("c2", MediaSide::kA, d);
  EXPECT_EQ(actions.log, (Log{"transfer c1 stays A to 200", "transfer c2 stays B to 300"}));
  EXPECT_EQ(codes.pending(), 0u);
}

TEST_F(CallCodesTest, ConfiguredCodesAndTimeout) {
  CallCodeOptions o;
  o.blind_transfer = "*9";
  o.park = "#5";
  o.record_toggle = "**";
  o.park_extension = "700";
  o.inter_digit_timeout = seconds(1);
  codes.set_options(o);
  dial("##1003#");  // the default no longer means anything
  EXPECT_TRUE(actions.log.empty());
  dial("*9123");
  timers.advance(milliseconds(800));
  EXPECT_EQ(actions.log, Log{"transfer c1 stays A to 123"});
  dial("#5**");
  EXPECT_EQ(actions.log,
            (Log{"transfer c1 stays A to 123", "transfer c1 stays A to 700", "record c1"}));
}

TEST_F(CallCodesTest, DisabledIgnoresEverything) {
  CallCodeOptions o;
  o.enabled = false;
  codes.set_options(o);
  dial("##1003#*1*70");
  EXPECT_TRUE(actions.log.empty());
  EXPECT_EQ(codes.pending(), 0u);
}

}  // namespace
}  // namespace switchboard::features::callcodes

namespace switchboard::features::callcodes {
namespace {

TEST_F(CallCodesTest, AttendedTransferConsultsTheNumberForTheSender) {
  dial("*21003#");
  EXPECT_EQ(actions.log, Log{"consult c1 by B to 1003"});
  dial("*2", MediaSide::kA, "c2");
  dial("1004", MediaSide::kA, "c2");
  timers.advance(seconds(3));  // the number ends with a pause too
  EXPECT_EQ(actions.log, (Log{"consult c1 by B to 1003", "consult c2 by A to 1004"}));
  EXPECT_EQ(codes.pending(), 0u);
}

TEST_F(CallCodesTest, ThreeWayDialsOutInACallAndMergesInAConsultation) {
  dial("*31003#");
  actions.consultation = "y1";
  dial("*3", MediaSide::kA, "y1");  // no number: the consultation is merged at once
  EXPECT_EQ(actions.log, (Log{"three-way c1 by B to 1003", "merge y1"}));
  EXPECT_EQ(codes.pending(), 0u);
}

TEST_F(CallCodesTest, CancelGoesBackOnlyFromAConsultation) {
  dial("*0");  // an ordinary call: refused, nothing else happens
  actions.consultation = "y1";
  dial("*0", MediaSide::kA, "y1");
  EXPECT_EQ(actions.log, Log{"cancel y1"});
}

}  // namespace
}  // namespace switchboard::features::callcodes
