#!/usr/bin/env python3
"""RTP relay: Switchboard's MediaEngine versus rtpengine, same machine, same run.

N concurrent G.711 calls (PCMU, 20 ms packets, 172-byte datagrams) are relayed
both ways (100 packets/s per call) through
  (a) Switchboard: tests/tools/rtp_relay_tool (a MediaEngine with T media
      threads) with N relay sessions created and configured over its control line;
  (b) rtpengine 10.5 (Debian package), userspace forwarding only (--table=-1,
      no kernel module), T worker threads, calls set up with its ng control
      protocol (bencode over UDP: offer, answer, delete) by the small client below.
The same generator (bench/rtp_load, C++: one UDP socket per leg like a phone,
sends spread evenly over the period, epoll + recvmmsg) drives both. Over a
measurement window after a warm-up it counts packets sent and received back,
and reads the relay process's CPU (utime+stime of all its threads, /proc/PID/stat).
Reported per relay and load: relayed packets/s, loss, one-way latency p50/p99,
CPU % and CPU µs per relayed packet; the ratio of CPU per packet is the figure
to compare (the generator shares the 2 cores, so absolute capacity is not).

    /usr/bin/python3 bench/rtp_relay_bench.py [--calls 100,400] [--seconds 10] [--threads 2]
        [--batch 32] [--compare-batch1] [--build build]

Not part of `make test`.
"""
import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from harness.ports import free_port  # noqa: E402
from harness.procs import Proc  # noqa: E402


# --- bencode and the ng protocol -------------------------------------------------

def bencode(v) -> bytes:
    if isinstance(v, int):
        return b"i%de" % v
    if isinstance(v, str):
        v = v.encode()
    if isinstance(v, bytes):
        return b"%d:%s" % (len(v), v)
    if isinstance(v, list):
        return b"l" + b"".join(bencode(x) for x in v) + b"e"
    if isinstance(v, dict):
        return b"d" + b"".join(bencode(k) + bencode(v[k]) for k in sorted(v)) + b"e"
    raise TypeError(type(v))


def bdecode(data: bytes, i: int = 0):
    c = data[i:i + 1]
    if c == b"i":
        end = data.index(b"e", i)
        return int(data[i + 1:end]), end + 1
    if c == b"l":
        i, out = i + 1, []
        while data[i:i + 1] != b"e":
            v, i = bdecode(data, i)
            out.append(v)
        return out, i + 1
    if c == b"d":
        i, out = i + 1, {}
        while data[i:i + 1] != b"e":
            k, i = bdecode(data, i)
            v, i = bdecode(data, i)
            out[k.decode()] = v
        return out, i + 1
    colon = data.index(b":", i)
    n = int(data[i:colon])
    return data[colon + 1:colon + 1 + n], colon + 1 + n


class NgClient:
    def __init__(self, port: int):
        self.addr = ("127.0.0.1", port)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.settimeout(5)

    def call(self, msg: dict) -> dict:
        cookie = "%08x" % random.getrandbits(32)
        self.sock.sendto(cookie.encode() + b" " + bencode(msg), self.addr)
        while True:
            data, _ = self.sock.recvfrom(65536)
            c, _, body = data.partition(b" ")
            if c.decode() == cookie:
                reply, _ = bdecode(body)
                if reply.get("result") != b"ok" and reply.get("result") != b"pong":
                    raise RuntimeError(f"ng {msg['command']}: {reply}")
                return reply


def sdp(port: int) -> str:
    return ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            f"m=audio {port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=ptime:20\r\na=sendrecv\r\n")


def sdp_port(text: bytes) -> int:
    for line in text.decode().splitlines():
        if line.startswith("m=audio "):
            return int(line.split()[1])
    raise RuntimeError("no m=audio in " + text.decode())


# --- the two relays ----------------------------------------------------------------

class Switchboard:
    name = "switchboard"

    def __init__(self, build: Path, work: Path, threads: int, batch: int, first: int, pairs: int):
        self.control = free_port("tcp")
        self.proc = Proc("rtp_relay_tool", [
            str(build / "bin" / "rtp_relay_tool"), "--control-port", str(self.control),
            "--bind", "127.0.0.1", "--port-first", str(first), "--port-last", str(first + 2 * pairs - 1),
            "--threads", str(threads), "--batch", str(batch), "--dead-peer-ms", "0"],
            work / f"switchboard-b{batch}-{time.monotonic_ns()}.log")
        if not self.proc.wait_for_output("ready", 10):
            raise RuntimeError(self.proc.output())
        self.sock = socket.create_connection(("127.0.0.1", self.control), timeout=10)
        self.f = self.sock.makefile("rw")

    def cmd(self, line: str) -> str:
        self.f.write(line + "\n")
        self.f.flush()
        reply = self.f.readline().strip()
        if not reply.startswith("ok"):
            raise RuntimeError(f"{line} -> {reply}")
        return reply[3:]

    def setup(self, i: int, leg_a: int, leg_b: int) -> tuple[int, int]:
        rid, pa, pb = (int(x) for x in self.cmd("create").split())
        for side, port in (("A", leg_a), ("B", leg_b)):
            self.cmd(f"configure {rid} {side} addr=127.0.0.1 rtp={port} codecs=0:PCMU/8000 te=101/8000")
        return pa, pb

    def pid(self) -> int:
        return self.proc.pid

    def stop(self):
        try:
            self.cmd("quit")
        except Exception:  # noqa: BLE001
            pass
        self.proc.stop()


class RtpEngine:
    name = "rtpengine"

    def __init__(self, work: Path, threads: int, first: int, pairs: int):
        self.ng = free_port("udp")
        self.proc = Proc("rtpengine", [
            "rtpengine", "--config-file=none", "--foreground", "--log-stderr", "--log-level=3",
            "--table=-1", "--interface=127.0.0.1", f"--listen-ng=127.0.0.1:{self.ng}",
            f"--port-min={first}", f"--port-max={first + 2 * pairs - 1}",
            f"--num-threads={threads}", "--timeout=600", "--delete-delay=0"],
            work / f"rtpengine-{time.monotonic_ns()}.log")
        self.client = NgClient(self.ng)
        deadline = time.monotonic() + 10
        while True:
            try:
                self.client.call({"command": "ping"})
                break
            except (OSError, RuntimeError):
                if time.monotonic() > deadline:
                    raise RuntimeError("rtpengine did not answer ping: " + self.proc.output())
                time.sleep(0.2)

    def setup(self, i: int, leg_a: int, leg_b: int) -> tuple[int, int]:
        cid = f"bench-{i}"
        offer = self.client.call({"command": "offer", "call-id": cid, "from-tag": "a",
                                  "sdp": sdp(leg_a), "replace": ["origin"]})
        port_for_b = sdp_port(offer["sdp"])  # B sends here
        answer = self.client.call({"command": "answer", "call-id": cid, "from-tag": "a",
                                   "to-tag": "b", "sdp": sdp(leg_b), "replace": ["origin"]})
        port_for_a = sdp_port(answer["sdp"])  # A sends here
        return port_for_a, port_for_b

    def pid(self) -> int:
        return self.proc.pid

    def stop(self):
        self.proc.stop()


def run_load(build: Path, work: Path, relay, calls: int, seconds: float, warmup: float) -> dict:
    gen_base = random.randrange(20000, 30000 - 4 * calls, 4)
    ports = [relay.setup(i, gen_base + 4 * i, gen_base + 4 * i + 2) for i in range(calls)]
    calls_file = work / f"calls-{relay.name}-{calls}.txt"
    calls_file.write_text("".join(f"{a} {b}\n" for a, b in ports))
    out = subprocess.run(
        [str(build / "bin" / "rtp_load"), "--calls-file", str(calls_file), "--local-base",
         str(gen_base), "--seconds", str(seconds), "--warmup", str(warmup), "--watch-pid",
         str(relay.pid())], capture_output=True, text=True, timeout=seconds + warmup + 60)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", default="100,400")
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--warmup", type=float, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--compare-batch1", action="store_true",
                    help="also run Switchboard with one datagram per recvmmsg/sendmmsg")
    ap.add_argument("--build", default=str(ROOT / "build"))
    args = ap.parse_args()
    build = Path(args.build).resolve()
    loads = [int(x) for x in args.calls.split(",")]
    pairs = 2 * max(loads) + 8
    results = []
    with tempfile.TemporaryDirectory(prefix="rtp-bench-") as tmp:
        work = Path(tmp)
        variants = [("switchboard", args.batch)]
        if args.compare_batch1:
            variants.append(("switchboard", 1))
        variants.append(("rtpengine", 0))
        for calls in loads:
            for name, batch in variants:
                first = random.randrange(30000, 60000 - 2 * pairs, 2)
                relay = (Switchboard(build, work, args.threads, batch, first, pairs)
                         if name == "switchboard" else RtpEngine(work, args.threads, first, pairs))
                try:
                    r = run_load(build, work, relay, calls, args.seconds, args.warmup)
                finally:
                    relay.stop()
                r["relay"] = name if name == "rtpengine" else f"switchboard(batch={batch})"
                results.append(r)
                print(json.dumps(r), flush=True)
    print()
    print("| calls | relay | relayed pkt/s | loss % | latency p50/p99 µs | relay CPU % | CPU µs/packet |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['calls']} | {r['relay']} | {r['relayed_pps']:.0f} | {r['loss_pct']:.3f} | "
              f"{r['latency_us_p50']:.0f}/{r['latency_us_p99']:.0f} | {r['relay_cpu_pct']:.1f} | "
              f"{r['relay_cpu_us_per_packet']:.2f} |")
    print()
    for calls in loads:
        sb = next(r for r in results if r["calls"] == calls and r["relay"] == f"switchboard(batch={args.batch})")
        re = next(r for r in results if r["calls"] == calls and r["relay"] == "rtpengine")
        if re["relay_cpu_us_per_packet"] > 0:
            print(f"{calls} calls: Switchboard CPU per packet = "
                  f"{sb['relay_cpu_us_per_packet'] / re['relay_cpu_us_per_packet']:.2f} x rtpengine's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
