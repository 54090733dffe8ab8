// The server's WebSocket channel over real loopback TCP: a peer that does not
// keep up is dropped once its queue is full (send() refuses, never blocks),
// with a policy-violation close; a normal peer gets every message in order.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "api/http_server.hpp"

namespace switchboard::api {
namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = boost::asio::ip::tcp;

class Flood : public WsListener {
 public:
  explicit Flood(int n) : n_(n) {}
  void on_open(std::shared_ptr<WsChannel> ch) override {
    // On the server thread: nothing is written until this returns, so the
    // queue fills exactly as it would behind a peer that stopped reading.
    for (int i = 0; i < n_; ++i) {
      if (ch->send("message " + std::to_string(i)))
        ++accepted;
      else
        ++refused;
    }
  }
  void on_text(const std::string&) override {}
  void on_close() override { closed = true; }
  std::atomic<int> accepted{0}, refused{0};
  std::atomic<bool> closed{false};

 private:
  int n_;
};

struct Client {
  boost::asio::io_context io;
  websocket::stream<tcp::socket> ws{io};
  explicit Client(uint16_t port) {
    tcp::resolver resolver(io);
    boost::asio::connect(ws.next_layer(), resolver.resolve("127.0.0.1", std::to_string(port)));
    ws.handshake("127.0.0.1", "/ws");
  }
};

TEST(WebSocket, APeerThatFallsBehindIsDroppedNotWaitedFor) {
  HttpServerOptions o;
  o.port = 0;
  o.ws_queue_limit = 16;
  HttpServer server(o, [](const Request&, const RequestInfo&, Reply reply) {
    reply(json_error(404, "no_route", ""));
  });
  auto flood = std::make_shared<Flood>(100);
  server.websocket("/ws",
                   [flood](const Request&, const RequestInfo&)
                       -> std::variant<Response, std::shared_ptr<WsListener>> { return flood; });
  auto port = server.start();
  ASSERT_TRUE(port.ok());
  Client c(*port);
  beast::flat_buffer buf;
  int received = 0;
  beast::error_code ec;
  while (!ec) {
    c.ws.read(buf, ec);
    if (!ec) {
      EXPECT_EQ(beast::buffers_to_string(buf.data()), "message " + std::to_string(received));
      ++received;
      buf.consume(buf.size());
    }
  }
  EXPECT_EQ(ec, websocket::error::closed);
  EXPECT_EQ(c.ws.reason().code, websocket::close_code::policy_error);
  EXPECT_EQ(flood->accepted.load(), 16);
  EXPECT_EQ(flood->refused.load(), 84);
  EXPECT_LE(received, 16);
  server.stop();
}

TEST(WebSocket, APeerThatKeepsUpGetsEverythingInOrder) {
  HttpServerOptions o;
  o.port = 0;
  HttpServer server(o, [](const Request&, const RequestInfo&, Reply reply) {
    reply(json_error(404, "no_route", ""));
  });
  auto flood = std::make_shared<Flood>(100);  // under the default limit of 256
  server.websocket("/ws",
                   [flood](const Request&, const RequestInfo&)
                       -> std::variant<Response, std::shared_ptr<WsListener>> { return flood; });
  auto port = server.start();
  ASSERT_TRUE(port.ok());
  Client c(*port);
  beast::flat_buffer buf;
  for (int i = 0; i < 100; ++i) {
    c.ws.read(buf);
    ASSERT_EQ(beast::buffers_to_string(buf.data()), "message " + std::to_string(i));
    buf.consume(buf.size());
  }
  EXPECT_EQ(flood->refused.load(), 0);
  c.ws.close(websocket::close_code::normal);
  for (int i = 0; i < 200 && !flood->closed; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_TRUE(flood->closed);
  server.stop();
}

TEST(WebSocket, UpgradesElsewhereAreRefused) {
  HttpServerOptions o;
  o.port = 0;
  HttpServer server(o, [](const Request&, const RequestInfo&, Reply reply) {
    reply(json_error(404, "no_route", ""));
  });
  server.websocket("/ws",
                   [](const Request&,
                      const RequestInfo&) -> std::variant<Response, std::shared_ptr<WsListener>> {
                     return json_error(401, "unauthorized", "no");
                   });
  auto port = server.start();
  ASSERT_TRUE(port.ok());
  boost::asio::io_context io;
  websocket::stream<tcp::socket> ws{io};
  tcp::resolver resolver(io);
  boost::asio::connect(ws.next_layer(), resolver.resolve("127.0.0.1", std::to_string(*port)));
  websocket::response_type res;
  beast::error_code ec;
  ws.handshake(res, "127.0.0.1", "/ws", ec);
  EXPECT_EQ(ec, websocket::error::upgrade_declined);
  // (the 401 status itself: test_api_events.py::test_upgrade_needs_credentials)
  server.stop();
}

}  // namespace
}  // namespace switchboard::api
