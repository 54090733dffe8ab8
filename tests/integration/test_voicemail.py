"""Issue 8 §7, the voicemail part: real peers against the real PBX.

- Leaving a message: baresip 1001 calls 1002, which is not registered
  (voicemail); after the greeting and the beep 1001 speaks (espeak-ng speech
  in its audio file) and hangs up; the message row is in the store and its
  WAV holds the speech (duration and energy).
- The mailbox IVR from the owner's phone (`*1001`): walked with in-band DTMF
  tones in the audio of a SIPp caller whose SDP has no telephone-event
  (tests/sipp/voicemail_inband_uac.xml plays a generated pcap), and
  separately with RFC 4733 events from baresip (`sndcode`): replay, save,
  next, delete, undelete, and the store follows; three wrong PINs hang up.
"""
import math
import sqlite3
import struct
import subprocess
import time
import wave
from pathlib import Path

from calls_helpers import PW
from conftest import ROOT, free_port, minimal_config, wait_until
from harness.baresip import Baresip

PINS = {"1001": "4711", "1002": "8642", "1003": "9753"}
RATE = 8000
DTMF = {
    "1": (697, 1209), "2": (697, 1336), "3": (697, 1477), "4": (770, 1209), "5": (770, 1336),
    "6": (770, 1477), "7": (852, 1209), "8": (852, 1336), "9": (852, 1477), "*": (941, 1209),
    "0": (941, 1336), "#": (941, 1477),
}


# --- the PBX -----------------------------------------------------------------------------

def start_vm_pbx(factory, extra: str = ""):
    sip = free_port("both")
    rtp = free_port("udp") // 2 * 2
    base = 20000 + (rtp % 20000) // 100 * 100
    cfg = minimal_config(free_port(), sip, extensions=("1001", "1002", "1003"),
                         extra="security:\n  digest_algorithms: [MD5]\n"  # baresip 1.0
                               "voicemail:\n  max_message_duration: 60\n" + extra)
    for ext, pin in PINS.items():
        cfg = cfg.replace(f"  name: User {ext}\n", f"  name: User {ext}\n  voicemail_pin: '{pin}'\n")
    cfg = cfg.replace("server:\n", f"server:\n  rtp_port_range_start: {base}\n"
                                   f"  rtp_port_range_end: {base + 99}\n", 1)
    sb = factory(cfg).start()
    sb.sip_port = sip
    return sb


def db_rows(pbx, sql: str, params=()) -> list[dict]:
    con = sqlite3.connect(f"file:{pbx.workdir / 'var' / 'switchboard.db'}?mode=ro", uri=True,
                          timeout=5)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute(sql, params)]
    finally:
        con.close()


def messages(pbx, mailbox: str) -> list[dict]:
    try:
        return db_rows(pbx, "SELECT * FROM voicemail_messages WHERE mailbox = ? ORDER BY id",
                       (mailbox,))
    except sqlite3.Error:
        return []


def put_message(pbx, mailbox: str, caller: str, received: str, audio: Path) -> int:
    """A message as a deposit leaves it: the WAV under voicemail/<mailbox>/ and its row."""
    folder = pbx.workdir / "voicemail" / mailbox
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"msg-test-{caller}.wav"
    path.write_bytes(audio.read_bytes())
    con = sqlite3.connect(str(pbx.workdir / "var" / "switchboard.db"), timeout=5)
    try:
        cur = con.execute(
            "INSERT INTO voicemail_messages (mailbox, caller_id, caller_name, received_at,"
            " duration_ms, folder, is_read, file_path) VALUES (?, ?, '', ?, ?, 'new', 0, ?)",
            (mailbox, caller, received, 1000, str(path)))
        con.commit()
        return cur.lastrowid
    finally:
        con.close()


# --- audio ---------------------------------------------------------------------------------

def write_pcm(path: Path, samples: list[float]) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(struct.pack(f"<{len(samples)}h",
                                  *(max(-32767, min(32767, int(s * 32767))) for s in samples)))
    return path


def read_pcm(path: Path) -> list[float]:
    with wave.open(str(path)) as w:
        assert w.getframerate() == RATE and w.getsampwidth() == 2 and w.getnchannels() == 1
        data = w.readframes(w.getnframes())
    return [s / 32768 for s in struct.unpack(f"<{len(data) // 2}h", data)]


def tone_wav(path: Path, hz: int, seconds: float) -> Path:
    n = int(RATE * seconds)
    return write_pcm(path, [0.3 * math.sin(2 * math.pi * hz * i / RATE) for i in range(n)])


def dtmf_track(path: Path, events: list[tuple[float, str]], total: float) -> Path:
    """Silence of `total` seconds with in-band DTMF digits: (start second, digits);
    each digit 100 ms of its two tones (-10 dBFS each), then 100 ms of silence."""
    samples = [0.0] * int(RATE * total)
    for start, digits in events:
        at = int(start * RATE)
        for d in digits:
            lo, hi = DTMF[d]
            for i in range(int(0.1 * RATE)):
                samples[at + i] = 0.3 * (math.sin(2 * math.pi * lo * i / RATE) +
                                         math.sin(2 * math.pi * hi * i / RATE))
            at += int(0.2 * RATE)
    return write_pcm(path, samples)


def speech_after_silence(path: Path, silence: float, text: str, tail: float) -> Path:
    raw = path.with_name("speech-raw.wav")
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(raw), text], check=True)
    speech = path.with_name("speech-8k.wav")
    subprocess.run(["sox", str(raw), "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer",
                    str(speech)], check=True)
    sp = read_pcm(speech)
    write_pcm(path, [0.0] * int(silence * RATE) + sp + [0.0] * int(tail * RATE))
    return path


def voiced_seconds(samples: list[float], threshold: float = 0.02) -> float:
    """Seconds of 20 ms frames above `threshold` RMS."""
    n = RATE // 50
    frames = [samples[i:i + n] for i in range(0, len(samples) - n + 1, n)]
    return sum(1 for f in frames if math.sqrt(sum(x * x for x in f) / n) > threshold) / 50


def tone_stretches(samples: list[float], hz: int, min_s: float = 0.5) -> int:
    """How many separate stretches of at least `min_s` carry a `hz` tone."""
    n = RATE // 50
    w = 2 * math.pi * hz / RATE
    c = 2 * math.cos(w)
    flags = []
    for i in range(0, len(samples) - n + 1, n):
        block = samples[i:i + n]
        s1 = s2 = 0.0
        for x in block:
            s1, s2 = x + c * s1 - s2, s1
        power = s1 * s1 + s2 * s2 - c * s1 * s2
        energy = sum(x * x for x in block)
        flags.append(energy > 1e-3 and power / (n / 2 * energy) > 0.6)
    stretches, run = 0, 0
    for f in flags + [False]:
        if f:
            run += 1
        else:
            if run >= min_s * 50:
                stretches += 1
            run = 0
    return stretches


def phone(workdir: Path, pbx, ext: str, audio: Path) -> Baresip:
    d = workdir / f"phone-{ext}-{time.monotonic_ns()}"
    return Baresip(d, account=(f"<sip:{ext}@127.0.0.1:{pbx.sip_port}>;auth_pass={PW[ext]};"
                               f"regint=60;audio_codecs=PCMU"),
                   audio=audio, extra=["module sndfile.so", f"snd_path {d / 'rec'}"])


def registered(pbx, n: int) -> bool:
    return len(pbx.get("/api/v1/registrations")[1]["registrations"]) >= n


def heard(p: Baresip) -> list[float]:
    """What the phone received during its call (sndfile's decoded recording)."""
    recs = list(p.dir.glob("*-dec.wav")) + list((p.dir / "rec").glob("*-dec.wav"))
    assert recs, list(p.dir.iterdir())
    return read_pcm(recs[0])


# --- tests -----------------------------------------------------------------------------------

def test_leave_a_message_with_real_speech(switchboard_factory, workdir):
    pbx = start_vm_pbx(switchboard_factory)
    # The default busy greeting lasts about 12.5 s; speak after 15 s.
    audio = speech_after_silence(workdir / "caller.wav", 15.0,
                                 "Hello, this is Ada. Please call me back about the quarterly "
                                 "report. Thank you.", 1.5)
    a = phone(workdir, pbx, "1001", audio)
    try:
        assert wait_until(lambda: registered(pbx, 1), 15)
        a.command("dial", f"sip:1002@127.0.0.1:{pbx.sip_port}")  # 1002 is not registered
        assert a.wait_event("CALL_ESTABLISHED", 15), a.proc.output()[-3000:]
        assert a.wait_event("CALL_CLOSED", 40), a.proc.output()[-3000:]  # EOF hangs up
    finally:
        a.stop()
    rows = wait_until(lambda: messages(pbx, "1002"), 10)
    assert len(rows) == 1, rows
    m = rows[0]
    assert m["caller_id"] == "1001" and m["folder"] == "new" and m["is_read"] == 0, m
    path = Path(m["file_path"])
    if not path.is_absolute():
        path = pbx.workdir / path
    assert path.exists() and not Path(str(path) + ".part").exists(), m
    samples = read_pcm(path)
    seconds = len(samples) / RATE
    assert abs(seconds * 1000 - m["duration_ms"]) < 100, (seconds, m)
    # About 2.5 s of silence after the beep, ~5 s of speech, 1.5 s of silence.
    assert 5.0 < seconds < 15.0, seconds
    assert voiced_seconds(samples) > 2.0, voiced_seconds(samples)
    assert not list(path.parent.glob("*.meta")), list(path.parent.iterdir())


def ulaw(sample: int) -> int:
    """G.711 mu-law of a 16-bit sample."""
    sign = 0x80 if sample < 0 else 0
    mag = min(-sample if sample < 0 else sample, 32635) + 0x84
    exp = 7
    while exp > 0 and not mag & (0x4000 >> (7 - exp)):
        exp -= 1
    return ~(sign | (exp << 4) | ((mag >> (exp + 3)) & 0x0F)) & 0xFF


def rtp_pcap(wav: Path, out: Path) -> Path:
    """The WAV as a pcap of PCMU RTP packets, 20 ms apart, for SIPp's
    play_pcap_audio (which rewrites the addresses and ports)."""
    pcm = read_pcm(wav)
    packets = []
    for n, i in enumerate(range(0, len(pcm) - 159, 160)):
        payload = bytes(ulaw(int(x * 32767)) for x in pcm[i:i + 160])
        rtp = struct.pack("!BBHII", 0x80, 0, n & 0xFFFF, (n * 160) & 0xFFFFFFFF, 0x5EED) + payload
        udp = struct.pack("!HHHH", 40000, 40002, 8 + len(rtp), 0) + rtp
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), n & 0xFFFF, 0, 64, 17, 0,
                         bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1]))
        csum = sum(struct.unpack("!10H", ip))
        csum = ~((csum & 0xFFFF) + (csum >> 16)) & 0xFFFF
        ip = ip[:10] + struct.pack("!H", csum) + ip[12:] + udp
        frame = b"\x00" * 12 + b"\x08\x00" + ip
        t = n * 0.02
        packets.append(struct.pack("<IIII", int(t), int((t % 1) * 1e6), len(frame), len(frame))
                       + frame)
    out.write_bytes(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1) + b"".join(packets))
    return out


def test_ivr_with_in_band_dtmf(switchboard_factory, workdir):
    """A SIPp caller whose SDP has no telephone-event: every digit is a DTMF
    tone pair in its PCMU audio, found by the PBX's in-band detector."""
    from calls_helpers import call
    pbx = start_vm_pbx(switchboard_factory)
    pbx.target = f"127.0.0.1:{pbx.sip_port}"
    first = put_message(pbx, "1001", "1002", "2024-03-01T08:00:00.000Z",
                        tone_wav(workdir / "m1.wav", 1000, 1.0))
    second = put_message(pbx, "1001", "1003", "2024-03-01T09:00:00.000Z",
                         tone_wav(workdir / "m2.wav", 2000, 1.0))
    # PIN, 1 (new messages), 5 (replay), 9 (save), 6 (next), 7 (delete),
    # * (main menu), * (goodbye: the PBX hangs up).
    track = dtmf_track(workdir / "dtmf.wav",
                       [(2.5, "4711#"), (6.0, "1"), (9.0, "5"), (12.0, "9"), (14.5, "6"),
                        (17.0, "7"), (19.5, "*"), (22.0, "*")], total=40.0)
    pcap = rtp_pcap(track, workdir / "dtmf.pcap")
    text = (ROOT / "tests" / "sipp" / "voicemail_inband_uac.xml").read_text().replace(
        "PCAP_FILE", str(pcap))
    started = time.monotonic()
    p = call(pbx, workdir, "voicemail_inband_uac", "*1001", text=text, timeout=60)
    assert p.returncode == 0, p.log
    # The PBX said goodbye and hung up before the 40 s of audio ended.
    assert time.monotonic() - started < 38
    rows = {r["id"]: r for r in wait_until(lambda: messages(pbx, "1001"), 5)}
    assert wait_until(lambda: second not in {r["id"] for r in messages(pbx, "1001")}, 5), rows
    assert not (pbx.workdir / "voicemail" / "1001" / "msg-test-1003.wav").exists()
    rows = {r["id"]: r for r in messages(pbx, "1001")}
    assert rows[first]["folder"] == "saved" and rows[first]["is_read"] == 1, rows
    log = pbx.proc.output()
    assert "mailbox 1001: login" in log and "wrong PIN" not in log, log[-3000:]


def send_digits(p: Baresip, digits: str, gap: float = 0.25) -> None:
    for d in digits:
        p.command("sndcode", d)
        time.sleep(gap)


def test_ivr_with_rfc4733(switchboard_factory, workdir):
    pbx = start_vm_pbx(switchboard_factory)
    first = put_message(pbx, "1001", "1002", "2024-03-01T08:00:00.000Z",
                        tone_wav(workdir / "m1.wav", 1000, 1.0))
    second = put_message(pbx, "1001", "1003", "2024-03-01T09:00:00.000Z",
                         tone_wav(workdir / "m2.wav", 2000, 1.0))
    a = phone(workdir, pbx, "1001", write_pcm(workdir / "quiet.wav", [0.0] * RATE * 60))
    try:
        assert wait_until(lambda: registered(pbx, 1), 15)
        a.command("dial", f"sip:*1001@127.0.0.1:{pbx.sip_port}")
        assert a.wait_event("CALL_ESTABLISHED", 15), a.proc.output()[-3000:]
        time.sleep(4.5)  # RTP flowing (baresip drops events sent before); the prompt runs 5 s
        send_digits(a, "4711#")
        assert wait_until(lambda: "mailbox 1001: login" in pbx.proc.output(), 5)
        # First new message, 1002's: the envelope (about 10 s), then 1 s of 1 kHz.
        send_digits(a, "1")
        time.sleep(13.0)
        send_digits(a, "5")  # replay it
        time.sleep(13.0)
        send_digits(a, "9")  # save it
        time.sleep(2.0)
        assert wait_until(lambda: {r["id"]: r for r in messages(pbx, "1001")}[first]["folder"]
                          == "saved", 5), messages(pbx, "1001")
        send_digits(a, "6")  # next: 1003's
        time.sleep(2.0)
        send_digits(a, "7")  # delete
        assert wait_until(lambda: {r["id"]: r for r in messages(pbx, "1001")}[second]["folder"]
                          == "deleted", 5), messages(pbx, "1001")
        time.sleep(1.5)
        send_digits(a, "7")  # undelete
        assert wait_until(lambda: {r["id"]: r for r in messages(pbx, "1001")}[second]["folder"]
                          == "new", 5), messages(pbx, "1001")
        time.sleep(1.5)
        send_digits(a, "*")
        time.sleep(1.5)
        send_digits(a, "*")  # goodbye
        assert a.wait_event("CALL_CLOSED", 15), a.proc.output()[-3000:]
    finally:
        a.stop()
    rows = {r["id"]: r for r in messages(pbx, "1001")}
    assert rows[first]["folder"] == "saved", rows
    # Heard (its envelope started) and kept: filed as saved when the caller left.
    assert wait_until(lambda: {r["id"]: r for r in messages(pbx, "1001")}[second]["folder"]
                      == "saved", 5), messages(pbx, "1001")
    assert rows[second]["is_read"] == 1
    # The first message (1 kHz) was heard twice: played, then replayed.
    assert tone_stretches(heard(a), 1000) >= 2


def test_three_wrong_pins_disconnect(switchboard_factory, workdir):
    pbx = start_vm_pbx(switchboard_factory)
    a = phone(workdir, pbx, "1001", write_pcm(workdir / "quiet.wav", [0.0] * RATE * 60))
    try:
        assert wait_until(lambda: registered(pbx, 1), 15)
        a.command("dial", f"sip:*1001@127.0.0.1:{pbx.sip_port}")
        assert a.wait_event("CALL_ESTABLISHED", 15), a.proc.output()[-3000:]
        time.sleep(4.5)  # RTP flowing (baresip drops events sent before)
        for pin in ("1111#", "2222#", "3333#"):
            send_digits(a, pin)
            time.sleep(1.5)
        started = time.monotonic()
        assert a.wait_event("CALL_CLOSED", 10), a.proc.output()[-3000:]
        assert time.monotonic() - started < 10
    finally:
        a.stop()
    failures = db_rows(pbx, "SELECT scope, subject, failures FROM voicemail_login_failures"
                            " ORDER BY scope")
    assert {(f["scope"], f["subject"]): f["failures"] for f in failures}[("mailbox", "1001")] == 3
    # No PIN is ever logged (the voicemail lines name the mailbox, never a PIN).
    log = pbx.workdir / "log" / "switchboard.log"
    text = (log.read_text(errors="replace") if log.exists() else "") + pbx.proc.output()
    lines = [ln for ln in text.splitlines() if "voicemail" in ln.lower() or "pin" in ln.lower()]
    assert any("wrong PIN" in ln for ln in lines), lines[-20:]
    for pin in ("1111", "2222", "3333", "4711"):
        assert not any(pin in ln for ln in lines), (pin, [ln for ln in lines if pin in ln])
    # An operator clears the mailbox's failed logins through the API (issue 8 §4).
    from api_client import Api
    api = Api(pbx.http_port, pbx.token)
    assert api.get("/api/v1/voicemail-lockouts").json == {"lockouts": []}  # 3 < lockout threshold
    assert api.request("DELETE", "/api/v1/voicemail-lockouts/mailbox/1001").status == 204
    failures = db_rows(pbx, "SELECT scope, subject FROM voicemail_login_failures")
    assert ("mailbox", "1001") not in {(f["scope"], f["subject"]) for f in failures}, failures
    r = api.request("DELETE", "/api/v1/voicemail-lockouts/mailbox/1001")
    assert r.status == 404 and r.json["error"] == "not_found", r
    assert api.request("DELETE", "/api/v1/voicemail-lockouts/planet/1001").status == 400


def test_main_number_reaches_the_callers_mailbox(switchboard_factory, workdir):
    """voicemail.main_number (issue 8 §3): 1003 dials the main number — a
    number outside every dialplan pattern — from its own phone, so only its
    PIN is asked (RFC 4733), and it is logged into mailbox 1003."""
    pbx = start_vm_pbx(switchboard_factory, "  main_number: '555'\n")
    c = phone(workdir, pbx, "1003", write_pcm(workdir / "quiet.wav", [0.0] * RATE * 30))
    try:
        assert wait_until(lambda: registered(pbx, 1), 15)
        c.command("dial", f"sip:555@127.0.0.1:{pbx.sip_port}")
        assert c.wait_event("CALL_ESTABLISHED", 15), c.proc.output()[-3000:]
        time.sleep(4.5)
        send_digits(c, "9753#")
        assert wait_until(lambda: "mailbox 1003: login" in pbx.proc.output(), 8), \
            pbx.proc.output()[-3000:]
        c.command("hangup")
    finally:
        c.stop()
    assert "voicemail application (dialed)" in pbx.proc.output()
