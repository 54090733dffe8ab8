"""Issue 7 §4 with real phones: call parking. 1002 parks its caller by a blind
transfer (baresip's REFER) to the park extension 70; the caller hears the
slot announced, then music on hold (a 1500 Hz file); the slot shows in
GET /api/v1/parked and on the event stream; 1003 dials the slot and the two
hear each other (call.bridged: the first answer and the retrieval, nothing
for the park or the slot's application). Unretrieved, a parked call rings its
parker back."""
import time

from calls_helpers import start_pbx, wait_until
from test_api_events_calls import nothing_more, subscribe
from test_calls_audio import phone, tone
from test_hold_moh import dominant, runs

FREQS = (500, 1000, 1500, 2000)


def parking_pbx(factory, workdir, timeout=120):
    moh = workdir / "moh" / "default"
    moh.mkdir(parents=True)
    tone(moh / "music.wav", [(3.0, 1500)])
    return start_pbx(factory,
                     "security:\n  digest_algorithms: [MD5]\n"
                     "features:\n  voicemail: false\n"
                     f"music_on_hold:\n  directory: {workdir / 'moh'}\n  default_class: default\n"
                     f"parking:\n  range_start: 70\n  range_end: 79\n  timeout: {timeout}\n")


def heard(workdir, ext):
    rec = next((workdir / f"phone-{ext}" / "rec").glob("*-dec.wav"))
    return [(f, n) for f, n in runs(dominant(rec, FREQS)) if f and n >= 3]


def park_1001(pbx, a, b):
    regs = lambda: pbx.get("/api/v1/registrations")[1]["registrations"]  # noqa: E731
    assert wait_until(lambda: len(regs()) >= 2, 15), regs()
    a.command("dial", f"sip:1002@127.0.0.1:{pbx.sip_port}")
    assert a.wait_event("CALL_ESTABLISHED", 15), a.proc.output()[-3000:]
    time.sleep(2.0)
    b.command("transfer", f"sip:70@127.0.0.1:{pbx.sip_port}")
    assert b.wait_event("CALL_CLOSED", 10), b.proc.output()[-3000:]
    parked = lambda: pbx.get("/api/v1/parked")[1]["parked"]  # noqa: E731
    assert wait_until(lambda: len(parked()) == 1, 10), (parked(), pbx.proc.output()[-3000:])
    return parked()[0]


def test_park_by_transfer_and_retrieve_by_dialing_the_slot(switchboard_factory, workdir):
    pbx = parking_pbx(switchboard_factory, workdir)
    ws = subscribe(pbx, types=["call.bridged"])
    a = phone(workdir, pbx, "1001", tone(workdir / "a.wav", [(20.0, 1000)]))
    b = phone(workdir, pbx, "1002", tone(workdir / "b.wav", [(20.0, 500)]))
    c = phone(workdir, pbx, "1003", tone(workdir / "c.wav", [(20.0, 2000)]))
    try:
        slot = park_1001(pbx, a, b)
        assert slot["slot"] == "71", slot
        assert slot["parked"] == "1001" and slot["parked_by"] == "1002", slot
        time.sleep(4.0)  # the announcement, then music
        c.command("dial", f"sip:71@127.0.0.1:{pbx.sip_port}")
        assert c.wait_event("CALL_ESTABLISHED", 15), c.proc.output()[-3000:]
        gone = lambda: pbx.get("/api/v1/parked")[1]["parked"] == []  # noqa: E731
        assert wait_until(gone, 10), pbx.proc.output()[-3000:]
        time.sleep(3.0)
        c.command("hangup")
        assert a.wait_event("CALL_CLOSED", 10), a.proc.output()[-3000:]
    finally:
        a.stop()
        b.stop()
        c.stop()
    log = pbx.proc.output()
    assert "parked on 71 by 1002" in log, log[-3000:]
    assert "retrieves slot 71" in log, log[-3000:]
    tones_a = heard(workdir, "1001")
    freqs_a = [f for f, _ in tones_a]
    # 1002, then the music while parked, then 1003 who retrieved the call.
    assert freqs_a[0] == 500 and 1500 in freqs_a and freqs_a[-1] == 2000, (tones_a, log[-2000:])
    assert freqs_a.index(1500) < len(freqs_a) - 1, tones_a
    assert sum(n for f, n in tones_a if f == 1500) >= 5, tones_a
    assert sum(n for f, n in tones_a if f == 2000) >= 8, tones_a
    tones_c = heard(workdir, "1003")
    assert [f for f, _ in tones_c] == [1000], tones_c
    assert tones_c[0][1] >= 8, tones_c
    bridged = [ws.recv_json()["data"] for _ in range(2)]
    assert [(e["reason"], e["caller"], e["callee"]) for e in bridged] == [
        ("answer", "1001", "1002"), ("retrieved", "1003", "1001")], bridged
    assert nothing_more(ws), "parking and the slot's application bridge nobody"
    ws.close()


def test_an_unretrieved_call_rings_its_parker_back(switchboard_factory, workdir):
    pbx = parking_pbx(switchboard_factory, workdir, timeout=4)
    a = phone(workdir, pbx, "1001", tone(workdir / "a.wav", [(25.0, 1000)]))
    b = phone(workdir, pbx, "1002", tone(workdir / "b.wav", [(25.0, 500)]))
    try:
        park_1001(pbx, a, b)
        b.events.clear()
        # The callback: 1002's phone rings (auto-answer) and talks to 1001 again.
        assert b.wait_event("CALL_ESTABLISHED", 15), (b.proc.output()[-3000:],
                                                     pbx.proc.output()[-3000:])
        assert pbx.get("/api/v1/parked")[1]["parked"] == []
        time.sleep(3.0)
        b.command("hangup")
        assert a.wait_event("CALL_CLOSED", 10), a.proc.output()[-3000:]
    finally:
        a.stop()
        b.stop()
    log = pbx.proc.output()
    assert "nobody retrieved call" in log and "calling back 1002" in log, log[-3000:]
    freqs_a = [f for f, _ in heard(workdir, "1001")]
    assert freqs_a[0] == 500 and 1500 in freqs_a and freqs_a[-1] == 500, freqs_a


def test_dialing_an_empty_slot_is_told_and_hung_up(switchboard_factory, workdir):
    pbx = parking_pbx(switchboard_factory, workdir)
    c = phone(workdir, pbx, "1003", tone(workdir / "c.wav", [(10.0, 2000)]))
    try:
        regs = lambda: pbx.get("/api/v1/registrations")[1]["registrations"]  # noqa: E731
        assert wait_until(lambda: len(regs()) == 1, 15), regs()
        c.command("dial", f"sip:75@127.0.0.1:{pbx.sip_port}")
        assert c.wait_event("CALL_ESTABLISHED", 10), c.proc.output()[-3000:]
        assert c.wait_event("CALL_CLOSED", 10), c.proc.output()[-3000:]
    finally:
        c.stop()
    assert pbx.get("/api/v1/parked")[1]["parked"] == []
