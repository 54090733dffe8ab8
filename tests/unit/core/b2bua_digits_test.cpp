// DTMF of relayed calls (issue 7 §2, issue 9 §4): every answered two-party
// call publishes its digits as call.dtmf events with the sender's party and
// number; the feature-code listener, when set, gets them too (and in-band
// detection with it), with the call's id and the sender's side, kept right
// after a transfer by the caller swapped the legs.
#include <nlohmann/json.hpp>

#include "call_fixture.hpp"

namespace switchboard::core::testing {
namespace {

constexpr const char* kA = "198.51.100.1";
constexpr const char* kC = "198.51.100.23";

struct Digit {
  std::string call_id;
  MediaSide side;
  char digit;
  bool operator==(const Digit&) const = default;
};

struct RecordingListener final : CallDigitListener {
  std::vector<Digit> got;
  void on_call_digit(const std::string& call_id, MediaSide side, char digit) override {
    got.push_back({call_id, side, digit});
  }
};

struct Published {
  std::string call_id;
  Party party;
  std::string number;
  char digit;
  bool operator==(const Published&) const = default;
};

class B2buaDigitsTest : public CallFixture {
 protected:
  B2buaDigitsTest() {
    events.subscribe([this](const CallEvent& e) {
      if (e.kind != CallEventKind::kDtmf) return;
      ASSERT_TRUE(e.dtmf);
      published.push_back({e.call.call_id, e.dtmf->party, e.dtmf->number, e.dtmf->digit});
    });
  }
  RecordingListener listener;
  std::vector<Published> published;
};

TEST_F(B2buaDigitsTest, WithoutCallCodesTheRelayWatchesTelephoneEventsOnly) {
  ASSERT_FALSE(establish().empty());
  EXPECT_TRUE(relays.logs.at(0)->digits);
  EXPECT_EQ(relays.logs.at(0)->detection, MediaRelay::Detection::kEvents);
}

TEST_F(B2buaDigitsTest, WithCallCodesInBandTonesAreSearchedToo) {
  b2bua.set_digit_listener(&listener);
  ASSERT_FALSE(establish().empty());
  EXPECT_EQ(relays.logs.at(0)->detection, MediaRelay::Detection::kEventsAndTones);
}

TEST_F(B2buaDigitsTest, DigitsOfAnAnsweredCallArePublishedWithTheSendersPartyAndNumber) {
  const std::string tag = establish();
  ASSERT_FALSE(tag.empty());
  auto& relay = *relays.logs.at(0);
  relay.digits(MediaSide::kA, '1');
  relay.digits(MediaSide::kB, '#');
  relay.digits(MediaSide::kB, '9');
  EXPECT_EQ(published, (std::vector<Published>{{"call-1", Party::kCaller, "1001", '1'},
                                               {"call-1", Party::kCallee, "1002", '#'},
                                               {"call-1", Party::kCallee, "1002", '9'}}));
  EXPECT_EQ(seen.back(), CallEventKind::kDtmf);
  // The event's one JSON form (the API stream) names them the same way.
  nlohmann::json j =
      to_json(CallEvent{.kind = CallEventKind::kDtmf, .call = last, .dtmf = nullptr});
  EXPECT_FALSE(j.contains("digit"));
  const DtmfNote note{Party::kCallee, "1002", '#'};
  j = to_json(CallEvent{.kind = CallEventKind::kDtmf, .call = last, .dtmf = &note});
  EXPECT_EQ(j["event"], "call.dtmf");
  EXPECT_EQ(j["call_id"], "call-1");
  EXPECT_EQ(j["party"], "callee");
  EXPECT_EQ(j["number"], "1002");
  EXPECT_EQ(j["digit"], "#");
  feed(from_caller("BYE", 2, tag), from_ip(kA));
  relay.digits(MediaSide::kB, '1');  // posted before the end, run after it
  EXPECT_EQ(published.size(), 3u);
}

TEST_F(B2buaDigitsTest, DigitsWhileRingingAreNotPublished) {
  register_phone("1002", "198.51.100.21");
  feed(invite("1002"), from_ip(kA));
  ASSERT_TRUE(last_request("198.51.100.21", "INVITE"));
  relays.logs.at(0)->digits(MediaSide::kA, '5');  // early media
  EXPECT_TRUE(published.empty());
}

TEST_F(B2buaDigitsTest, DigitsOfAnAnsweredCallReachTheListenerWithTheSide) {
  b2bua.set_digit_listener(&listener);
  const std::string tag = establish();
  ASSERT_FALSE(tag.empty());
  auto& relay = *relays.logs.at(0);
  ASSERT_TRUE(relay.digits);
  relay.digits(MediaSide::kB, '#');
  relay.digits(MediaSide::kA, '5');
  EXPECT_EQ(listener.got,
            (std::vector<Digit>{{"call-1", MediaSide::kB, '#'}, {"call-1", MediaSide::kA, '5'}}));
  EXPECT_EQ(published.size(), 2u);  // published as well
  feed(from_caller("BYE", 2, tag), from_ip(kA));
  relay.digits(MediaSide::kB, '1');  // posted before the end, run after it
  EXPECT_EQ(listener.got.size(), 2u);
}

TEST_F(B2buaDigitsTest, AfterTheCallerTransferredTheSidesFollowTheSwap) {
  b2bua.set_digit_listener(&listener);
  const std::string tag = establish();
  ASSERT_FALSE(tag.empty());
  feed(from_caller("ACK", 1, tag), from_ip(kA));
  register_phone("1003", kC);
  // The caller's party (side A) leaves; 1002 stays and becomes side A.
  ASSERT_TRUE(b2bua.transfer("call-1", MediaSide::kB, "1003").ok());
  auto inv = last_request(kC, "INVITE");
  ASSERT_TRUE(inv);
  feed(answer(*inv, 200, "c1", sdp_body(kC, 6000), kC), from_ip(kC));
  auto& relay = *relays.logs.at(0);
  EXPECT_EQ(relay.configured[MediaSide::kA].remote_rtp, (sdp::RtpAddress{kC, 6000}));
  // The engine's side A now faces 1003, which the call sees as side B.
  relay.digits(MediaSide::kA, '7');
  relay.digits(MediaSide::kB, '8');
  ASSERT_EQ(listener.got.size(), 2u);
  EXPECT_EQ(listener.got[0].side, MediaSide::kB);
  EXPECT_EQ(listener.got[1].side, MediaSide::kA);
  // 1003 is now the callee, 1002 the caller.
  EXPECT_EQ(published, (std::vector<Published>{{"call-1", Party::kCallee, "1003", '7'},
                                               {"call-1", Party::kCaller, "1002", '8'}}));
}

}  // namespace
}  // namespace switchboard::core::testing
