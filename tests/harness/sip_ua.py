"""A minimal scripted SIP user agent over UDP for integration tests (stdlib
only). It does what SIPp and Debian's baresip cannot: hold several dialogs at
once, send REFER with Replaces (attended transfer) and INVITE with Replaces.

It is a test peer, not product code: one UDP socket on 127.0.0.1, a receive
thread, blocking calls for the requests it sends, and automatic answers to
what the PBX sends it:

  * REGISTER and INVITE with MD5 digest auth (401/407 challenge, qop=auth);
  * the ACK of a 2xx (and of a non-2xx, inside the INVITE transaction);
  * dialogs: Call-ID, local/remote tag, remote target (Contact), CSeq;
  * 200 to in-dialog NOTIFY/BYE/INFO/UPDATE and to OPTIONS, each recorded in
    its dialog so tests can assert on NOTIFY sipfrag bodies and BYEs;
  * 200 + SDP to a re-INVITE (the RTP target follows the new SDP);
  * an incoming call (INVITE without To tag) is answered at once with 200 +
    SDP when `auto_answer` is set;
  * optional RTP: PCMU frames of a sine tone every 20 ms from the UA's own RTP
    port to where the remote SDP points, and a recording of what arrives.

Every message in and out is kept in `self.trace` (and written to `log_path`)
so a failing test can show the exact exchange."""
from __future__ import annotations

import hashlib
import math
import os
import random
import re
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .ports import free_port

HOST = "127.0.0.1"

# ---------------------------------------------------------------- G.711 µ-law

_BIAS, _CLIP = 0x84, 32635


def lin2ulaw(sample: int) -> int:
    """One signed 16-bit sample to a µ-law byte (ITU-T G.711)."""
    sign = 0x80 if sample < 0 else 0
    magnitude = min(-sample if sample < 0 else sample, _CLIP) + _BIAS
    exponent = min(max(magnitude.bit_length() - 8, 0), 7)
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


def _ulaw2lin(byte: int) -> int:
    u = ~byte & 0xFF
    magnitude = ((((u & 0x0F) << 3) + _BIAS) << ((u >> 4) & 0x07)) - _BIAS
    return -magnitude if u & 0x80 else magnitude


ULAW_TO_LINEAR = [_ulaw2lin(b) for b in range(256)]


def sine_ulaw(hz: int, seconds: float = 1.0, level: float = 0.5, rate: int = 8000) -> bytes:
    """µ-law bytes of a sine tone (`level` = peak, 0.5 ≈ -6 dBFS). For whole
    Hz and seconds=1 the buffer loops without a click."""
    n = int(rate * seconds)
    return bytes(lin2ulaw(int(level * 32767 * math.sin(2 * math.pi * hz * i / rate)))
                 for i in range(n))


# ---------------------------------------------------------------- RTP

class RtpStream:
    """One RTP endpoint: its own UDP port; sends PCMU (PT 0) of a tone every
    20 ms to `remote` while set, records the PCMU it receives."""

    FRAME = 160  # samples per 20 ms at 8 kHz

    def __init__(self, tone_hz: int | None = None, record: bool = True):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for _ in range(20):  # free_port reserves nothing: retry on a bind race
            try:
                self.port = free_port("udp") // 2 * 2
                self.sock.bind((HOST, self.port))
                break
            except OSError:
                continue
        self.sock.settimeout(0.1)
        self.remote: tuple[str, int] | None = None
        self.tone = sine_ulaw(tone_hz) if tone_hz else None
        self.record = record
        self.received: list[tuple[float, int, bytes]] = []  # (monotonic time, PT, payload)
        self.sent_packets = 0
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._send_loop, daemon=True),
                         threading.Thread(target=self._recv_loop, daemon=True)]
        for t in self._threads:
            t.start()

    def _send_loop(self) -> None:
        ssrc = random.getrandbits(32)
        seq = random.getrandbits(16)
        ts = random.getrandbits(32)
        pos = 0
        next_at = time.monotonic()
        while not self._stop.is_set():
            remote = self.remote
            if remote and self.tone:
                chunk = self.tone[pos:pos + self.FRAME]
                pos = (pos + self.FRAME) % len(self.tone)
                header = struct.pack("!BBHII", 0x80, 0, seq & 0xFFFF, ts & 0xFFFFFFFF, ssrc)
                try:
                    self.sock.sendto(header + chunk, remote)
                    self.sent_packets += 1
                except OSError:
                    pass
                seq += 1
                ts += self.FRAME
            next_at += 0.020
            delay = next_at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            else:
                next_at = time.monotonic()  # fell behind (busy machine): do not burst

    def _recv_loop(self) -> None:
        while not self._stop.is_set():
            try:
                data, _ = self.sock.recvfrom(2048)
            except socket.timeout:
                continue
            except OSError:
                return
            if len(data) < 12 or data[0] >> 6 != 2:
                continue
            cc = data[0] & 0x0F
            pt = data[1] & 0x7F
            if self.record:
                self.received.append((time.monotonic(), pt, data[12 + 4 * cc:]))

    def samples(self, since: float = 0.0, until: float = math.inf) -> list[float]:
        """What arrived as PCMU between two monotonic times, as floats in [-1, 1]
        (packets in arrival order; loopback does not reorder)."""
        out: list[float] = []
        for t, pt, payload in list(self.received):
            if pt == 0 and since <= t < until:
                out.extend(ULAW_TO_LINEAR[b] / 32768 for b in payload)
        return out

    def close(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=1)
        self.sock.close()


def make_sdp(rtp_port: int, session_id: int, version: int = 1) -> str:
    return ("v=0\r\n"
            f"o=scripted-ua {session_id} {version} IN IP4 {HOST}\r\n"
            "s=-\r\n"
            f"c=IN IP4 {HOST}\r\n"
            "t=0 0\r\n"
            f"m=audio {rtp_port} RTP/AVP 0\r\n"
            "a=rtpmap:0 PCMU/8000\r\n"
            "a=ptime:20\r\n"
            "a=sendrecv\r\n")


def sdp_audio_target(sdp: str) -> tuple[str, int] | None:
    """(connection address, audio port) of an SDP body."""
    addr = re.search(r"^c=IN IP4 (\S+)", sdp, re.M)
    media = re.search(r"^m=audio (\d+)", sdp, re.M)
    if not addr or not media:
        return None
    return addr.group(1), int(media.group(1))


# ---------------------------------------------------------------- SIP messages

_COMPACT = {"v": "via", "f": "from", "t": "to", "i": "call-id", "m": "contact",
            "l": "content-length", "c": "content-type", "e": "content-encoding",
            "k": "supported", "o": "event", "r": "refer-to", "b": "referred-by"}


@dataclass
class SipMessage:
    first_line: str
    headers: list[tuple[str, str]]  # (name as sent, value) in order
    body: str = ""
    source: tuple[str, int] | None = None
    at: float = field(default_factory=time.monotonic)

    @property
    def is_request(self) -> bool:
        return not self.first_line.startswith("SIP/2.0")

    @property
    def method(self) -> str:
        return self.first_line.split(" ", 1)[0] if self.is_request else self.cseq[1]

    @property
    def status(self) -> int:
        return int(self.first_line.split(" ", 2)[1]) if not self.is_request else 0

    def all(self, name: str) -> list[str]:
        name = name.lower()
        return [v for n, v in self.headers if _COMPACT.get(n.lower(), n.lower()) == name]

    def get(self, name: str, default: str | None = None) -> str | None:
        values = self.all(name)
        return values[0] if values else default

    @property
    def cseq(self) -> tuple[int, str]:
        number, method = self.get("cseq", "0 ?").split()
        return int(number), method

    @property
    def call_id(self) -> str:
        return self.get("call-id", "")

    def tag(self, header: str) -> str | None:
        m = re.search(r";\s*tag=([^;>\s]+)", self.get(header, "") or "")
        return m.group(1) if m else None

    @property
    def branch(self) -> str | None:
        m = re.search(r";\s*branch=([^;,\s]+)", self.get("via", "") or "")
        return m.group(1) if m else None

    def __str__(self) -> str:
        lines = [self.first_line] + [f"{n}: {v}" for n, v in self.headers]
        return "\r\n".join(lines) + "\r\n\r\n" + self.body


def parse_message(data: bytes, source=None) -> SipMessage | None:
    text = data.decode("utf-8", errors="replace")
    head, sep, body = text.partition("\r\n\r\n")
    if not sep:
        return None
    lines = head.split("\r\n")
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and headers:  # folded header line
            headers[-1] = (headers[-1][0], headers[-1][1] + " " + line.strip())
        elif ":" in line:
            name, value = line.split(":", 1)
            headers.append((name.strip(), value.strip()))
    msg = SipMessage(lines[0], headers, "", source)
    length = msg.get("content-length")
    msg.body = body[:int(length)] if length is not None else body
    return msg


def uri_of(name_addr: str) -> str:
    """sip:… out of `"Name" <sip:…>;tag=x` or a bare URI."""
    m = re.search(r"<([^>]*)>", name_addr)
    return m.group(1) if m else name_addr.split(";", 1)[0].strip()


def host_port_of(uri: str, default_port: int = 5060) -> tuple[str, int]:
    m = re.match(r"sips?:(?:[^@]*@)?([^:;>?]+)(?::(\d+))?", uri)
    if not m:
        raise ValueError(f"not a SIP URI: {uri}")
    return m.group(1), int(m.group(2) or default_port)


# ---------------------------------------------------------------- digest auth

def _parse_challenge(value: str) -> dict[str, str]:
    scheme, _, rest = value.partition(" ")
    params = {k.lower(): v1 if v1 else v2
              for k, v1, v2 in re.findall(r'(\w+)\s*=\s*(?:"([^"]*)"|([^\s,]+))', rest)}
    params["scheme"] = scheme
    return params


def digest_authorization(challenges: list[str], method: str, uri: str, user: str,
                         password: str) -> str:
    """The Authorization value answering the MD5 challenge among `challenges`
    (RFC 2617 / 8760, qop=auth when offered)."""
    chosen = None
    for c in challenges:
        p = _parse_challenge(c)
        if p["scheme"].lower() == "digest" and p.get("algorithm", "MD5").upper() == "MD5":
            chosen = p
            break
    if chosen is None:
        raise RuntimeError(f"no MD5 digest challenge in {challenges}")

    def md5(s: str) -> str:
        return hashlib.md5(s.encode()).hexdigest()

    realm, nonce = chosen["realm"], chosen["nonce"]
    ha1 = md5(f"{user}:{realm}:{password}")
    ha2 = md5(f"{method}:{uri}")
    parts = [f'username="{user}"', f'realm="{realm}"', f'nonce="{nonce}"', f'uri="{uri}"',
             "algorithm=MD5"]
    if "auth" in [q.strip() for q in chosen.get("qop", "").split(",")]:
        cnonce, nc = os.urandom(8).hex(), "00000001"
        response = md5(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
        parts += [f'cnonce="{cnonce}"', "qop=auth", f"nc={nc}"]
    else:
        response = md5(f"{ha1}:{nonce}:{ha2}")
    parts.append(f'response="{response}"')
    if "opaque" in chosen:
        parts.append(f'opaque="{chosen["opaque"]}"')
    return "Digest " + ", ".join(parts)


# ---------------------------------------------------------------- dialogs

@dataclass
class Dialog:
    """One dialog of the UA (as caller or callee) and what arrived in it."""
    call_id: str
    local_tag: str
    remote_tag: str | None
    local_uri: str
    remote_uri: str
    remote_target: str
    local_from: str = ""             # our From (with our tag) in requests we send
    remote_to: str = ""              # their From/To (with their tag), our requests' To
    local_cseq: int = 1
    status: int = 0                  # final status of the INVITE that made it
    invite_response: SipMessage | None = None
    rtp: RtpStream | None = None
    remote_sdp: str = ""
    requests: list[SipMessage] = field(default_factory=list)  # requests from the PBX
    terminated: bool = False
    ack_received: threading.Event = field(default_factory=threading.Event)

    def received(self, method: str) -> list[SipMessage]:
        return [r for r in self.requests if r.method == method]

    @property
    def notifies(self) -> list[SipMessage]:
        return self.received("NOTIFY")

    def sipfrags(self) -> list[str]:
        """The status lines of the NOTIFY sipfrag bodies, in order."""
        return [n.body.strip().splitlines()[0] if n.body.strip() else "" for n in self.notifies]

    def replaces_value(self) -> str:
        """This dialog as the PBX sees it, for a Replaces header (RFC 3891): the
        to-tag is the PBX's own tag, the from-tag this UA's."""
        return f"{self.call_id};to-tag={self.remote_tag};from-tag={self.local_tag}"


class TransactionTimeout(Exception):
    pass


# ---------------------------------------------------------------- the UA

class SipUA:
    """A UDP SIP user agent registered (or not) as `user` at the PBX."""

    def __init__(self, user: str, password: str, pbx_port: int, pbx_host: str = HOST,
                 log_path: Path | None = None, auto_answer: bool = True,
                 answer_tone_hz: int | None = None):
        self.user, self.password = user, password
        self.pbx = (pbx_host, pbx_port)
        self.domain = f"{pbx_host}:{pbx_port}"
        self.auto_answer = auto_answer
        self.answer_tone_hz = answer_tone_hz  # tone this UA sends in calls it answers
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for _ in range(20):
            try:
                self.port = free_port("udp")
                self.sock.bind((HOST, self.port))
                break
            except OSError:
                continue
        self.sock.settimeout(0.1)
        self.contact = f"<sip:{user}@{HOST}:{self.port}>"
        self.dialogs: list[Dialog] = []
        self.trace: list[tuple[str, SipMessage]] = []  # ("in"/"out", message)
        self.requests: list[SipMessage] = []  # every request received
        self._log = open(log_path, "a") if log_path else None
        self._lock = threading.Condition()
        self._transactions: dict[str, list[SipMessage]] = {}  # branch → responses
        self._answered: dict[tuple, str] = {}  # (call-id, cseq, method) → response sent
        self._session = random.randint(1000, 9999999)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._recv_loop, daemon=True)
        self._thread.start()

    # ---- plumbing

    def _send(self, text: str, dest: tuple[str, int]) -> None:
        data = text.encode()
        self.sock.sendto(data, dest)
        msg = parse_message(data, dest)
        self._note("out", msg, dest)

    def _note(self, direction: str, msg: SipMessage, peer) -> None:
        with self._lock:
            self.trace.append((direction, msg))
        if self._log:
            arrow = "-->" if direction == "out" else "<--"
            self._log.write(f"{time.time():.3f} {self.user} {arrow} {peer}\n{msg}\n\n")
            self._log.flush()

    def trace_text(self, last: int = 40) -> str:
        return "\n".join(f"{d}: {m.first_line} [{m.call_id} {m.get('cseq')}]"
                         for d, m in self.trace[-last:])

    @staticmethod
    def _branch() -> str:
        return "z9hG4bK-" + os.urandom(6).hex()

    @staticmethod
    def _tag() -> str:
        return os.urandom(4).hex()

    def _via(self, branch: str) -> str:
        return f"SIP/2.0/UDP {HOST}:{self.port};branch={branch};rport"

    def _build(self, method: str, uri: str, branch: str, from_: str, to: str, call_id: str,
               cseq: int, extra: list[str] = (), body: str = "",
               content_type: str = "application/sdp", cseq_method: str | None = None) -> str:
        lines = [f"{method} {uri} SIP/2.0", f"Via: {self._via(branch)}", "Max-Forwards: 70",
                 f"From: {from_}", f"To: {to}", f"Call-ID: {call_id}",
                 f"CSeq: {cseq} {cseq_method or method}", f"Contact: {self.contact}",
                 "User-Agent: switchboard-tests-sip-ua"]
        lines += list(extra)
        if body:
            lines.append(f"Content-Type: {content_type}")
        lines.append(f"Content-Length: {len(body.encode())}")
        return "\r\n".join(lines) + "\r\n\r\n" + body

    def _transact(self, text: str, branch: str, dest, invite: bool,
                  timeout: float = 10.0) -> SipMessage:
        """Sends a request and returns its final response, retransmitting over
        UDP (T1 = 0.5 s doubling, RFC 3261 §17.1): an INVITE until any response
        arrives, other requests until the final one."""
        with self._lock:
            self._transactions[branch] = []
        self._send(text, dest)
        deadline = time.monotonic() + timeout
        interval, resend_at, provisional = 0.5, time.monotonic() + 0.5, False
        with self._lock:
            while True:
                responses = self._transactions[branch]
                final = [r for r in responses if r.status >= 200]
                if final:
                    return final[0]
                provisional = provisional or bool(responses)
                now = time.monotonic()
                if now >= deadline:
                    raise TransactionTimeout(f"no final response to {text.split(chr(13))[0]}")
                if now >= resend_at and not (invite and provisional):
                    self._lock.release()
                    try:
                        self._send(text, dest)
                    finally:
                        self._lock.acquire()
                    interval = min(interval * 2, 4.0)
                    resend_at = now + interval
                self._lock.wait(min(0.05, max(0.0, deadline - now)))

    def _respond(self, req: SipMessage, status: int, reason: str, to_tag: str | None = None,
                 extra: list[str] = (), body: str = "",
                 content_type: str = "application/sdp") -> None:
        to = req.get("to", "")
        if to_tag and ";tag=" not in to:
            to += f";tag={to_tag}"
        lines = [f"SIP/2.0 {status} {reason}"]
        lines += [f"Via: {v}" for v in req.all("via")]
        lines += [f"From: {req.get('from')}", f"To: {to}", f"Call-ID: {req.call_id}",
                  f"CSeq: {req.get('cseq')}"]
        if status < 300 and req.method in ("INVITE", "SUBSCRIBE", "REFER"):
            lines.append(f"Contact: {self.contact}")
        lines += list(extra)
        if body:
            lines.append(f"Content-Type: {content_type}")
        lines.append(f"Content-Length: {len(body.encode())}")
        text = "\r\n".join(lines) + "\r\n\r\n" + body
        with self._lock:
            self._answered[(req.call_id, req.get("cseq"), req.get("via"))] = text
        self._send(text, req.source)

    def wait_for(self, predicate, timeout: float = 10.0):
        """Waits until predicate() is true (re-checked on every message)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                value = predicate()
                if value or time.monotonic() >= deadline:
                    return value
                self._lock.wait(min(0.1, max(0.0, deadline - time.monotonic())))

    # ---- receiving

    def _recv_loop(self) -> None:
        while not self._stop.is_set():
            try:
                data, source = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            except OSError:
                return
            msg = parse_message(data, source)
            if msg is None:
                continue
            self._note("in", msg, source)
            try:
                if msg.is_request:
                    self._on_request(msg)
                else:
                    self._on_response(msg)
            except Exception as e:  # keep receiving; the test sees the trace
                if self._log:
                    self._log.write(f"!! error handling {msg.first_line}: {e!r}\n")
            with self._lock:
                self._lock.notify_all()

    def _on_response(self, resp: SipMessage) -> None:
        with self._lock:
            pending = self._transactions.get(resp.branch)
            if pending is not None:
                pending.append(resp)
                return
        # A retransmitted 2xx of an INVITE whose transaction is over: ACK it again.
        if resp.method == "INVITE" and 200 <= resp.status < 300:
            d = self.find_dialog(resp.call_id, resp.tag("from"))
            if d:
                self._send_ack(d, resp.cseq[0])

    def find_dialog(self, call_id: str, local_tag: str | None) -> Dialog | None:
        with self._lock:
            for d in self.dialogs:
                if d.call_id == call_id and d.local_tag == local_tag:
                    return d
        return None

    def _on_request(self, req: SipMessage) -> None:
        with self._lock:
            self.requests.append(req)
            again = self._answered.get((req.call_id, req.get("cseq"), req.get("via")))
        if again is not None and req.method != "ACK":  # a retransmission: same answer
            self.sock.sendto(again.encode(), req.source)
            return
        to_tag = req.tag("to")
        dialog = self.find_dialog(req.call_id, to_tag) if to_tag else None
        if dialog:
            with self._lock:
                dialog.requests.append(req)
        method = req.method
        if method == "ACK":
            if dialog:
                dialog.ack_received.set()
            return
        if method == "INVITE" and not to_tag:
            return self._on_new_invite(req)
        if method == "OPTIONS" and not to_tag:
            return self._respond(req, 200, "OK", to_tag=self._tag(),
                                 extra=["Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, NOTIFY, "
                                        "REFER, INFO, UPDATE"])
        if not dialog:
            return self._respond(req, 481, "Call/Transaction Does Not Exist")
        if method == "INVITE":  # re-INVITE: accept, and send RTP where it says
            target = sdp_audio_target(req.body)
            if target and dialog.rtp:
                dialog.rtp.remote = target
                dialog.remote_sdp = req.body
            if req.get("contact"):
                dialog.remote_target = uri_of(req.get("contact"))
            self._session += 1
            body = make_sdp(dialog.rtp.port, self._session, 2) if dialog.rtp else ""
            return self._respond(req, 200, "OK", body=body)
        if method == "BYE":
            dialog.terminated = True
            if dialog.rtp:
                dialog.rtp.remote = None
        self._respond(req, 200, "OK")

    def _on_new_invite(self, req: SipMessage) -> None:
        if not self.auto_answer:
            return self._respond(req, 486, "Busy Here", to_tag=self._tag())
        tag = self._tag()
        rtp = RtpStream(self.answer_tone_hz)
        d = Dialog(call_id=req.call_id, local_tag=tag, remote_tag=req.tag("from"),
                   local_uri=uri_of(req.get("to")), remote_uri=uri_of(req.get("from")),
                   remote_target=uri_of(req.get("contact", req.get("from"))), status=200,
                   invite_response=None, rtp=rtp, remote_sdp=req.body)
        d.local_from = f"<{d.local_uri}>;tag={tag}"
        d.remote_to = req.get("from")
        d.requests.append(req)
        target = sdp_audio_target(req.body)
        if target:
            rtp.remote = target
        with self._lock:
            self.dialogs.append(d)
        self._respond(req, 100, "Trying")
        self._session += 1
        self._respond(req, 200, "OK", to_tag=tag, body=make_sdp(rtp.port, self._session))
        # Resend the 2xx until the ACK comes (RFC 3261 §13.3.1.4).
        threading.Thread(target=self._resend_2xx, args=(req, d), daemon=True).start()

    def _resend_2xx(self, req: SipMessage, d: Dialog) -> None:
        interval = 0.5
        while not d.ack_received.wait(interval) and interval < 8 and not self._stop.is_set():
            with self._lock:
                text = self._answered.get((req.call_id, req.get("cseq"), req.get("via")))
            if text:
                self.sock.sendto(text.encode(), req.source)
            interval *= 2

    # ---- requests the UA sends

    def register(self, expires: int = 600, timeout: float = 10.0) -> SipMessage:
        """REGISTER (with digest auth); returns the final response."""
        uri = f"sip:{self.domain}"
        aor = f"<sip:{self.user}@{self.domain}>"
        call_id, tag = f"reg-{os.urandom(6).hex()}", self._tag()
        extra: list[str] = [f"Expires: {expires}"]
        for cseq in (1, 2, 3):
            branch = self._branch()
            text = self._build("REGISTER", uri, branch, f"{aor};tag={tag}", aor, call_id,
                               cseq, extra)
            resp = self._transact(text, branch, self.pbx, invite=False, timeout=timeout)
            if resp.status in (401, 407) and cseq < 3:
                header = "WWW-Authenticate" if resp.status == 401 else "Proxy-Authenticate"
                name = "Authorization" if resp.status == 401 else "Proxy-Authorization"
                auth = digest_authorization(resp.all(header), "REGISTER", uri, self.user,
                                            self.password)
                extra = [f"Expires: {expires}", f"{name}: {auth}"]
                continue
            return resp
        return resp

    def invite(self, callee: str, tone_hz: int | None = None, extra_headers: list[str] = (),
               timeout: float = 15.0, rtp: bool = True) -> Dialog:
        """Calls `callee` (a number at the PBX) with an SDP offer for a new RTP
        stream that sends `tone_hz`; answers a 401/407 with credentials. Returns
        the Dialog (status = the final status; only a 2xx is a real dialog).
        extra_headers: e.g. ["Replaces: CALLID;to-tag=..;from-tag=.."]."""
        uri = f"sip:{callee}@{self.domain}"
        call_id, tag = f"ua-{os.urandom(8).hex()}", self._tag()
        local_uri = f"sip:{self.user}@{self.domain}"
        from_ = f"<{local_uri}>;tag={tag}"
        to = f"<{uri}>"
        stream = RtpStream(tone_hz) if rtp else None
        self._session += 1
        body = make_sdp(stream.port, self._session) if stream else ""
        headers = list(extra_headers)
        cseq = 1
        for _ in range(3):
            branch = self._branch()
            text = self._build("INVITE", uri, branch, from_, to, call_id, cseq, headers, body)
            resp = self._transact(text, branch, self.pbx, invite=True, timeout=timeout)
            if resp.status >= 300:
                # The ACK of a non-2xx belongs to the INVITE transaction: same
                # branch, the response's To (with its tag), CSeq method ACK.
                ack = self._build("ACK", uri, branch, from_, resp.get("to"), call_id, cseq,
                                  cseq_method="ACK")
                self._send(ack, self.pbx)
            if resp.status in (401, 407) and not any(
                    h.startswith(("Authorization", "Proxy-Authorization")) for h in headers):
                header = "WWW-Authenticate" if resp.status == 401 else "Proxy-Authenticate"
                name = "Authorization" if resp.status == 401 else "Proxy-Authorization"
                auth = digest_authorization(resp.all(header), "INVITE", uri, self.user,
                                            self.password)
                headers = list(extra_headers) + [f"{name}: {auth}"]
                cseq += 1
                continue
            break
        d = Dialog(call_id=call_id, local_tag=tag, remote_tag=resp.tag("to"),
                   local_uri=local_uri, remote_uri=uri,
                   remote_target=uri_of(resp.get("contact", f"<{uri}>")),
                   local_cseq=cseq, status=resp.status, invite_response=resp, rtp=stream,
                   remote_sdp=resp.body)
        d.local_from = from_
        d.remote_to = resp.get("to")
        if 200 <= resp.status < 300:
            with self._lock:
                self.dialogs.append(d)
            self._send_ack(d, cseq)
            target = sdp_audio_target(resp.body)
            if stream and target:
                stream.remote = target
        elif stream:
            stream.close()
            d.rtp = None
        return d

    def _send_ack(self, d: Dialog, cseq: int) -> None:
        branch = self._branch()
        text = self._build("ACK", d.remote_target, branch, d.local_from, d.remote_to,
                           d.call_id, cseq, cseq_method="ACK")
        self._send(text, host_port_of(d.remote_target))

    def request(self, d: Dialog, method: str, extra: list[str] = (), body: str = "",
                content_type: str = "application/sdp", timeout: float = 10.0) -> SipMessage:
        """An in-dialog request (BYE, REFER, INFO …); returns the final response."""
        d.local_cseq += 1
        branch = self._branch()
        text = self._build(method, d.remote_target, branch, d.local_from, d.remote_to,
                           d.call_id, d.local_cseq, extra, body, content_type)
        return self._transact(text, branch, host_port_of(d.remote_target), invite=False,
                              timeout=timeout)

    def refer(self, d: Dialog, refer_to: str, timeout: float = 10.0) -> SipMessage:
        """REFER in dialog d; refer_to is the URI (without angle brackets)."""
        return self.request(d, "REFER", [f"Refer-To: <{refer_to}>",
                                         f"Referred-By: <sip:{self.user}@{self.domain}>"],
                            timeout=timeout)

    def attended_refer_to(self, target: str, replaced: Dialog) -> str:
        """The Refer-To URI of an attended transfer: the target with a Replaces
        URI header naming `replaced` (escaped as RFC 3891 §7 shows)."""
        from urllib.parse import quote
        return f"sip:{target}@{self.domain}?Replaces={quote(replaced.replaces_value(), safe='')}"

    def bye(self, d: Dialog, timeout: float = 10.0) -> SipMessage:
        resp = self.request(d, "BYE", timeout=timeout)
        d.terminated = True
        if d.rtp:
            d.rtp.remote = None
        return resp

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=1)
        for d in self.dialogs:
            if d.rtp:
                d.rtp.close()
        self.sock.close()
        if self._log:
            self._log.close()
            self._log = None
