"""Issue 7 §6: conference rooms with real phones (baresip, PCMU) against the
real binary.

- Three parties in room 2000 (open): 1001 sends 450 Hz, 1002 1050 Hz and
  1003 1750 Hz — chosen so that no sum, difference or third-order product of
  two of them (G.711 companding of the mix makes some) falls on the third;
  with 500/900/1300, 2 x 900 - 500 = 1300 and 2 x 900 - 1300 = 500. With all
  three in the room, each phone's recording of what it heard must hold the
  other two tones and not its own: each other tone at least -30 dBFS, its
  own at least 30 dB below the weaker of the two (Goertzel over 2.4 s of the
  recording; the same measure on what the phone sent must find its own
  tone). conference.joined / conference.left come on the API's event
  stream. The room is recorded (conference.record_conferences): the
  finished WAV holds all three tones; a `.part` a crash left is completed at
  start-up.
- A PIN-protected room (2001): a wrong PIN (RFC 4733 digits, baresip
  `sndcode`) is refused and asked again, the right one joins; a second
  caller with the moderator PIN joins as moderator; a third, with the right
  PIN, hears that the room is full (max_participants 2) and is hung up; the
  first mutes and unmutes itself with `*6` (the moderator hears its tone,
  then silence for the muted time, then the tone again); the moderator's
  `*3` removes the first, whom the PBX hangs up.
"""
import math
import struct
import time
import wave

from api_client import WebSocket
from calls_helpers import start_pbx, wait_until
from test_calls_audio import phone, tone

PARTIES = {"1001": 450, "1002": 1050, "1003": 1750}
OTHERS_MIN_DBFS = -30.0
OWN_BELOW_DB = 30.0


def level_dbfs(samples: list[float], hz: int, rate: int = 8000) -> float:
    """The amplitude of the `hz` component of `samples`, in dB (full scale = 0)."""
    w = 2 * math.pi * hz / rate
    c = 2 * math.cos(w)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + c * s1 - s2, s1
    power = max(s1 * s1 + s2 * s2 - c * s1 * s2, 0.0)
    amplitude = 2 * math.sqrt(power) / len(samples)
    return 20 * math.log10(amplitude) if amplitude > 0 else -200.0


def read_wav(path) -> list[float]:
    with wave.open(str(path)) as w:
        assert w.getframerate() == 8000 and w.getsampwidth() == 2, path
        data = w.readframes(w.getnframes())
    return [s / 32768 for s in struct.unpack(f"<{len(data) // 2}h", data)]


def heard_levels(path, end_margin_s: float = 1.5, window_s: float = 2.4) -> dict[int, float]:
    """Levels of the three tones in the window ending `end_margin_s` before
    the recording ends (every party was in the room then: they hang up
    together at the end)."""
    samples = read_wav(path)
    end = len(samples) - int(8000 * end_margin_s)
    window = samples[end - int(8000 * window_s):end]
    assert len(window) == int(8000 * window_s), (path, len(samples))
    return {hz: level_dbfs(window, hz) for hz in PARTIES.values()}


def block_levels(path, hz: int, block_s: float = 0.2) -> list[float]:
    samples = read_wav(path)
    n = int(8000 * block_s)
    return [level_dbfs(samples[i:i + n], hz) for i in range(0, len(samples) - n + 1, n)]


def runs(seq: list[bool]) -> list[tuple[bool, int]]:
    """[True, True, False] → [(True, 2), (False, 1)]"""
    out: list[tuple[bool, int]] = []
    for x in seq:
        if out and out[-1][0] == x:
            out[-1] = (x, out[-1][1] + 1)
        else:
            out.append((x, 1))
    return out


def subscribe(pbx):
    ws = WebSocket(pbx.http_port, "/api/v1/events", pbx.token)
    assert ws.status == 101
    ws.send_json({"action": "subscribe", "types": ["conference.joined", "conference.left"]})
    assert ws.recv_json()["type"] == "subscribed"
    return ws


def test_three_parties_each_hear_the_other_two_and_not_themselves(switchboard_factory, workdir):
    rec_dir = workdir / "recordings"
    # A recording a crash left unfinished is completed at start-up.
    (rec_dir / "conference").mkdir(parents=True)
    tone(workdir / "crashed.wav", [(1.0, 700)]).rename(rec_dir / "conference" / "1999-x.wav.part")
    pbx = start_pbx(switchboard_factory,
                    "security:\n  digest_algorithms: [MD5]\n"
                    f"recording:\n  storage_path: {rec_dir}\n"
                    "conference:\n  record_conferences: true\n")
    assert (rec_dir / "conference" / "1999-x.wav").exists(), list(rec_dir.rglob("*"))
    ws = subscribe(pbx)
    phones = {ext: phone(workdir, pbx, ext, tone(workdir / f"{ext}.wav", [(40.0, hz)]))
              for ext, hz in PARTIES.items()}
    try:
        regs = lambda: pbx.get("/api/v1/registrations")[1]["registrations"]  # noqa: E731
        assert wait_until(lambda: len(regs()) == 3, 15), regs()
        for ext, p in phones.items():
            p.command("dial", f"sip:2000@127.0.0.1:{pbx.sip_port}")
            assert p.wait_event("CALL_ESTABLISHED", 15), p.proc.output()[-3000:]
            time.sleep(1.0)
        # All three in the room: the first one's "first participant" prompt
        # and the entry beeps are over well before the measured window.
        time.sleep(7.0)
        for p in phones.values():
            p.command("hangup")
        for p in phones.values():
            assert p.wait_event("CALL_CLOSED", 10), p.proc.output()[-3000:]
    finally:
        for p in phones.values():
            p.stop()
    log = pbx.proc.output()
    events = [ws.recv_json() for _ in range(6)]
    ws.close()
    joined = [e for e in events if e["type"] == "conference.joined"]
    left = [e for e in events if e["type"] == "conference.left"]
    assert [e["data"]["caller"] for e in joined] == list(PARTIES), events
    assert [e["data"]["participants"] for e in joined] == [1, 2, 3], events
    assert all(e["data"]["room"] == "2000" and e["data"]["call_id"] for e in events), events
    assert sorted(e["data"]["caller"] for e in left) == sorted(PARTIES), events
    assert "room 2000 closed" in log, log[-3000:]

    report = {}
    for ext, own in PARTIES.items():
        rec = next((workdir / f"phone-{ext}" / "rec").glob("*-dec.wav"))
        report[ext] = heard_levels(rec)
        # The measurement sees a tone that is there: the phone's own, in what it sent.
        sent = heard_levels(next((workdir / f"phone-{ext}" / "rec").glob("*-enc.wav")))
        assert sent[own] >= OTHERS_MIN_DBFS, (ext, sent)
    print("levels heard (dBFS):", report)
    for ext, own in PARTIES.items():
        levels = report[ext]
        others = [levels[hz] for hz in PARTIES.values() if hz != own]
        assert min(others) >= OTHERS_MIN_DBFS, (ext, report, log[-2000:])
        assert levels[own] <= min(others) - OWN_BELOW_DB, (ext, report)

    # The room's recording (finished: renamed from .part) holds all three.
    assert wait_until(lambda: list((rec_dir / "conference").glob("2000-*.wav")), 5), \
        list(rec_dir.rglob("*"))
    room_rec = next((rec_dir / "conference").glob("2000-*.wav"))
    assert not list((rec_dir / "conference").glob("*.part"))
    recorded = heard_levels(room_rec)
    print("levels recorded (dBFS):", recorded)
    assert min(recorded.values()) >= OTHERS_MIN_DBFS, recorded


def send_digits(p, digits: str, gap: float = 0.25) -> None:
    for d in digits:
        p.command("sndcode", d)
        time.sleep(gap)


def test_a_pin_room_refuses_a_wrong_pin_and_its_moderator_removes_a_caller(switchboard_factory,
                                                                          workdir):
    pbx = start_pbx(switchboard_factory,
                    "security:\n  digest_algorithms: [MD5]\n"
                    "conference:\n  max_participants: 2\n"
                    "  rooms:\n  - number: '2001'\n    name: Board\n"
                    "    pin: '4321'\n    moderator_pin: '8765'\n")
    ws = subscribe(pbx)
    a = phone(workdir, pbx, "1001", tone(workdir / "a.wav", [(60.0, 1050)]))
    b = phone(workdir, pbx, "1002", tone(workdir / "b.wav", [(60.0, 450)]))
    c = phone(workdir, pbx, "1003", tone(workdir / "c.wav", [(60.0, 1750)]))
    out = lambda: pbx.proc.output()  # noqa: E731
    try:
        regs = lambda: pbx.get("/api/v1/registrations")[1]["registrations"]  # noqa: E731
        assert wait_until(lambda: len(regs()) == 3, 15), regs()
        a.command("dial", f"sip:2001@127.0.0.1:{pbx.sip_port}")
        assert a.wait_event("CALL_ESTABLISHED", 15), a.proc.output()[-3000:]
        time.sleep(2.0)  # RTP flowing (baresip drops events sent before)
        send_digits(a, "1111#")
        assert wait_until(lambda: "entered a wrong PIN (1 of 3)" in out(), 5), out()[-3000:]
        assert "room 2001 opened" not in out()  # nobody is let in on a wrong PIN
        time.sleep(1.0)
        send_digits(a, "4321#")
        assert wait_until(lambda: "joined, 1 in the room" in out(), 5), out()[-3000:]
        e = ws.recv_json()
        assert e["type"] == "conference.joined" and e["data"]["room"] == "2001", e
        assert e["data"]["caller"] == "1001" and e["data"]["moderator"] is False, e

        b.command("dial", f"sip:2001@127.0.0.1:{pbx.sip_port}")
        assert b.wait_event("CALL_ESTABLISHED", 15), b.proc.output()[-3000:]
        time.sleep(2.0)
        send_digits(b, "8765#")
        e = ws.recv_json()
        assert e["type"] == "conference.joined" and e["data"]["caller"] == "1002", e
        assert e["data"]["moderator"] is True and e["data"]["participants"] == 2, e
        # max_participants 2: the third caller, right PIN and all, is sent away.
        c.command("dial", f"sip:2001@127.0.0.1:{pbx.sip_port}")
        assert c.wait_event("CALL_ESTABLISHED", 15), c.proc.output()[-3000:]
        time.sleep(2.0)
        send_digits(c, "4321#")
        assert wait_until(lambda: "from 1003 refused: full" in out(), 5), out()[-3000:]
        assert c.wait_event("CALL_CLOSED", 15), c.proc.output()[-3000:]  # after "… full. Goodbye."
        time.sleep(0.5)
        send_digits(a, "*6")  # 1001 mutes itself: 1002 stops hearing 1050 Hz …
        assert wait_until(lambda: " muted" in out(), 3), out()[-3000:]
        time.sleep(2.5)
        send_digits(a, "*6")  # … and hears it again
        assert wait_until(lambda: " unmuted" in out(), 3), out()[-3000:]
        time.sleep(2.5)
        send_digits(b, "*3")  # the moderator removes the last participant: 1001
        e = ws.recv_json()
        assert e["type"] == "conference.left" and e["data"]["caller"] == "1001", e
        # 1001 hears why, then the PBX hangs up.
        assert a.wait_event("CALL_CLOSED", 15), a.proc.output()[-3000:]
        assert "removed call" in out(), out()[-3000:]
        b.command("hangup")
        assert b.wait_event("CALL_CLOSED", 10), b.proc.output()[-3000:]
    finally:
        a.stop()
        b.stop()
        c.stop()
    e = ws.recv_json()
    ws.close()
    assert e["type"] == "conference.left" and e["data"]["caller"] == "1002", e
    assert "room 2001 closed" in out(), out()[-3000:]
    # What the moderator heard of 1001, in 0.2 s blocks: the tone (1.4 s or
    # more), silence while muted (1.6 s or more), the tone again.
    heard = runs([level >= -20.0 for level in block_levels(
        next((workdir / "phone-1002" / "rec").glob("*-dec.wav")), 1050)])
    print("the moderator heard 1050 Hz (runs of 0.2 s blocks):", heard)
    assert any(heard[i][0] and heard[i][1] >= 7 and not heard[i + 1][0] and heard[i + 1][1] >= 8
               and heard[i + 2][0] and heard[i + 2][1] >= 7 for i in range(len(heard) - 2)), heard
