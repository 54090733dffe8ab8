// PartyPort and MediaSession::set_party without threads or sockets: the
// leg's frames reach the room and the room's mix is added to what the
// session plays; the queues stay short; a closed port is dropped.
#include "media/app/party_port.hpp"

#include <gtest/gtest.h>

#include "media/app/media_session.hpp"

namespace switchboard::media::app {
namespace {

std::vector<std::int16_t> frame_of(std::int16_t v, std::size_t n = 160) {
  return std::vector<std::int16_t>(n, v);
}

TEST(PartyPort, CarriesFramesBothWaysKeepsAtMostThreeAndDropsWrongSizes) {
  auto port = std::make_shared<PartyPort>(8000);
  auto voice = port->voice();
  auto mix = port->mix();
  std::vector<std::int16_t> out(160);
  EXPECT_FALSE(voice->read(out));
  for (std::int16_t v = 1; v <= 5; ++v) port->put_voice(frame_of(v));
  ASSERT_TRUE(voice->read(out));
  EXPECT_EQ(out[0], 3) << "the two oldest were dropped (latency stays bounded)";
  mix->write(frame_of(7));
  ASSERT_TRUE(port->take_mix(out));
  EXPECT_EQ(out[0], 7);
  EXPECT_FALSE(port->take_mix(out));
  mix->write(frame_of(7, 320));
  EXPECT_FALSE(port->take_mix(out)) << "a frame of another size is not passed on";
}

TEST(PartyPort, TheSessionSendsItsCallerAndAddsTheMixThenDropsAClosedPort) {
  MediaSession session(SessionConfig{}, SessionServices{});
  auto port = std::make_shared<PartyPort>(8000);
  session.set_party(port);
  EXPECT_TRUE(session.in_party());
  auto voice = port->voice();
  auto mix = port->mix();
  std::vector<std::int16_t> in = frame_of(100), out(160), got(160);
  mix->write(frame_of(-300));
  EXPECT_TRUE(session.tick(in, out)) << "the room's mix is something to send";
  EXPECT_EQ(out[0], -300);
  ASSERT_TRUE(voice->read(got));
  EXPECT_EQ(got[0], 100);
  EXPECT_FALSE(session.tick(in, out)) << "no mix this tick, nothing playing";
  port->close();
  mix->write(frame_of(-300));
  EXPECT_FALSE(session.tick(in, out));
  EXPECT_FALSE(session.in_party());
}

}  // namespace
}  // namespace switchboard::media::app
