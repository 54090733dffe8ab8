// Room rules: capacity, lock, mute-all, kick — kept in step with the mixer.
#include "fixture.hpp"

namespace switchboard::features::conference::testing {
namespace {

class RoomTest : public ::testing::Test {
 protected:
  RoomTest() : log(std::make_shared<FakeRoomMedia::Log>()) {
    room = std::make_unique<Room>("2000", std::make_unique<FakeRoomMedia>(log), 3);
  }
  JoinResult join(PartyId id, bool moderator = false) {
    Party p;
    p.id = id;
    p.call_id = "call-" + std::to_string(id);
    p.moderator = moderator;
    return room->join(p, control);
  }
  std::shared_ptr<FakeRoomMedia::Log> log;
  std::unique_ptr<Room> room;
  FakeControl control;
};

TEST_F(RoomTest, JoiningMixesThePartyAndTheRoomHearsTheEntryToneTheExitToneOnlyIfSomeoneStays) {
  EXPECT_EQ(join(1), JoinResult::kJoined);
  EXPECT_EQ(join(2), JoinResult::kJoined);
  EXPECT_EQ(log->parties, (std::set<PartyId>{1, 2}));
  EXPECT_EQ(log->entry_tones, 2);
  EXPECT_TRUE(room->leave(2));
  EXPECT_EQ(log->exit_tones, 1);
  EXPECT_FALSE(room->leave(2));
  EXPECT_TRUE(room->leave(1));
  EXPECT_EQ(log->exit_tones, 1);  // nobody left to hear it
  EXPECT_TRUE(room->empty());
  EXPECT_TRUE(log->parties.empty());
}

TEST_F(RoomTest, AFullRoomRefusesEvenAModerator) {
  for (PartyId id : {1u, 2u, 3u}) ASSERT_EQ(join(id), JoinResult::kJoined);
  EXPECT_EQ(join(4), JoinResult::kFull);
  EXPECT_EQ(join(5, true), JoinResult::kFull);
  EXPECT_EQ(log->parties.size(), 3u);
  room->leave(2);
  EXPECT_EQ(join(4), JoinResult::kJoined);
}

TEST_F(RoomTest, ALockedRoomRefusesAllButModerators) {
  ASSERT_EQ(join(1, true), JoinResult::kJoined);
  EXPECT_TRUE(room->toggle_lock());
  EXPECT_EQ(join(2), JoinResult::kLocked);
  EXPECT_EQ(join(3, true), JoinResult::kJoined);
  EXPECT_FALSE(room->toggle_lock());
  EXPECT_EQ(join(2), JoinResult::kJoined);
}

TEST_F(RoomTest, ACallWithoutALegCannotJoin) {
  control.has_leg = false;
  EXPECT_EQ(join(1), JoinResult::kError);
  EXPECT_TRUE(room->empty());
  EXPECT_EQ(log->entry_tones, 0);
}

TEST_F(RoomTest, MuteAllSparesModeratorsAndNewcomersJoinMuted) {
  ASSERT_EQ(join(1, true), JoinResult::kJoined);
  ASSERT_EQ(join(2), JoinResult::kJoined);
  EXPECT_TRUE(room->toggle_mute_all(1));
  EXPECT_EQ(log->muted, (std::set<PartyId>{2}));
  ASSERT_EQ(join(3), JoinResult::kJoined);
  EXPECT_EQ(log->muted, (std::set<PartyId>{2, 3}));
  // A muted party may unmute itself.
  EXPECT_EQ(room->toggle_muted(3), std::optional<bool>(false));
  EXPECT_EQ(log->muted, (std::set<PartyId>{2}));
  EXPECT_FALSE(room->toggle_mute_all(1));
  EXPECT_TRUE(log->muted.empty());
  EXPECT_EQ(room->toggle_muted(42), std::nullopt);
}

TEST_F(RoomTest, KickRemovesTheLastJoinedThatIsNeitherAModeratorNorTheKicker) {
  ASSERT_EQ(join(1, true), JoinResult::kJoined);
  ASSERT_EQ(join(2), JoinResult::kJoined);
  ASSERT_EQ(join(3, true), JoinResult::kJoined);
  auto kicked = room->kick_last(1);
  ASSERT_TRUE(kicked);
  EXPECT_EQ(kicked->id, 2u);
  EXPECT_EQ(log->parties, (std::set<PartyId>{1, 3}));
  EXPECT_EQ(log->exit_tones, 1);
  EXPECT_FALSE(room->kick_last(1));  // only moderators left
}

}  // namespace
}  // namespace switchboard::features::conference::testing
