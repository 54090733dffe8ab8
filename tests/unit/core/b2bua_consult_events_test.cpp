// call.bridged around a consultation (attended transfer and three-way
// calling by feature code, b2bua_consult.cpp; issue 9 §4): the consultation
// is bridged when its target answers, the held call again when the target
// takes the transferrer's place; the held party handed on while the target
// still rings is bridged only once it answers; going back is call.resumed,
// not a bridge; a three-way dial-out goes into a room, not a bridge.
#include <algorithm>

#include "app_fixture.hpp"
#include "transfer_fixture.hpp"

namespace switchboard::core::testing {
namespace {

using namespace app_fixture;  // NOLINT

class ConsultEventsTest : public TransferTest {
 protected:
  /// B consults C (B's phone re-INVITEd into a consultation call of its
  /// own, answered); C rings.
  size_t start_consultation(bool three_way = false) {
    const size_t mark = sent.size();
    EXPECT_TRUE(b2bua.consult("call-1", MediaSide::kB, "1003", three_way).ok());
    auto reinv = requests_to(kB, "INVITE", mark);
    EXPECT_EQ(reinv.size(), 1u);
    if (reinv.empty()) return mark;
    feed(answer(reinv[0], 200, "b1", sdp_body(kB, 5002), kB), from_ip(kB));
    return mark;
  }
  /// The bridges after the first answer (call-1 1001-1002), without the
  /// consultation's random call id.
  std::vector<std::string> later_bridges() const {
    std::vector<std::string> out;
    for (size_t i = 1; i < bridged.size(); ++i) {
      const auto& b = bridged[i];
      out.push_back(b.rfind("call-1 ", 0) == 0 ? b : "y" + b.substr(b.find(' ')));
    }
    return out;
  }
  int count(CallEventKind k) const {
    return static_cast<int>(std::count(seen.begin(), seen.end(), k));
  }
};

TEST_F(ConsultEventsTest, TheConsultationAndThenTheHandOverAreBridged) {
  ASSERT_EQ(bridged, (std::vector<std::string>{"call-1 1001-1002 answer"}));
  const size_t mark = start_consultation();
  EXPECT_TRUE(later_bridges().empty());  // C rings, B hears ringback
  answer_c();
  EXPECT_EQ(later_bridges(), (std::vector<std::string>{"y 1002-1003 answer"}));
  // B hangs up: C is moved into the held call at B's place.
  feed(from_b("BYE", 2), from_ip(kB));
  auto reinv = requests_to(kC, "INVITE", mark);
  ASSERT_EQ(reinv.size(), 2u);
  feed(answer(reinv[1], 200, "c1", sdp_body(kC, 6002), kC), from_ip(kC));
  EXPECT_EQ(later_bridges(),
            (std::vector<std::string>{"y 1002-1003 answer", "call-1 1001-1003 attended"}));
}

TEST_F(ConsultEventsTest, AHeldPartyHandedOnWhileTheTargetRingsIsBridgedWhenItAnswers) {
  const size_t mark = start_consultation();
  feed(from_b("BYE", 2), from_ip(kB));
  auto reinv = requests_to(kA, "INVITE", mark);
  ASSERT_EQ(reinv.size(), 1u);
  feed(answer(reinv[0], 200, "a1", sdp_body(kA, 4002), kA), from_ip(kA));
  EXPECT_TRUE(later_bridges().empty());  // A hears C ringing: nobody to talk to yet
  answer_c();
  EXPECT_EQ(later_bridges(), (std::vector<std::string>{"y 1001-1003 answer"}));
}

TEST_F(ConsultEventsTest, GoingBackIsAResumeNotABridge) {
  const size_t mark = start_consultation();
  auto c_inv = answer_c();
  const auto bridges = later_bridges();
  feed(request("BYE", kC, "1003", "c1", std::string(*sip::get_from(c_inv)->tag()),
               std::string(*c_inv.value(sip::HeaderId::kCallId)), 2),
       from_ip(kC));
  auto reinv = requests_to(kB, "INVITE", mark);
  ASSERT_EQ(reinv.size(), 2u);
  const int resumed = count(CallEventKind::kResumed);
  feed(answer(reinv[1], 200, "b1", sdp_body(kB, 5004), kB), from_ip(kB));
  EXPECT_EQ(count(CallEventKind::kResumed), resumed + 1);
  EXPECT_EQ(later_bridges(), bridges);
}

/// Rooms for three-way calling: scripted party applications.
struct Rooms final : ConferenceBridge {
  std::string create_room() override { return "adhoc"; }
  CallAppPtr party_app(const std::string&) override {
    return std::make_unique<ScriptedApp>(std::make_shared<ScriptedApp::Seen>());
  }
};

TEST_F(ConsultEventsTest, AThreeWayDialOutGoesIntoARoomNotABridge) {
  FakeAppMediaFactory app_media;
  Rooms rooms;
  b2bua.set_app_media(&app_media);
  b2bua.set_conference_bridge(&rooms);
  const size_t mark = start_consultation(/*three_way=*/true);
  answer_c();
  auto reinv = requests_to(kC, "INVITE", mark);
  ASSERT_EQ(reinv.size(), 2u);
  feed(answer(reinv[1], 200, "c1", sdp_body(kC, 6002), kC), from_ip(kC));
  EXPECT_EQ(b2bua.active_calls(), 3u);
  EXPECT_TRUE(later_bridges().empty());
}

}  // namespace
}  // namespace switchboard::core::testing
