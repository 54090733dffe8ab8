// A MediaEngine driven over a line-based TCP control connection, for the
// RTP integration tests and the relay benchmark. One command per line, one
// reply line per command ("ok ..." or "error ..."):
//   create [dead_peer_ms]                    -> ok <id> <port A> <port B>
//   configure <id> <A|B> key=value ...       -> ok
//       addr=IP rtp=PORT rtcp=PORT mux=0|1 codecs=0:PCMU/8000,8:PCMA/8000
//       te=101/8000 dir=sendrecv|sendonly|recvonly|inactive latch=expected|any|off
//   stats <id>                               -> ok {json}
//   close <id>                               -> ok
//   events                                   -> ok <event>;<event>...  (and clears them)
//       dead:<id>:<A|B>   latched:<id>:<A|B>:<ip>:<port>
//   engine                                   -> ok free=<n> total=<n> open=<n>
//   quit
// The control loop is the "core thread"; callbacks arrive on it.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <csignal>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include "media/rtp/media_engine.hpp"

namespace asio = boost::asio;
namespace rtp = switchboard::media::rtp;
using asio::ip::tcp;

namespace {

std::optional<rtp::Direction> parse_direction(const std::string& s) {
  if (s == "sendrecv") return rtp::Direction::kSendRecv;
  if (s == "sendonly") return rtp::Direction::kSendOnly;
  if (s == "recvonly") return rtp::Direction::kRecvOnly;
  if (s == "inactive") return rtp::Direction::kInactive;
  return std::nullopt;
}

// "96:opus/48000/2" -> PayloadFormat
std::optional<rtp::PayloadFormat> parse_format(const std::string& s, int default_pt) {
  rtp::PayloadFormat f;
  std::string rest = s;
  if (auto colon = rest.find(':'); colon != std::string::npos) {
    f.payload_type = std::stoi(rest.substr(0, colon));
    rest = rest.substr(colon + 1);
  } else {
    f.payload_type = default_pt;
  }
  std::vector<std::string> parts;
  std::stringstream ss(rest);
  for (std::string p; std::getline(ss, p, '/');) parts.push_back(p);
  if (parts.empty()) return std::nullopt;
  if (default_pt >= 0) {  // te=101/8000: the number first
    f.name = "telephone-event";
    f.payload_type = std::stoi(parts[0]);
    if (parts.size() > 1) f.clock_rate = static_cast<std::uint32_t>(std::stoul(parts[1]));
    return f;
  }
  f.name = parts[0];
  if (parts.size() > 1) f.clock_rate = static_cast<std::uint32_t>(std::stoul(parts[1]));
  if (parts.size() > 2) f.channels = static_cast<std::uint32_t>(std::stoul(parts[2]));
  return f;
}

std::string json_side(const rtp::SideStats& s) {
  return fmt::format(
      "{{\"rtp_packets_in\":{},\"rtp_bytes_in\":{},\"rtp_packets_out\":{},\"rtp_bytes_out\":{},"
      "\"rtcp_packets_in\":{},\"rtcp_packets_out\":{},\"dropped\":{},\"lost\":{},\"expected\":{},"
      "\"jitter_ms\":{:.3f},\"ssrc\":{},\"ssrc_changes\":{},\"latched\":{},"
      "\"latched_address\":\"{}\",\"latched_port\":{},\"peer_report\":{},"
      "\"peer_fraction_lost\":{:.4f},\"peer_cumulative_lost\":{},\"peer_jitter_ms\":{:.3f}}}",
      s.rtp_packets_in, s.rtp_bytes_in, s.rtp_packets_out, s.rtp_bytes_out, s.rtcp_packets_in,
      s.rtcp_packets_out, s.dropped, s.lost, s.expected, s.jitter_ms, s.ssrc, s.ssrc_changes,
      s.latched, s.latched_address, s.latched_port, s.peer_report, s.peer_fraction_lost,
      s.peer_cumulative_lost, s.peer_jitter_ms);
}

class Controller {
 public:
  Controller(asio::io_context& io, rtp::MediaEngine& engine) : io_(io), engine_(engine) {}

  std::string handle(const std::string& line) {
    std::istringstream in(line);
    std::string cmd;
    in >> cmd;
    try {
      if (cmd == "create") return create(in);
      if (cmd == "configure") return configure(in);
      if (cmd == "stats") {
        auto r = find(in);
        if (!r) return "error no such relay";
        auto st = r->stats();
        return fmt::format("ok {{\"a\":{},\"b\":{},\"transcoded_packets\":{}}}", json_side(st.a()),
                           json_side(st.b()), st.transcoded_packets);
      }
      if (cmd == "close") {
        int id = -1;
        in >> id;
        auto it = relays_.find(id);
        if (it == relays_.end()) return "error no such relay";
        it->second->close();
        relays_.erase(it);
        return "ok";
      }
      if (cmd == "events") {
        std::string out = "ok";
        for (std::size_t i = 0; i < events_.size(); ++i) out += (i ? ";" : " ") + events_[i];
        events_.clear();
        return out;
      }
      if (cmd == "engine") {
        return fmt::format("ok free={} total={} open={}", engine_.free_port_pairs(),
                           engine_.total_port_pairs(), engine_.open_sessions());
      }
      if (cmd == "quit") {
        io_.stop();
        return "ok";
      }
    } catch (const std::exception& e) {  // stoi on a bad number: the tool's input, not the engine
      return std::string("error ") + e.what();
    }
    return "error unknown command";
  }

 private:
  rtp::RelaySessionPtr find(std::istream& in) {
    int id = -1;
    in >> id;
    auto it = relays_.find(id);
    return it == relays_.end() ? nullptr : it->second;
  }

  std::string create(std::istream& in) {
    int id = next_id_++;
    rtp::RelayCallbacks cb;
    cb.on_dead_peer = [this, id](rtp::Side s) {
      events_.push_back(fmt::format("dead:{}:{}", id, rtp::to_string(s)));
    };
    cb.on_latched = [this, id](rtp::Side s, const std::string& addr, std::uint16_t port) {
      events_.push_back(fmt::format("latched:{}:{}:{}:{}", id, rtp::to_string(s), addr, port));
    };
    std::optional<rtp::RelayOptions> options;
    long dead_ms = -1;
    if (in >> dead_ms) {
      options = engine_.config().relay_defaults;
      options->dead_peer_timeout = std::chrono::milliseconds(dead_ms);
    }
    auto r = engine_.create_relay(cb, options);
    if (!r) return "error " + r.error().message;
    relays_[id] = *r;
    return fmt::format("ok {} {} {}", id, (*r)->local_port(rtp::Side::kA),
                       (*r)->local_port(rtp::Side::kB));
  }

  std::string configure(std::istream& in) {
    auto r = find(in);
    std::string side_s;
    in >> side_s;
    if (!r || (side_s != "A" && side_s != "B")) return "error usage";
    rtp::SideParams p;
    for (std::string kv; in >> kv;) {
      auto eq = kv.find('=');
      if (eq == std::string::npos) return "error bad " + kv;
      std::string k = kv.substr(0, eq), v = kv.substr(eq + 1);
      if (k == "addr") {
        p.remote_address = v;
      } else if (k == "rtp") {
        p.remote_rtp_port = static_cast<std::uint16_t>(std::stoi(v));
      } else if (k == "rtcp") {
        p.remote_rtcp_port = static_cast<std::uint16_t>(std::stoi(v));
      } else if (k == "mux") {
        p.rtcp_mux = v == "1";
      } else if (k == "codecs") {
        std::stringstream ss(v);
        for (std::string c; std::getline(ss, c, ',');) {
          auto f = parse_format(c, -1);
          if (!f) return "error bad codec " + c;
          p.codecs.push_back(*f);
        }
      } else if (k == "te") {
        p.telephone_event = parse_format(v, 101);
      } else if (k == "dir") {
        auto d = parse_direction(v);
        if (!d) return "error bad dir";
        p.direction = *d;
      } else if (k == "latch") {
        p.latch = v == "any"   ? rtp::LatchMode::kAnyHost
                  : v == "off" ? rtp::LatchMode::kOff
                               : rtp::LatchMode::kExpectedHost;
      } else {
        return "error unknown key " + k;
      }
    }
    r->configure(side_s == "A" ? rtp::Side::kA : rtp::Side::kB, std::move(p));
    return "ok";
  }

  asio::io_context& io_;
  rtp::MediaEngine& engine_;
  std::map<int, rtp::RelaySessionPtr> relays_;
  std::vector<std::string> events_;
  int next_id_ = 1;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket s, Controller& c) : socket_(std::move(s)), controller_(c) {}
  void read() {
    asio::async_read_until(
        socket_, buf_, '\n',
        [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
          if (ec) return;
          std::istream is(&self->buf_);
          std::string line;
          std::getline(is, line);
          if (!line.empty() && line.back() == '\r') line.pop_back();
          auto reply = std::make_shared<std::string>(self->controller_.handle(line) + "\n");
          asio::async_write(self->socket_, asio::buffer(*reply),
                            [self, reply](boost::system::error_code e, std::size_t) {
                              if (!e) self->read();
                            });
        });
  }

 private:
  tcp::socket socket_;
  asio::streambuf buf_;
  Controller& controller_;
};

void accept(tcp::acceptor& acceptor, Controller& controller) {
  acceptor.async_accept([&](boost::system::error_code ec, tcp::socket s) {
    if (!ec) std::make_shared<Connection>(std::move(s), controller)->read();
    accept(acceptor, controller);
  });
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"RTP relay tool (MediaEngine over a TCP control line protocol)"};
  std::string bind = "127.0.0.1";
  int control_port = 0, first = 30000, last = 30999, dead_ms = 30000;
  unsigned threads = 1, batch = 32;
  app.add_option("--bind", bind, "RTP bind address");
  app.add_option("--control-port", control_port, "TCP control port on 127.0.0.1")->required();
  app.add_option("--port-first", first);
  app.add_option("--port-last", last);
  app.add_option("--threads", threads, "media threads (0 = cores)");
  app.add_option("--batch", batch, "datagrams per recvmmsg/sendmmsg");
  app.add_option("--dead-peer-ms", dead_ms, "default dead-peer timeout (0 = off)");
  CLI11_PARSE(app, argc, argv);

  asio::io_context io;
  rtp::EngineConfig config;
  config.bind_address = bind;
  config.port_first = static_cast<std::uint16_t>(first);
  config.port_last = static_cast<std::uint16_t>(last);
  config.threads = threads;
  config.batch = batch;
  config.relay_defaults.dead_peer_timeout = std::chrono::milliseconds(dead_ms);
  auto engine = rtp::MediaEngine::create(config, io.get_executor());
  if (!engine) {
    std::cerr << "engine: " << engine.error().message << "\n";
    return 1;
  }
  Controller controller(io, **engine);
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"),
                                           static_cast<std::uint16_t>(control_port)));
  accept(acceptor, controller);
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](auto, int) { io.stop(); });
  std::cout << "rtp_relay_tool ready control=" << acceptor.local_endpoint().port()
            << " threads=" << (*engine)->thread_count() << std::endl;
  io.run();
  (*engine)->stop();
  return 0;
}
