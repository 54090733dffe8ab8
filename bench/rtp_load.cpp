// RTP load generator for bench/rtp_relay_bench.py: N calls of G.711 (PCMU,
// 20 ms, 160-byte payload) both ways through a relay (Switchboard's or
// rtpengine), each leg its own UDP socket like a phone. Sends are spread
// evenly over the 20 ms period. After a warm-up it counts, over a window, the
// packets sent and the ones that came back through the relay, their one-way
// latency, and the CPU time the relay process used (/proc/PID/stat).
//
//   rtp_load --calls-file F --local-base B --seconds S --warmup W --watch-pid P
//   F: one line per call, "<relay port for leg A> <relay port for leg B>";
//   call i's legs bind B+4i (A) and B+4i+2 (B) on 127.0.0.1.
// Prints one JSON object.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

double proc_cpu_seconds(int pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  auto close = s.rfind(')');
  if (close == std::string::npos) return -1;
  std::vector<std::string> fields;
  std::string cur;
  for (std::size_t i = close + 2; i < s.size(); ++i) {
    if (s[i] == ' ') {
      fields.push_back(cur);
      cur.clear();
    } else {
      cur += s[i];
    }
  }
  // fields[0] is state (field 3); utime is field 14, stime field 15.
  double ticks = std::stod(fields[11]) + std::stod(fields[12]);
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double own_cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

struct Leg {
  int fd = -1;
  sockaddr_in relay{};
  std::uint16_t seq = 0;
  std::uint32_t ts = 0;
  std::uint32_t ssrc = 0;
};

// Payload layout (after the 12-byte header): send time (8 bytes), a flag
// "counted" (1 byte), then padding to 160 bytes.
constexpr std::size_t kPayload = 160;

}  // namespace

int main(int argc, char** argv) {
  std::string calls_file;
  int local_base = 0, watch_pid = 0;
  double seconds = 10, warmup = 2;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--calls-file")
      calls_file = v;
    else if (k == "--local-base")
      local_base = std::stoi(v);
    else if (k == "--seconds")
      seconds = std::stod(v);
    else if (k == "--warmup")
      warmup = std::stod(v);
    else if (k == "--watch-pid")
      watch_pid = std::stoi(v);
  }
  std::ifstream in(calls_file);
  std::vector<std::pair<int, int>> relay_ports;
  for (int a, b; in >> a >> b;) relay_ports.emplace_back(a, b);
  if (relay_ports.empty() || local_base == 0) {
    std::cerr
        << "usage: rtp_load --calls-file F --local-base B [--seconds S --warmup W --watch-pid P]\n";
    return 2;
  }
  std::size_t n = relay_ports.size();
  std::vector<Leg> legs(2 * n);
  int ep = epoll_create1(0);
  for (std::size_t i = 0; i < 2 * n; ++i) {
    Leg& l = legs[i];
    l.fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    int buf = 1 << 20;
    setsockopt(l.fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
    sockaddr_in me{};
    me.sin_family = AF_INET;
    me.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    me.sin_port = htons(static_cast<std::uint16_t>(local_base + 4 * (i / 2) + 2 * (i % 2)));
    if (bind(l.fd, reinterpret_cast<sockaddr*>(&me), sizeof me) != 0) {
      std::perror("bind");
      return 1;
    }
    l.relay.sin_family = AF_INET;
    l.relay.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int port = (i % 2 == 0) ? relay_ports[i / 2].first : relay_ports[i / 2].second;
    l.relay.sin_port = htons(static_cast<std::uint16_t>(port));
    l.ssrc = static_cast<std::uint32_t>(0x10000 + i);
    l.seq = static_cast<std::uint16_t>(i * 7919);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = static_cast<std::uint32_t>(i);
    epoll_ctl(ep, EPOLL_CTL_ADD, l.fd, &ev);
  }

  constexpr int kSlots = 20;  // 1 ms each
  const std::int64_t period = 20'000'000;
  std::int64_t start = now_ns();
  std::int64_t window_start = start + static_cast<std::int64_t>(warmup * 1e9);
  std::int64_t window_end = window_start + static_cast<std::int64_t>(seconds * 1e9);
  std::int64_t stop_receiving = window_end + 300'000'000;
  bool in_window = false, window_done = false;
  double cpu0 = 0, cpu1 = 0, own0 = 0, own1 = 0;
  std::uint64_t sent_counted = 0, received_counted = 0, received_total = 0;
  std::vector<std::int64_t> latencies;
  latencies.reserve(1 << 20);
  std::uint8_t pkt[12 + kPayload];
  std::memset(pkt, 0xFF, sizeof pkt);
  mmsghdr msgs[32];
  iovec iov[32];
  std::uint8_t bufs[32][2048];
  epoll_event events[256];

  std::int64_t next_slot = start;
  int slot = 0;
  for (;;) {
    std::int64_t t = now_ns();
    if (!in_window && !window_done && t >= window_start) {
      in_window = true;
      if (watch_pid) cpu0 = proc_cpu_seconds(watch_pid);
      own0 = own_cpu_seconds();
    }
    if (in_window && t >= window_end) {
      in_window = false;
      window_done = true;
      if (watch_pid) cpu1 = proc_cpu_seconds(watch_pid);
      own1 = own_cpu_seconds();
    }
    if (t >= stop_receiving) break;
    if (t >= next_slot) {
      if (t < window_end) {
        for (std::size_t c = static_cast<std::size_t>(slot); c < n; c += kSlots) {
          for (int dir = 0; dir < 2; ++dir) {
            Leg& l = legs[2 * c + static_cast<std::size_t>(dir)];
            pkt[0] = 0x80;
            pkt[1] = 0;  // PCMU
            pkt[2] = static_cast<std::uint8_t>(l.seq >> 8);
            pkt[3] = static_cast<std::uint8_t>(l.seq);
            std::uint32_t v[2] = {htonl(l.ts), htonl(l.ssrc)};
            std::memcpy(pkt + 4, v, 8);
            std::int64_t stamp = now_ns();
            std::memcpy(pkt + 12, &stamp, 8);
            pkt[20] = in_window ? 1 : 0;
            sendto(l.fd, pkt, sizeof pkt, 0, reinterpret_cast<sockaddr*>(&l.relay), sizeof l.relay);
            if (in_window) ++sent_counted;
            ++l.seq;
            l.ts += 160;
          }
        }
      }
      slot = (slot + 1) % kSlots;
      next_slot += period / kSlots;
    }
    std::int64_t wait_ns = std::max<std::int64_t>(0, next_slot - now_ns());
    int nev = epoll_wait(ep, events, 256, static_cast<int>(wait_ns / 1'000'000));
    for (int e = 0; e < nev; ++e) {
      int fd = legs[events[e].data.u32].fd;
      for (;;) {
        for (int k = 0; k < 32; ++k) {
          iov[k] = {bufs[k], sizeof bufs[k]};
          std::memset(&msgs[k], 0, sizeof msgs[k]);
          msgs[k].msg_hdr.msg_iov = &iov[k];
          msgs[k].msg_hdr.msg_iovlen = 1;
        }
        int got = recvmmsg(fd, msgs, 32, MSG_DONTWAIT, nullptr);
        if (got <= 0) break;
        std::int64_t arrival = now_ns();
        for (int k = 0; k < got; ++k) {
          ++received_total;
          if (msgs[k].msg_len < 21 || bufs[k][20] != 1) continue;
          ++received_counted;
          std::int64_t stamp;
          std::memcpy(&stamp, bufs[k] + 12, 8);
          latencies.push_back(arrival - stamp);
        }
        if (got < 32) break;
      }
    }
  }
  std::sort(latencies.begin(), latencies.end());
  auto pct = [&](double p) {
    if (latencies.empty()) return 0.0;
    return latencies[std::min(latencies.size() - 1,
                              static_cast<std::size_t>(p * latencies.size()))] /
           1e3;
  };
  double relay_cpu = cpu1 - cpu0;
  std::printf(
      "{\"calls\": %zu, \"seconds\": %.3f, \"sent\": %llu, \"received\": %llu, \"lost\": %lld, "
      "\"loss_pct\": %.4f, \"relayed_pps\": %.1f, \"relay_cpu_s\": %.3f, "
      "\"relay_cpu_us_per_packet\": %.3f, \"relay_cpu_pct\": %.1f, \"generator_cpu_s\": %.3f, "
      "\"latency_us_p50\": %.1f, \"latency_us_p99\": %.1f, \"received_total\": %llu}\n",
      n, seconds, static_cast<unsigned long long>(sent_counted),
      static_cast<unsigned long long>(received_counted),
      static_cast<long long>(sent_counted) - static_cast<long long>(received_counted),
      sent_counted
          ? 100.0 * (static_cast<double>(sent_counted) - static_cast<double>(received_counted)) /
                static_cast<double>(sent_counted)
          : 0.0,
      static_cast<double>(received_counted) / seconds, relay_cpu,
      received_counted ? relay_cpu * 1e6 / static_cast<double>(received_counted) : 0.0,
      100.0 * relay_cpu / seconds, own1 - own0, pct(0.5), pct(0.99),
      static_cast<unsigned long long>(received_total));
  return 0;
}
