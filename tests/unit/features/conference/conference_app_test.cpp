// The caller's application: PIN, joining, the DTMF commands in the room,
// the moderator's mute-all / lock / kick, a full room, recording, events.
#include "fixture.hpp"

namespace switchboard::features::conference::testing {
namespace {

using Plays = std::vector<std::string>;
using State = ConferenceApp::State;

TEST_F(ConferenceTest, AnOpenRoomIsJoinedAtOnceAndClosedWhenTheLastCallerLeaves) {
  Caller& a = dial("2000", "1001");
  EXPECT_EQ(a.conf().state(), State::kInRoom);
  EXPECT_EQ(a.control.plays(), (Plays{"conf_first_participant"}));
  ASSERT_EQ(media_.rooms.size(), 1u);
  EXPECT_EQ(media_.rooms[0]->parties.size(), 1u);
  Caller& b = dial("2000", "1002");
  EXPECT_EQ(b.control.plays(), (Plays{}));  // not alone: no prompt
  EXPECT_EQ(media_.rooms[0]->parties.size(), 2u);
  EXPECT_EQ(media_.rooms[0]->entry_tones, 2);
  ASSERT_EQ(events_.size(), 2u);
  EXPECT_EQ(events_[1].kind, ConferenceEvent::Kind::kJoined);
  EXPECT_EQ(events_[1].room, "2000");
  EXPECT_EQ(events_[1].call_id, "call-1002");
  EXPECT_EQ(events_[1].participants, 2u);

  hang_up(a);
  EXPECT_EQ(media_.rooms[0]->exit_tones, 1);
  ASSERT_EQ(events_.size(), 3u);
  EXPECT_EQ(events_[2].kind, ConferenceEvent::Kind::kLeft);
  EXPECT_EQ(events_[2].call_id, "call-1001");
  EXPECT_EQ(events_[2].participants, 1u);
  hang_up(b);
  EXPECT_TRUE(media_.rooms[0]->destroyed);
  EXPECT_EQ(service_->room_count(), 0u);
  // The next caller opens a new room.
  dial("2000", "1003");
  EXPECT_EQ(media_.rooms.size(), 2u);
}

TEST_F(ConferenceTest, AWrongPinIsAskedAgainAndTheRightOneJoins) {
  Caller& a = dial("2001", "1001");
  EXPECT_EQ(a.conf().state(), State::kPin);
  EXPECT_EQ(a.control.plays(), (Plays{"conf_enter_pin"}));
  EXPECT_TRUE(media_.rooms.empty());  // nobody in before the PIN
  press(a, "1111#");
  EXPECT_EQ(a.conf().state(), State::kPin);
  EXPECT_EQ(a.control.plays().back(), "conf_invalid_pin conf_enter_pin");
  press(a, "1234#");
  EXPECT_EQ(a.conf().state(), State::kInRoom);
  EXPECT_FALSE(a.conf().moderator());
  ASSERT_EQ(media_.rooms.size(), 1u);
  EXPECT_EQ(media_.rooms[0]->parties.size(), 1u);
}

TEST_F(ConferenceTest, ThreeWrongPinsAndTheCallerIsSentAway) {
  Caller& a = dial("2001", "1001");
  press(a, "1#");
  collect_timeout(a);  // nothing typed counts as a wrong PIN
  press(a, "4321#");
  EXPECT_EQ(a.conf().state(), State::kLeaving);
  EXPECT_EQ(a.control.plays().back(), "conf_invalid_pin goodbye");
  EXPECT_TRUE(a.control.hung_up.empty());
  finish_play(a);
  EXPECT_EQ(a.control.hung_up, "conference: wrong PIN");
  EXPECT_TRUE(media_.rooms.empty());
  EXPECT_TRUE(events_.empty());
}

TEST_F(ConferenceTest, TheModeratorPinMakesAModerator) {
  Caller& a = dial("2001", "1001");
  press(a, "9999#");
  EXPECT_EQ(a.conf().state(), State::kInRoom);
  EXPECT_TRUE(a.conf().moderator());
  EXPECT_EQ(a.control.plays().back(), "conf_moderator conf_first_participant");
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_TRUE(events_[0].moderator);
}

TEST_F(ConferenceTest, InARoomWithOnlyAModeratorPinPoundAloneJoinsAsAParticipant) {
  Caller& a = dial("2002", "1001");
  EXPECT_EQ(a.conf().state(), State::kPin);
  press(a, "#");
  EXPECT_EQ(a.conf().state(), State::kInRoom);
  EXPECT_FALSE(a.conf().moderator());
  Caller& b = dial("2002", "1002");
  press(b, "12#");  // not the moderator PIN
  EXPECT_EQ(b.conf().state(), State::kPin);
  press(b, "9999#");
  EXPECT_TRUE(b.conf().moderator());
}

TEST_F(ConferenceTest, StarSixMutesAndUnmutesOneself) {
  Caller& a = dial("2000", "1001");
  Caller& b = dial("2000", "1002");
  const PartyId pa = a.conf().party();
  type(a, "*6");
  EXPECT_EQ(media_.rooms[0]->muted, (std::set<PartyId>{pa}));
  EXPECT_EQ(a.control.plays().back(), "conf_muted");
  type(a, "6");  // without `*`: nothing
  EXPECT_EQ(media_.rooms[0]->muted, (std::set<PartyId>{pa}));
  type(a, "*");
  collect_timeout(a);  // `*` then nothing: forgotten
  type(a, "6");
  EXPECT_EQ(media_.rooms[0]->muted, (std::set<PartyId>{pa}));
  type(a, "*6");
  EXPECT_TRUE(media_.rooms[0]->muted.empty());
  EXPECT_EQ(a.control.plays().back(), "conf_unmuted");
  // Waiting for a command never ends the call.
  collect_timeout(b);
  EXPECT_EQ(b.conf().state(), State::kInRoom);
  EXPECT_NE(b.control.pending(FakeControl::Request::kCollect), nullptr);
}

TEST_F(ConferenceTest, ParticipantsHaveNoModeratorCommands) {
  Caller& a = dial("2001", "1001");
  press(a, "1234#");
  Caller& b = dial("2001", "1002");
  press(b, "1234#");
  const auto before = a.control.plays().size();
  type(a, "*1*2*3");
  EXPECT_TRUE(media_.rooms[0]->muted.empty());
  EXPECT_FALSE(service_->room("2001")->locked());
  EXPECT_EQ(service_->room("2001")->size(), 2u);
  EXPECT_EQ(a.control.plays().size(), before);
}

TEST_F(ConferenceTest, TheModeratorMutesEveryoneAndLocksTheRoom) {
  Caller& m = dial("2001", "1000");
  press(m, "9999#");
  Caller& a = dial("2001", "1001");
  press(a, "1234#");
  type(m, "*1");
  EXPECT_EQ(media_.rooms[0]->muted, (std::set<PartyId>{a.conf().party()}));
  EXPECT_EQ(m.control.plays().back(), "conf_all_muted");
  type(m, "*2");
  EXPECT_TRUE(service_->room("2001")->locked());
  EXPECT_EQ(m.control.plays().back(), "conf_locked_now");
  Caller& late = dial("2001", "1002");
  press(late, "1234#");
  EXPECT_EQ(late.conf().state(), State::kLeaving);
  EXPECT_EQ(late.control.plays().back(), "conf_locked goodbye");
  finish_play(late);
  EXPECT_EQ(late.control.hung_up, "conference: locked");
  EXPECT_EQ(service_->room("2001")->size(), 2u);
  type(m, "*2");
  type(m, "*1");
  EXPECT_TRUE(media_.rooms[0]->muted.empty());
  EXPECT_EQ(m.control.plays().back(), "conf_all_unmuted");
  Caller& later = dial("2001", "1003");
  press(later, "1234#");
  EXPECT_EQ(later.conf().state(), State::kInRoom);
}

TEST_F(ConferenceTest, TheModeratorKicksTheLastCallerWhoHearsWhyAndIsHungUp) {
  Caller& m = dial("2001", "1000");
  press(m, "9999#");
  Caller& a = dial("2001", "1001");
  press(a, "1234#");
  Caller& b = dial("2001", "1002");
  press(b, "1234#");
  events_.clear();
  type(m, "*3");
  EXPECT_EQ(m.control.plays().back(), "conf_removed");
  EXPECT_EQ(b.conf().state(), State::kLeaving);
  EXPECT_EQ(b.control.plays().back(), "conf_kicked goodbye");
  EXPECT_EQ(media_.rooms[0]->parties.size(), 2u);
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].kind, ConferenceEvent::Kind::kLeft);
  EXPECT_EQ(events_[0].call_id, "call-1002");
  finish_play(b);
  EXPECT_EQ(b.control.hung_up, "conference: removed by the moderator");
  hang_up(b);
  EXPECT_EQ(events_.size(), 1u);  // left once
  type(m, "*3");
  EXPECT_EQ(a.conf().state(), State::kLeaving);
  type(m, "*3");
  EXPECT_EQ(m.control.plays().back(), "conf_nobody");
}

TEST_F(ConferenceTest, AFullRoomSendsTheNextCallerAway) {
  for (const char* who : {"1001", "1002", "1003"}) dial("2000", who);
  Caller& d = dial("2000", "1004");
  EXPECT_EQ(d.conf().state(), State::kLeaving);
  EXPECT_EQ(d.control.plays(), (Plays{"conf_full goodbye"}));
  finish_play(d);
  EXPECT_EQ(d.control.hung_up, "conference: full");
  EXPECT_EQ(service_->room("2000")->size(), 3u);
  hang_up(d);
  EXPECT_EQ(service_->room("2000")->size(), 3u);
}

TEST_F(ConferenceTest, ACallerHangingUpDuringThePinNeverJoins) {
  Caller& a = dial("2001", "1001");
  hang_up(a);
  EXPECT_EQ(a.conf().state(), State::kEnded);
  EXPECT_TRUE(media_.rooms.empty());
  EXPECT_TRUE(events_.empty());
}

TEST_F(ConferenceTest, RecordedRoomsRecordFromTheFirstCallerAndSayIt) {
  auto o = base_options();
  o.record = true;
  make_service(o);
  Caller& a = dial("2000", "1001");
  ASSERT_EQ(media_.rooms.size(), 1u);
  EXPECT_EQ(media_.rooms[0]->recording, "/rec/conference/2000-20240301T050930Z-1.wav");
  EXPECT_EQ(a.control.plays(), (Plays{"conf_recording conf_first_participant"}));
}

TEST_F(ConferenceTest, AnAdhocRoomTakesCallsWithoutPinOrPrompt) {
  const std::string room = service_->create_adhoc_room();
  EXPECT_NE(room, service_->create_adhoc_room());
  std::vector<std::unique_ptr<Caller>> legs;
  for (const char* who : {"1001", "1002", "1003"}) {
    auto c = std::make_unique<Caller>();
    c->control.call.call_id = std::string("call-") + who;
    c->control.call.caller = who;
    c->app = service_->party_app(room);
    c->app->on_start(c->control);
    EXPECT_EQ(c->conf().state(), State::kInRoom);
    EXPECT_TRUE(c->control.plays().empty());
    legs.push_back(std::move(c));
  }
  EXPECT_EQ(service_->room(room)->size(), 3u);
  for (auto& c : legs) hang_up(*c);
  EXPECT_EQ(service_->room(room), nullptr);
}

}  // namespace
}  // namespace switchboard::features::conference::testing
