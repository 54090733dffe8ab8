// The MediaEngine on real loopback sockets: a relay forwards both ways,
// callbacks arrive on the core executor, ports return to the pool on close,
// on destruction, on exhaustion and on a bind failure, and stop() closes all.
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <thread>

#include "media/rtp/media_engine.hpp"
#include "media/rtp/media_thread.hpp"
#include "media/rtp/rtp_packet.hpp"
#include "unit/media/rtp/test_ports.hpp"

namespace switchboard::media::rtp {
namespace {

using boost::asio::ip::udp;
using std::chrono::milliseconds;

// Slots 0-3: 10 ports each; slot 4: 48 ports (up to offset 88).
std::uint16_t test_base(int slot) {
  return test_port_block(slot * 10);
}

const auto kLoopback = boost::asio::ip::make_address("127.0.0.1");

struct Peer {
  boost::asio::io_context io;
  udp::socket socket{io, udp::endpoint(kLoopback, 0)};
  std::uint16_t port() const { return socket.local_endpoint().port(); }
  void send(std::uint16_t to, std::uint16_t seq, std::uint8_t pt = 0) {
    RtpHeader h;
    h.payload_type = pt;
    h.sequence = seq;
    h.timestamp = 160u * seq;
    h.ssrc = 42;
    std::vector<std::uint8_t> payload(160, 0x55), out(200);
    out.resize(write_rtp(h, {}, payload, 0, out));
    socket.send_to(boost::asio::buffer(out), udp::endpoint(kLoopback, to));
  }
  // Waits up to 2 s for a datagram.
  std::optional<std::vector<std::uint8_t>> receive() {
    socket.non_blocking(true);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    std::vector<std::uint8_t> buf(2048);
    while (std::chrono::steady_clock::now() < deadline) {
      boost::system::error_code ec;
      std::size_t n = socket.receive(boost::asio::buffer(buf), 0, ec);
      if (!ec) {
        buf.resize(n);
        return buf;
      }
      std::this_thread::sleep_for(milliseconds(2));
    }
    return std::nullopt;
  }
};

SideParams to_peer(const Peer& p, std::vector<PayloadFormat> codecs) {
  SideParams s;
  s.remote_address = "127.0.0.1";
  s.remote_rtp_port = p.port();
  s.codecs = std::move(codecs);
  return s;
}

EngineConfig config(int slot, int pairs) {
  EngineConfig c;
  c.bind_address = "127.0.0.1";
  c.port_first = test_base(slot);
  c.port_last = static_cast<std::uint16_t>(c.port_first + pairs * 2 - 1);
  c.threads = 2;
  return c;
}

// Waits (polling) until `pred` holds, up to 2 s.
template <typename Pred>
bool eventually(Pred pred) {
  for (int i = 0; i < 400 && !pred(); ++i) std::this_thread::sleep_for(milliseconds(5));
  return pred();
}

TEST(MediaEngine, RelaysBetweenTwoLoopbackPeers) {
  boost::asio::io_context core;
  auto engine = MediaEngine::create(config(0, 4), core.get_executor());
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  auto relay = (*engine)->create_relay({});
  ASSERT_TRUE(relay.ok()) << relay.error().message;
  Peer a, b;
  (*relay)->configure(Side::kA, to_peer(a, {{0, "PCMU", 8000, 1}}));
  (*relay)->configure(Side::kB, to_peer(b, {{8, "PCMA", 8000, 1}}));
  EXPECT_EQ((*relay)->local_address(), "127.0.0.1");
  std::this_thread::sleep_for(milliseconds(20));  // configure is applied on the media thread
  a.send((*relay)->local_port(Side::kA), 1);
  auto got = b.receive();
  ASSERT_TRUE(got);
  auto parsed = parse_rtp(*got);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.packet.header.payload_type, 8);  // transcoded to B's PCMA
  b.send((*relay)->local_port(Side::kB), 1, 8);
  ASSERT_TRUE(a.receive());
  auto st = (*relay)->stats();
  EXPECT_EQ(st.a().rtp_packets_in, 1u);
  EXPECT_EQ(st.b().rtp_packets_out, 1u);
  EXPECT_EQ(st.b().rtp_packets_in, 1u);
  EXPECT_EQ(st.a().rtp_packets_out, 1u);
  EXPECT_EQ(st.transcoded_packets, 2u);
}

TEST(MediaEngine, DeadPeerAndLatchCallbacksRunOnTheCoreExecutor) {
  boost::asio::io_context core;
  auto work = boost::asio::make_work_guard(core);  // run_for() must not return early
  auto engine = MediaEngine::create(config(1, 4), core.get_executor());
  ASSERT_TRUE(engine.ok());
  std::vector<Side> dead;
  std::vector<std::uint16_t> latched;
  auto core_thread = std::this_thread::get_id();
  RelayCallbacks cb;
  cb.on_dead_peer = [&](Side s) {
    EXPECT_EQ(std::this_thread::get_id(), core_thread);
    dead.push_back(s);
  };
  cb.on_latched = [&](Side, const std::string&, std::uint16_t port) { latched.push_back(port); };
  auto relay = (*engine)->create_relay(cb, RelayOptions{milliseconds(200), milliseconds(2000)});
  ASSERT_TRUE(relay.ok());
  Peer a, b;
  (*relay)->configure(Side::kA, to_peer(a, {{0, "PCMU", 8000, 1}}));
  auto silent_b = to_peer(b, {{0, "PCMU", 8000, 1}});
  silent_b.direction = Direction::kRecvOnly;  // B is not expected to send
  (*relay)->configure(Side::kB, silent_b);
  std::this_thread::sleep_for(milliseconds(20));
  a.send((*relay)->local_port(Side::kA), 1);
  core.run_for(milliseconds(600));
  ASSERT_EQ(latched.size(), 1u);
  EXPECT_EQ(latched[0], a.port());
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0], Side::kA);
  // Nothing is delivered after close().
  (*relay)->configure(Side::kA, to_peer(a, {{0, "PCMU", 8000, 1}}));  // re-arms the silence clock
  (*relay)->close();
  core.run_for(milliseconds(400));
  EXPECT_EQ(dead.size(), 1u);
}

TEST(MediaEngine, PortsReturnOnCloseDestructionAndExhaustion) {
  boost::asio::io_context core;
  auto engine = MediaEngine::create(config(2, 4), core.get_executor());
  ASSERT_TRUE(engine.ok());
  auto& e = **engine;
  std::size_t total = e.total_port_pairs();
  EXPECT_EQ(total, 4u);
  auto r1 = e.create_relay({});
  auto r2 = e.create_relay({});
  ASSERT_TRUE(r1.ok());
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(e.free_port_pairs(), 0u);
  EXPECT_NE((*r1)->local_port(Side::kA), (*r1)->local_port(Side::kB));
  auto r3 = e.create_relay({});
  ASSERT_FALSE(r3.ok());
  EXPECT_EQ(r3.error().code, ErrorCode::kUnavailable);
  (*r1)->close();
  (*r1)->close();  // idempotent
  EXPECT_TRUE((*r1)->closed());
  EXPECT_TRUE(eventually([&] { return e.free_port_pairs() == 2; }));
  r2 = Error{};  // the last reference goes without close()
  EXPECT_TRUE(eventually([&] { return e.free_port_pairs() == total; }));
  // Half a session: one pair free, the other taken by a stranger.
  auto a = e.create_relay({});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(e.free_port_pairs(), 2u);
  std::uint16_t next_pair_guess = 0;
  {
    // Hold every port of the two free pairs except one pair: the second
    // bind fails and the first pair must come back.
    boost::asio::io_context io;
    std::vector<udp::socket> squat;
    for (std::uint16_t p = e.config().port_first; p <= e.config().port_last; ++p) {
      boost::system::error_code ec;
      udp::socket s(io);
      s.open(udp::v4(), ec);
      s.bind(udp::endpoint(kLoopback, p), ec);
      if (!ec) {
        if (!next_pair_guess) {
          next_pair_guess = p;  // leave the first free pair bindable
          continue;
        }
        squat.push_back(std::move(s));
      }
    }
    auto fail = e.create_relay({});
    EXPECT_FALSE(fail.ok());
    EXPECT_EQ(e.free_port_pairs(), 2u);
  }
  a = Error{};
  EXPECT_TRUE(eventually([&] { return e.free_port_pairs() == total; }));
}

TEST(MediaEngine, ChurnUnderTrafficNeverLeaksPorts) {
  boost::asio::io_context core;
  auto engine = MediaEngine::create(config(4, 24), core.get_executor());
  ASSERT_TRUE(engine.ok());
  auto& e = **engine;
  Peer a, b;
  for (int round = 0; round < 5; ++round) {
    std::vector<RelaySessionPtr> relays;
    for (int i = 0; i < 10; ++i) {
      auto r = e.create_relay({});
      ASSERT_TRUE(r.ok()) << r.error().message;
      (*r)->configure(Side::kA, to_peer(a, {{0, "PCMU", 8000, 1}}));
      (*r)->configure(Side::kB, to_peer(b, {{0, "PCMU", 8000, 1}}));
      relays.push_back(*r);
    }
    // Packets in flight while sessions close, or just go away, or get
    // reconfigured and read from other threads.
    for (std::size_t i = 0; i < relays.size(); ++i) {
      a.send(relays[i]->local_port(Side::kA), static_cast<std::uint16_t>(i));
      b.send(relays[i]->local_port(Side::kB), static_cast<std::uint16_t>(i));
    }
    for (std::size_t i = 0; i < relays.size(); ++i) {
      if (i % 3 == 0) relays[i]->close();
      if (i % 3 == 1) (void)relays[i]->stats();
      if (i % 3 == 2) relays[i]->configure(Side::kB, to_peer(a, {{8, "PCMA", 8000, 1}}));
    }
    relays.clear();
    ASSERT_TRUE(eventually([&] { return e.free_port_pairs() == e.total_port_pairs(); }))
        << "round " << round << ": " << e.free_port_pairs() << " of " << e.total_port_pairs();
  }
  EXPECT_EQ(e.open_sessions(), 0u);
}

TEST(MediaEngine, StopClosesEverySession) {
  boost::asio::io_context core;
  auto engine = MediaEngine::create(config(3, 4), core.get_executor());
  ASSERT_TRUE(engine.ok());
  auto r = (*engine)->create_relay({});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*engine)->open_sessions(), 1u);
  (*engine)->stop();
  EXPECT_TRUE((*r)->closed());
  EXPECT_EQ((*engine)->free_port_pairs(), (*engine)->total_port_pairs());
  EXPECT_FALSE((*engine)->create_relay({}).ok());
}

TEST(MediaEngine, RelaysOverIpv6) {
  boost::asio::io_context core;
  auto v6 = boost::asio::ip::make_address("::1");
  boost::system::error_code ec;
  udp::socket a(core), b(core);
  a.open(udp::v6(), ec);
  if (!ec) a.bind(udp::endpoint(v6, 0), ec);
  if (ec) GTEST_SKIP() << "no IPv6 loopback here: " << ec.message();
  b.open(udp::v6());
  b.bind(udp::endpoint(v6, 0));
  EngineConfig c = config(3, 4);
  c.bind_address = "::1";
  auto engine = MediaEngine::create(c, core.get_executor());
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  auto relay = (*engine)->create_relay({});
  ASSERT_TRUE(relay.ok()) << relay.error().message;
  for (auto [side, sock] : {std::pair{Side::kA, &a}, std::pair{Side::kB, &b}}) {
    SideParams p;
    p.remote_address = "::1";
    p.remote_rtp_port = sock->local_endpoint().port();
    p.codecs = {{0, "PCMU", 8000, 1}};
    (*relay)->configure(side, p);
  }
  std::this_thread::sleep_for(milliseconds(20));
  RtpHeader h;
  h.ssrc = 7;
  std::vector<std::uint8_t> payload(160, 0xFF), pkt(200);
  pkt.resize(write_rtp(h, {}, payload, 0, pkt));
  a.send_to(boost::asio::buffer(pkt), udp::endpoint(v6, (*relay)->local_port(Side::kA)));
  b.non_blocking(true);
  std::vector<std::uint8_t> got(2048);
  std::size_t n = 0;
  bool received = false;  // eventually() asks twice: remember the datagram
  ASSERT_TRUE(eventually([&] {
    boost::system::error_code e;
    if (!received) n = b.receive(boost::asio::buffer(got), 0, e);
    received = received || !e;
    return received;
  }));
  got.resize(n);
  EXPECT_EQ(got, pkt);
  EXPECT_EQ((*relay)->stats().a().latched_address, "::1");
}

TEST(MediaEngine, PlacesASessionBuiltAboveOnAPortPairAndAThread) {
  boost::asio::io_context core;
  auto engine = MediaEngine::create(config(3, 2), core.get_executor());
  ASSERT_TRUE(engine.ok());
  auto a = (*engine)->place_session();
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_TRUE(a->thread != nullptr);
  EXPECT_EQ(a->sockets.rtp.local_endpoint().port(), a->sockets.lease.rtp_port());
  EXPECT_EQ(a->sockets.rtcp.local_endpoint().port(), a->sockets.lease.rtcp_port());
  ++a->thread->sessions;  // the next one goes to the other, less loaded thread
  auto b = (*engine)->place_session();
  ASSERT_TRUE(b.ok());
  EXPECT_NE(a->thread, b->thread);
  --a->thread->sessions;
  EXPECT_FALSE((*engine)->place_session().ok());  // both pairs leased
  EXPECT_EQ((*engine)->free_port_pairs(), 0u);
  a->sockets.lease.release();
  EXPECT_EQ((*engine)->free_port_pairs(), 1u);
  (*engine)->stop();
  EXPECT_EQ((*engine)->place_session().error().code, ErrorCode::kUnavailable);
}

TEST(MediaEngine, RejectsBadConfig) {
  boost::asio::io_context core;
  EngineConfig c;
  c.bind_address = "nope";
  EXPECT_FALSE(MediaEngine::create(c, core.get_executor()).ok());
  c.bind_address = "127.0.0.1";
  c.port_first = 20000;
  c.port_last = 20000;
  EXPECT_FALSE(MediaEngine::create(c, core.get_executor()).ok());
}

}  // namespace
}  // namespace switchboard::media::rtp
