// DTMF of relayed calls to the feature-code listener (issue 7 §2): the
// B2BUA turns detection on for new calls when a listener is set, passes
// digits of answered calls with the call's id and the sender's side, and
// keeps the side right after a transfer by the caller swapped the legs.
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

class B2buaDigitsTest : public CallFixture {
 protected:
  RecordingListener listener;
};

TEST_F(B2buaDigitsTest, WithoutAListenerNoRelayDetects) {
  ASSERT_FALSE(establish().empty());
  EXPECT_FALSE(relays.logs.at(0)->digits);
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
}

}  // namespace
}  // namespace switchboard::core::testing
