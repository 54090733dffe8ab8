// The port pool: even RTP ports with RTCP above, FIFO reuse, leases that
// return on every path, and binding that skips a port someone else holds.
#include "media/rtp/port_pool.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include "media/rtp/socket_pair.hpp"
#include "unit/media/rtp/test_ports.hpp"

namespace switchboard::media::rtp {
namespace {

using boost::asio::ip::udp;

std::uint16_t test_base(int) {
  return test_port_block(90);
}  // 6 ports: 90..95

TEST(PortPool, EvenPortsInsideTheRange) {
  auto pool = PortPool::create(10001, 10010);  // odd start rounds up; 10010 has no RTCP port
  EXPECT_EQ(pool->total(), 4u);                // 10002, 10004, 10006, 10008
  std::vector<PortPool::Lease> leases;
  while (auto l = pool->acquire()) {
    EXPECT_EQ(l->rtp_port() % 2, 0);
    EXPECT_EQ(l->rtcp_port(), l->rtp_port() + 1);
    EXPECT_LE(l->rtcp_port(), 10010);
    leases.push_back(std::move(*l));
  }
  EXPECT_EQ(leases.size(), 4u);
  EXPECT_EQ(pool->free_count(), 0u);
  leases.clear();
  EXPECT_EQ(pool->free_count(), 4u);
}

TEST(PortPool, ReleasedPortsAreReusedLast) {
  auto pool = PortPool::create(10000, 10007);
  auto first = pool->acquire();
  std::uint16_t port = first->rtp_port();
  first->release();
  first->release();  // twice is harmless
  EXPECT_EQ(pool->free_count(), 4u);
  for (int i = 0; i < 3; ++i) EXPECT_NE(pool->acquire()->rtp_port(), port);
}

TEST(PortPool, LeaseMovesOwnership) {
  auto pool = PortPool::create(10000, 10003);
  PortPool::Lease a = std::move(*pool->acquire());
  PortPool::Lease b = std::move(a);
  EXPECT_FALSE(a.valid());  // NOLINT(bugprone-use-after-move)
  EXPECT_TRUE(b.valid());
  EXPECT_EQ(pool->free_count(), 1u);
  PortPool::Lease c;
  c = std::move(b);
  EXPECT_EQ(pool->free_count(), 1u);
  c = PortPool::Lease();
  EXPECT_EQ(pool->free_count(), 2u);
}

TEST(PortPool, EmptyRange) {
  EXPECT_EQ(PortPool::create(10000, 10000)->total(), 0u);
  EXPECT_FALSE(PortPool::create(10000, 10000)->acquire());
}

TEST(SocketPair, SkipsAPortTakenByAnotherProcessWithoutLeaking) {
  boost::asio::io_context io;
  auto loopback = boost::asio::ip::make_address("127.0.0.1");
  std::uint16_t base = test_base(0);
  auto pool = PortPool::create(base, static_cast<std::uint16_t>(base + 5));  // 3 pairs
  // Someone else holds the RTCP port of the first pair.
  udp::socket squatter(io, udp::endpoint(loopback, static_cast<std::uint16_t>(base + 1)));
  auto pair = bind_socket_pair(*pool, loopback);
  ASSERT_TRUE(pair.ok()) << pair.error().message;
  EXPECT_NE(pair->lease.rtp_port(), base);
  EXPECT_EQ(pool->free_count(), 2u);  // the failed pair went back
  auto second = bind_socket_pair(*pool, loopback);
  ASSERT_TRUE(second.ok());
  // Only the squatted pair is left and it cannot bind: unavailable, not leaked.
  auto third = bind_socket_pair(*pool, loopback);
  EXPECT_FALSE(third.ok());
  EXPECT_EQ(third.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(pool->free_count(), 1u);
  pair = Error{};
  second = Error{};
  EXPECT_EQ(pool->free_count(), 3u);
}

}  // namespace
}  // namespace switchboard::media::rtp

namespace switchboard::media::rtp {
namespace {

TEST(SocketPair, MarksRtpWithDscp) {
  auto pool = PortPool::create(test_port_block(96), test_port_block(99));
  auto pair = bind_socket_pair(*pool, boost::asio::ip::make_address("127.0.0.1"), 46);
  ASSERT_TRUE(pair.ok()) << pair.error().message;
  for (auto* s : {&pair->rtp, &pair->rtcp}) {
    int tos = 0;
    socklen_t len = sizeof tos;
    ASSERT_EQ(::getsockopt(s->fd(), IPPROTO_IP, IP_TOS, &tos, &len), 0);
    EXPECT_EQ(tos, 46 << 2);  // EF
  }
}

}  // namespace
}  // namespace switchboard::media::rtp
