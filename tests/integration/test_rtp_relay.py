"""The RTP relay engine with real UDP traffic on 127.0.0.1: tests/tools/rtp_relay_tool
(a MediaEngine behind a TCP control line) relays between Python UDP endpoints.
Checks forwarding both ways, latching to a NAT-rewritten source port and
ignoring a stranger, PCMU->PCMA transcoding of a 1 kHz tone (decoded with
Python's audioop, an implementation independent of ours), RTCP relay with the
peer's report, SSRC change after a re-INVITE, dead-peer timeout, and that the
port pool never leaks."""
import json
import math
import os
import random
import socket
import struct
import time
import warnings
from pathlib import Path

import pytest

from harness.ports import free_port
from harness.procs import Proc

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop  # noqa: E402  (Python 3.11: G.711 reference)

ROOT = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("SB_BUILD_DIR", ROOT / "build"))
TOOL = BUILD / "bin" / "rtp_relay_tool"

pytestmark = pytest.mark.skipif(not TOOL.exists(), reason=f"{TOOL} not built")


class Relay:
    """The tool process and its control connection."""

    def __init__(self, tmp_path: Path, pairs: int = 50, dead_ms: int = 30000):
        self.control = free_port("tcp")
        self.first = random.randrange(20000, 60000 - 2 * pairs, 2)
        self.last = self.first + 2 * pairs - 1
        self.proc = Proc("rtp_relay_tool", [
            str(TOOL), "--control-port", str(self.control), "--bind", "127.0.0.1",
            "--port-first", str(self.first), "--port-last", str(self.last), "--threads", "2",
            "--dead-peer-ms", str(dead_ms)], tmp_path / "rtp_relay_tool.log")
        assert self.proc.wait_for_output("ready", 10), self.proc.output()
        self.sock = socket.create_connection(("127.0.0.1", self.control), timeout=5)
        self.file = self.sock.makefile("rw")

    def cmd(self, line: str) -> str:
        self.file.write(line + "\n")
        self.file.flush()
        reply = self.file.readline().strip()
        assert reply.startswith("ok"), f"{line!r} -> {reply!r}"
        return reply[3:]

    def create(self, dead_ms: int | None = None) -> tuple[int, int, int]:
        out = self.cmd("create" + (f" {dead_ms}" if dead_ms is not None else ""))
        rid, a, b = (int(x) for x in out.split())
        return rid, a, b

    def stats(self, rid: int) -> dict:
        return json.loads(self.cmd(f"stats {rid}"))

    def events(self) -> list[str]:
        out = self.cmd("events")
        return [e for e in out.split(";") if e]

    def close(self):
        try:
            self.cmd("quit")
        except Exception:  # noqa: BLE001 (the process may be gone already)
            pass
        self.sock.close()
        self.proc.stop()


@pytest.fixture
def relay(tmp_path):
    r = Relay(tmp_path)
    yield r
    r.close()


class Endpoint:
    """A phone's RTP/RTCP socket pair on a loopback address."""

    def __init__(self, host: str = "127.0.0.1"):
        self.rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.rtp.bind((host, 0))
        self.rtcp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.rtcp.bind((host, 0))
        for s in (self.rtp, self.rtcp):
            s.settimeout(2.0)
        self.seq = random.randrange(0, 65536)
        self.ts = random.randrange(0, 2**32)
        self.ssrc = random.randrange(1, 2**32)

    @property
    def port(self) -> int:
        return self.rtp.getsockname()[1]

    @property
    def rtcp_port(self) -> int:
        return self.rtcp.getsockname()[1]

    def packet(self, pt: int, payload: bytes) -> bytes:
        p = struct.pack("!BBHII", 0x80, pt, self.seq & 0xFFFF, self.ts & 0xFFFFFFFF, self.ssrc) + payload
        self.seq += 1
        self.ts += len(payload)
        return p

    def send(self, relay_port: int, pt: int = 0, payload: bytes = b"\xff" * 160, sock=None) -> bytes:
        p = self.packet(pt, payload)
        (sock or self.rtp).sendto(p, ("127.0.0.1", relay_port))
        return p

    def recv(self, sock=None) -> bytes:
        data, _ = (sock or self.rtp).recvfrom(4096)
        return data

    def nothing(self, sock=None, wait: float = 0.3) -> bool:
        s = sock or self.rtp
        s.settimeout(wait)
        try:
            s.recvfrom(4096)
            return False
        except socket.timeout:
            return True
        finally:
            s.settimeout(2.0)

    def close(self):
        self.rtp.close()
        self.rtcp.close()


def configure(relay: Relay, rid: int, side: str, ep: Endpoint, codecs="0:PCMU/8000", extra=""):
    relay.cmd(f"configure {rid} {side} addr=127.0.0.1 rtp={ep.port} rtcp={ep.rtcp_port} "
              f"codecs={codecs} te=101/8000 {extra}".strip())


def header(p: bytes) -> tuple[int, int, int, int]:
    _, m_pt, seq, ts, ssrc = struct.unpack("!BBHII", p[:12])
    return m_pt & 0x7F, seq, ts, ssrc


def wait_for(pred, timeout=3.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(0.02)
    return pred()


def test_forwards_both_ways_unchanged(relay):
    rid, port_a, port_b = relay.create()
    a, b = Endpoint(), Endpoint()
    configure(relay, rid, "A", a)
    configure(relay, rid, "B", b)
    time.sleep(0.05)
    sent = [a.send(port_a, payload=bytes([i]) * 160) for i in range(20)]
    got = [b.recv() for _ in range(20)]
    assert got == sent  # no decoding: byte for byte
    back = [b.send(port_b) for _ in range(20)]
    assert [a.recv() for _ in range(20)] == back
    st = relay.stats(rid)
    assert st["a"]["rtp_packets_in"] == 20 and st["b"]["rtp_packets_out"] == 20
    assert st["b"]["rtp_packets_in"] == 20 and st["a"]["rtp_packets_out"] == 20
    assert st["a"]["lost"] == 0 and st["a"]["ssrc"] == a.ssrc
    # Telephone-event (RFC 4733) passes too.
    ev = a.send(port_a, pt=101, payload=bytes([5, 0x0A, 0, 160]))
    assert b.recv() == ev


def test_payload_types_renumbered_between_legs(relay):
    rid, port_a, port_b = relay.create()
    a, b = Endpoint(), Endpoint()
    configure(relay, rid, "A", a, codecs="111:opus/48000/2")
    relay.cmd(f"configure {rid} B addr=127.0.0.1 rtp={b.port} codecs=96:opus/48000/2 te=100/8000")
    time.sleep(0.05)
    a.send(port_a, pt=111, payload=b"opus-frame")
    assert header(b.recv())[0] == 96
    a.send(port_a, pt=101, payload=bytes([1, 0x0A, 0, 160]))
    assert header(b.recv())[0] == 100
    b.send(port_b, pt=100, payload=bytes([1, 0x0A, 0, 160]))
    assert header(a.recv())[0] == 101


def test_latches_to_the_nat_port_and_ignores_strangers(relay):
    rid, port_a, port_b = relay.create()
    a, b = Endpoint(), Endpoint()
    nat = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # A's NAT mapping: another port
    nat.bind(("127.0.0.1", 0))
    nat.settimeout(2.0)
    stranger = Endpoint("127.0.0.2")  # another host (all of 127/8 is loopback)
    try:
        configure(relay, rid, "A", a)  # the SDP says a.port
        configure(relay, rid, "B", b)
        time.sleep(0.05)
        stranger.send(port_a)
        assert b.nothing()
        a.send(port_a, sock=nat)  # from the expected host, NAT-rewritten port
        b.recv()
        back = b.send(port_b)
        data, src = nat.recvfrom(4096)
        assert data == back and src == ("127.0.0.1", port_a)
        assert a.nothing(wait=0.2)  # nothing to the SDP port any more
        events = wait_for(relay.events)
        assert f"latched:{rid}:A:127.0.0.1:{nat.getsockname()[1]}" in events
        st = relay.stats(rid)
        assert st["a"]["latched_port"] == nat.getsockname()[1]
        assert st["a"]["dropped"] >= 1  # the stranger
    finally:
        nat.close()
        stranger.close()


def test_any_host_latching_follows_a_phone_behind_nat(relay):
    rid, port_a, port_b = relay.create()
    a, b = Endpoint(), Endpoint()
    # A's SDP carries its private address, which the PBX cannot reach.
    relay.cmd(f"configure {rid} A addr=10.1.2.3 rtp=4000 codecs=0:PCMU/8000 latch=any")
    configure(relay, rid, "B", b)
    time.sleep(0.05)
    b.send(port_b)
    assert a.nothing(wait=0.2)  # nowhere to send yet (10.1.2.3 is not us)
    a.send(port_a)
    b.recv()
    sent = b.send(port_b)
    data, src = a.rtp.recvfrom(4096)
    assert data == sent and src == ("127.0.0.1", port_a)


def test_rtcp_mux_side(relay):
    rid, port_a, port_b = relay.create()
    a, b = Endpoint(), Endpoint()
    configure(relay, rid, "A", a)
    relay.cmd(f"configure {rid} B addr=127.0.0.1 rtp={b.port} mux=1 codecs=0:PCMU/8000")
    time.sleep(0.05)
    report = rtcp_rr(a.ssrc, b.ssrc, fraction=0, cumulative=0, jitter=8)
    a.rtcp.sendto(report, ("127.0.0.1", port_a + 1))
    data, src = b.rtp.recvfrom(4096)  # B multiplexes: RTCP arrives on its RTP port
    assert data == report and src == ("127.0.0.1", port_b)
    # B sends RTCP and RTP on one port; RTCP goes to A's RTCP port, RTP to A's RTP port.
    b.rtp.sendto(rtcp_rr(b.ssrc, a.ssrc, 0, 0, 8), ("127.0.0.1", port_b))
    assert a.rtcp.recvfrom(4096)[0][1] == 201
    sent = b.send(port_b)
    assert a.recv() == sent


def tone_ulaw(freq: float, n: int, level: int = 8000, start: int = 0) -> bytes:
    pcm = b"".join(struct.pack("<h", int(level * math.sin(2 * math.pi * freq * (start + i) / 8000)))
                   for i in range(n))
    return audioop.lin2ulaw(pcm, 2)


def goertzel_power(samples: list[int], freq: float) -> float:
    k = 2 * math.cos(2 * math.pi * freq / 8000)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + k * s1 - s2, s1
    return s1 * s1 + s2 * s2 - k * s1 * s2


def test_transcodes_pcmu_to_pcma_a_known_tone(relay):
    rid, port_a, port_b = relay.create()
    a, b = Endpoint(), Endpoint()
    configure(relay, rid, "A", a, codecs="0:PCMU/8000")
    configure(relay, rid, "B", b, codecs="8:PCMA/8000")
    time.sleep(0.05)
    received = b""
    for i in range(25):  # 0.5 s of 1 kHz in 20 ms packets
        a.send(port_a, pt=0, payload=tone_ulaw(1000, 160, start=160 * i))
        p = b.recv()
        assert header(p)[0] == 8
        received += p[12:]
    pcm = audioop.alaw2lin(received, 2)
    samples = list(struct.unpack(f"<{len(pcm) // 2}h", pcm))
    rms = math.sqrt(sum(x * x for x in samples) / len(samples))
    assert abs(20 * math.log10(rms / (8000 / math.sqrt(2)))) < 0.5  # level kept within 0.5 dB
    p1k = goertzel_power(samples, 1000)
    for other in (500, 1500, 2000, 3000):
        assert p1k > 1000 * goertzel_power(samples, other)  # > 30 dB above other tones
    # And back: PCMA from B arrives at A as PCMU.
    b.send(port_b, pt=8, payload=audioop.lin2alaw(pcm[:320], 2))
    back = a.recv()
    assert header(back)[0] == 0
    assert audioop.rms(audioop.ulaw2lin(back[12:], 2), 2) == pytest.approx(
        audioop.rms(pcm[:320], 2), rel=0.05)
    assert relay.stats(rid)["transcoded_packets"] == 26


def rtcp_rr(ssrc: int, about: int, fraction: int, cumulative: int, jitter: int) -> bytes:
    block = struct.pack("!IB", about, fraction) + cumulative.to_bytes(3, "big") + struct.pack(
        "!IIII", 1000, jitter, 0, 0)
    rr = struct.pack("!BBHI", 0x81, 201, 7, ssrc) + block
    cname = b"a@127.0.0.1"
    chunk = struct.pack("!I", ssrc) + bytes([1, len(cname)]) + cname + b"\0"
    chunk += b"\0" * (-len(chunk) % 4)
    sdes = struct.pack("!BBH", 0x81, 202, len(chunk) // 4) + chunk
    return rr + sdes


def test_relays_rtcp_and_reads_the_peer_report(relay):
    rid, port_a, port_b = relay.create()
    a, b = Endpoint(), Endpoint()
    configure(relay, rid, "A", a)
    configure(relay, rid, "B", b)
    time.sleep(0.05)
    report = rtcp_rr(a.ssrc, b.ssrc, fraction=51, cumulative=7, jitter=80)
    a.rtcp.sendto(report, ("127.0.0.1", port_a + 1))
    data, src = b.rtcp.recvfrom(4096)
    assert data == report and src == ("127.0.0.1", port_b + 1)
    b.rtcp.sendto(rtcp_rr(b.ssrc, a.ssrc, 0, 0, 8), ("127.0.0.1", port_b + 1))
    assert a.rtcp.recvfrom(4096)[0][:4] == bytes([0x81, 201, 0, 7])
    st = relay.stats(rid)
    assert st["a"]["peer_report"] is True
    assert st["a"]["peer_fraction_lost"] == pytest.approx(51 / 256, abs=1e-3)
    assert st["a"]["peer_cumulative_lost"] == 7
    assert st["a"]["peer_jitter_ms"] == pytest.approx(10.0)
    assert st["a"]["rtcp_packets_in"] == 1 and st["b"]["rtcp_packets_out"] == 1
    # Malformed RTCP is not relayed.
    a.rtcp.sendto(b"\x80\xc9\x00\x09", ("127.0.0.1", port_a + 1))
    assert b.nothing(sock=b.rtcp)


def test_new_ssrc_after_reinvite_keeps_flowing_and_counts_loss(relay):
    rid, port_a, port_b = relay.create()
    a, b = Endpoint(), Endpoint()
    configure(relay, rid, "A", a)
    configure(relay, rid, "B", b)
    time.sleep(0.05)
    for i in range(10):
        if i == 4:
            a.seq += 1  # one lost packet
        a.send(port_a)
        b.recv()
    a.ssrc, a.seq = a.ssrc ^ 0x5A5A5A5A, 40000  # the phone restarts its stream
    configure(relay, rid, "A", a)  # re-INVITE with the same address
    for _ in range(10):
        sent = a.send(port_a)
        assert b.recv() == sent
    st = relay.stats(rid)["a"]
    assert st["ssrc"] == a.ssrc and st["ssrc_changes"] == 1
    assert st["lost"] == 1 and st["rtp_packets_in"] == 20


def test_dead_peer_fires_after_the_timeout(relay):
    rid, port_a, port_b = relay.create(dead_ms=400)
    a, b = Endpoint(), Endpoint()
    configure(relay, rid, "A", a)
    configure(relay, rid, "B", b, extra="dir=recvonly")  # B holds: not expected to send
    time.sleep(0.05)
    start = time.monotonic()
    deadline = start + 0.6
    while time.monotonic() < deadline:  # A talks for 0.6 s, then stops
        a.send(port_a)
        time.sleep(0.02)
    stopped = time.monotonic()
    events = wait_for(lambda: [e for e in relay.events() if e.startswith("dead:")], timeout=3)
    fired = time.monotonic()
    assert events == [f"dead:{rid}:A"]  # B on hold is never reported
    assert fired - stopped >= 0.35


def test_port_pool_never_leaks(tmp_path):
    r = Relay(tmp_path, pairs=6)
    try:
        total = int(r.cmd("engine").split()[1].split("=")[1])
        # Someone else holds one port of the range: that pair is skipped.
        squat = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        squat.bind(("127.0.0.1", r.first + 3))
        ids = []
        while True:
            r.file.write("create\n")
            r.file.flush()
            reply = r.file.readline().strip()
            if not reply.startswith("ok"):
                assert "no free RTP port" in reply
                break
            ids.append(int(reply.split()[1]))
        assert len(ids) == 2  # 6 pairs, one unbindable: 5 pairs -> 2 relays, 1 left
        for rid in ids:
            r.cmd(f"close {rid}")
        squat.close()
        free = wait_for(lambda: int(r.cmd("engine").split()[0].split("=")[1]) == total)
        assert free
        assert r.cmd("engine").endswith("open=0")
    finally:
        r.close()
