// The transports over real loopback sockets: each test runs its io_context
// until the expected messages arrive (bounded), so none sleeps.
#include "sip/transport/transport.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>
#include <filesystem>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

namespace switchboard::sip {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

const std::string kMsg =
    "OPTIONS sip:pbx SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nContent-Length: 0\r\n\r\n";

struct Received {
  std::string bytes;
  Source from;
};

class TransportTest : public ::testing::Test {
 protected:
  /// Runs the loop until `pred` holds or 5 s of real time pass.
  template <class P>
  bool run_until(P pred) {
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!pred() && std::chrono::steady_clock::now() < deadline) {
      io.restart();
      io.run_for(10ms);
    }
    return pred();
  }

  TransportLayer make(TransportOptions o = {}) { return TransportLayer(io, std::move(o)); }

  asio::io_context io;
};

TEST_F(TransportTest, UdpBothWaysOnIpv4AndIpv6) {
  for (std::string host : {"127.0.0.1", "::1"}) {
    TransportLayer a(io, {}), b(io, {});
    std::vector<Received> at_a, at_b;
    a.set_handler([&](std::string m, const Source& s) { at_a.push_back({m, s}); });
    b.set_handler([&](std::string m, const Source& s) { at_b.push_back({m, s}); });
    auto pa = a.listen(Protocol::kUdp, host, 0);
    auto pb = b.listen(Protocol::kUdp, host, 0);
    ASSERT_TRUE(pa.ok() && pb.ok()) << host;
    auto ip = asio::ip::make_address(host);
    a.send({Protocol::kUdp, ip, *pb}, kMsg);
    ASSERT_TRUE(run_until([&] { return at_b.size() == 1; })) << host;
    EXPECT_EQ(at_b[0].bytes, kMsg);
    EXPECT_EQ(at_b[0].from.remote_port, *pa);  // the reply goes back where it came from
    b.send({Protocol::kUdp, at_b[0].from.remote_ip, at_b[0].from.remote_port}, "reply");
    ASSERT_TRUE(run_until([&] { return at_a.size() == 1; }));
    EXPECT_EQ(at_a[0].bytes, "reply");
  }
}

TEST_F(TransportTest, TcpReusesTheConnectionForReplies) {
  TransportLayer server(io, {}), client(io, {});
  std::vector<Received> at_server, at_client;
  server.set_handler([&](std::string m, const Source& s) { at_server.push_back({m, s}); });
  client.set_handler([&](std::string m, const Source& s) { at_client.push_back({m, s}); });
  auto port = server.listen(Protocol::kTcp, "127.0.0.1", 0);
  ASSERT_TRUE(port.ok());
  auto lo = asio::ip::make_address("127.0.0.1");
  client.send({Protocol::kTcp, lo, *port}, kMsg);
  client.send({Protocol::kTcp, lo, *port}, kMsg);  // same connection, queued
  ASSERT_TRUE(run_until([&] { return at_server.size() == 2; }));
  EXPECT_EQ(client.stats().connections_opened, 1u);
  EXPECT_EQ(server.connection_count(), 1u);
  const Source& from = at_server[0].from;
  EXPECT_NE(from.connection, 0u);
  // The server answers over the same connection (phones behind NAT).
  server.send({Protocol::kTcp, from.remote_ip, from.remote_port, from.connection}, kMsg);
  ASSERT_TRUE(run_until([&] { return at_client.size() == 1; }));
  EXPECT_EQ(server.stats().connections_opened, 1u);
}

TEST_F(TransportTest, CrlfKeepAliveIsAnsweredWithPong) {
  TransportLayer server(io, {});
  auto port = server.listen(Protocol::kTcp, "127.0.0.1", 0);
  ASSERT_TRUE(port.ok());
  asio::ip::tcp::socket s(io);
  s.connect({asio::ip::make_address("127.0.0.1"), *port});
  asio::write(s, asio::buffer(std::string("\r\n\r\n")));
  ASSERT_TRUE(run_until([&] { return server.stats().pings_answered == 1; }));
  run_until([&] { return s.available() >= 2; });
  std::string pong(2, '\0');
  asio::read(s, asio::buffer(pong));
  EXPECT_EQ(pong, "\r\n");
}

TEST_F(TransportTest, MalformedStreamClosesOnlyThatConnection) {
  TransportLayer server(io, {});
  std::vector<Received> got;
  server.set_handler([&](std::string m, const Source& s) { got.push_back({m, s}); });
  auto port = server.listen(Protocol::kTcp, "127.0.0.1", 0);
  ASSERT_TRUE(port.ok());
  asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), *port);
  asio::ip::tcp::socket good(io), bad(io);
  good.connect(ep);
  bad.connect(ep);
  ASSERT_TRUE(run_until([&] { return server.connection_count() == 2; }));
  asio::write(bad, asio::buffer(std::string("INVITE sip:x SIP/2.0\r\nVia: x\r\n\r\n")));  // no C-L
  ASSERT_TRUE(run_until([&] { return server.stats().framing_errors == 1; }));
  EXPECT_TRUE(run_until([&] { return server.connection_count() == 1; }));
  asio::write(good, asio::buffer(kMsg));
  ASSERT_TRUE(run_until([&] { return got.size() == 1; }));
  EXPECT_EQ(got[0].bytes, kMsg);
}

TEST_F(TransportTest, IdleConnectionsAreClosed) {
  TransportOptions o;
  o.idle_timeout = 50ms;
  TransportLayer server(io, o);
  auto port = server.listen(Protocol::kTcp, "127.0.0.1", 0);
  ASSERT_TRUE(port.ok());
  asio::ip::tcp::socket s(io);
  s.connect({asio::ip::make_address("127.0.0.1"), *port});
  ASSERT_TRUE(run_until([&] { return server.connection_count() == 1; }));
  EXPECT_TRUE(run_until([&] { return server.connection_count() == 0; }));
  EXPECT_EQ(server.stats().connections_closed, 1u);
}

TEST_F(TransportTest, ConnectFailureIsReported) {
  TransportLayer client(io, {});
  // A port nobody listens on: bind and close to find one.
  asio::ip::tcp::acceptor probe(io, {asio::ip::make_address("127.0.0.1"), 0});
  uint16_t dead = probe.local_endpoint().port();
  probe.close();
  std::optional<Status> result;
  client.send({Protocol::kTcp, asio::ip::make_address("127.0.0.1"), dead}, kMsg,
              [&](Status st) { result = st; });
  ASSERT_TRUE(run_until([&] { return result.has_value(); }));
  EXPECT_FALSE(result->ok());
  EXPECT_EQ(client.connection_count(), 0u);
}

TEST_F(TransportTest, DscpIsSetOnSignallingSockets) {
  TransportLayer t(io, {});  // default CS3
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  ASSERT_TRUE(set_dscp(fd, false, 24));
  int tos = 0;
  socklen_t len = sizeof tos;
  ::getsockopt(fd, IPPROTO_IP, IP_TOS, &tos, &len);
  EXPECT_EQ(tos, 24 << 2);
  ::close(fd);
}

// TLS with a throwaway self-signed certificate made by the openssl CLI.
TEST_F(TransportTest, TlsRoundTrip) {
  auto dir = std::filesystem::temp_directory_path() / ("sbtls-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
  std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost "
                    "-keyout " + key + " -out " + cert + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  auto server_ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  server_ctx->set_options(asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  server_ctx->use_certificate_chain_file(cert);
  server_ctx->use_private_key_file(key, asio::ssl::context::pem);
  auto client_ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  client_ctx->load_verify_file(cert);
  client_ctx->set_verify_mode(asio::ssl::verify_peer);

  TransportOptions so, co;
  so.tls = server_ctx;
  co.tls = client_ctx;
  TransportLayer server(io, so), client(io, co);
  std::vector<Received> at_server, at_client;
  server.set_handler([&](std::string m, const Source& s) { at_server.push_back({m, s}); });
  client.set_handler([&](std::string m, const Source& s) { at_client.push_back({m, s}); });
  auto port = server.listen(Protocol::kTls, "127.0.0.1", 0);
  ASSERT_TRUE(port.ok());
  client.send({Protocol::kTls, asio::ip::make_address("127.0.0.1"), *port}, kMsg);
  ASSERT_TRUE(run_until([&] { return at_server.size() == 1; }));
  EXPECT_EQ(at_server[0].from.protocol, Protocol::kTls);
  const auto& f = at_server[0].from;
  server.send({Protocol::kTls, f.remote_ip, f.remote_port, f.connection}, kMsg);
  ASSERT_TRUE(run_until([&] { return at_client.size() == 1; }));
  std::filesystem::remove_all(dir);
}

TEST_F(TransportTest, ListenErrorsAreValues) {
  TransportLayer t(io, {});
  EXPECT_FALSE(t.listen(Protocol::kUdp, "not-an-ip", 0).ok());
  EXPECT_FALSE(t.listen(Protocol::kTls, "127.0.0.1", 0).ok());  // no TLS context
  auto p = t.listen(Protocol::kTcp, "127.0.0.1", 0);
  ASSERT_TRUE(p.ok());
  TransportLayer other(io, {});
  auto again = other.listen(Protocol::kTcp, "127.0.0.1", *p);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("cannot listen on TCP 127.0.0.1"), std::string::npos);
}

}  // namespace
}  // namespace switchboard::sip
