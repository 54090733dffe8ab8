"""Issue 7 §2 and §6 with real phones (baresip, PCMU, RFC 4733 digits by
`sndcode`): attended transfer and three-way calling by feature code.

- `*2<number>#` from the callee: its phone is re-INVITEd into a
  consultation call to the number while the caller hears music on hold;
  the callee hangs up and the caller talks to the target. Each phone sends
  its own tone (1001: 1000 Hz, 1002: 500 Hz, 1003: 1500 Hz; the music is
  2000 Hz): the caller hears the callee, then music, then the target; the
  target hears the callee, then the caller; the CDR names the transfer.
- `*0` in a consultation brings the transferrer back to the held party.
- `*3<number>#`: the target is consulted and, once it answers, all three are
  in one ad-hoc conference room: each phone hears the other two tones and
  not its own (the measure of test_conference.py).
"""
import json
import time

from calls_helpers import cdr_rows, start_pbx, wait_until
from test_calls_audio import phone, tone
from test_conference import OTHERS_MIN_DBFS, OWN_BELOW_DB, PARTIES, heard_levels
from test_hold_moh import dominant, runs
from test_voicemail import send_digits

FREQS = (500, 1000, 1500, 2000)


def pbx_with_codes(factory, workdir):
    moh = workdir / "moh" / "default"
    moh.mkdir(parents=True)
    tone(moh / "music.wav", [(3.0, 2000)])
    return start_pbx(factory,
                     "security:\n  digest_algorithms: [MD5]\n"
                     "features:\n  voicemail: false\n  call_codes:\n    enabled: true\n"
                     f"music_on_hold:\n  directory: {workdir / 'moh'}\n  default_class: default\n")


def registered(pbx, n: int) -> None:
    regs = lambda: pbx.get("/api/v1/registrations")[1]["registrations"]  # noqa: E731
    assert wait_until(lambda: len(regs()) == n, 15), regs()


def heard(workdir, ext: str) -> list[tuple[int, int]]:
    """The tones a phone heard, in order, each held for ≥ 0.6 s."""
    rec = next((workdir / f"phone-{ext}" / "rec").glob("*-dec.wav"))
    return [(f, n) for f, n in runs(dominant(rec, FREQS)) if f and n >= 3]


def connected(a, b, pbx) -> None:
    a.command("dial", f"sip:1002@127.0.0.1:{pbx.sip_port}")
    assert a.wait_event("CALL_ESTABLISHED", 15), a.proc.output()[-3000:]
    assert b.wait_event("CALL_ESTABLISHED", 5), b.proc.output()[-3000:]


def test_attended_transfer_code_consults_then_hands_the_caller_over(switchboard_factory,
                                                                     workdir):
    pbx = pbx_with_codes(switchboard_factory, workdir)
    a = phone(workdir, pbx, "1001", tone(workdir / "a.wav", [(30.0, 1000)]))
    b = phone(workdir, pbx, "1002", tone(workdir / "b.wav", [(30.0, 500)]))
    c = phone(workdir, pbx, "1003", tone(workdir / "c.wav", [(30.0, 1500)]))
    try:
        registered(pbx, 3)
        connected(a, b, pbx)
        time.sleep(2.5)
        send_digits(b, "*21003#")
        assert c.wait_event("CALL_ESTABLISHED", 15), (c.proc.output()[-2000:],
                                                      pbx.proc.output()[-3000:])
        assert wait_until(lambda: len(pbx.get("/api/v1/calls")[1]["calls"]) == 2, 5)
        time.sleep(4.0)  # B talks to C; A hears music
        b.command("hangup")
        assert b.wait_event("CALL_CLOSED", 10), b.proc.output()[-3000:]
        time.sleep(4.0)  # A talks to C
        calls = pbx.get("/api/v1/calls")[1]["calls"]
        assert [(x["caller"], x["callee"]) for x in calls] == [("1001", "1003")], calls
        a.command("hangup")
        assert c.wait_event("CALL_CLOSED", 10), c.proc.output()[-3000:]
    finally:
        a.stop()
        b.stop()
        c.stop()
    log = pbx.proc.output()
    assert "side B consults 1003" in log, log[-3000:]
    heard_a = heard(workdir, "1001")
    assert [f for f, _ in heard_a] == [500, 2000, 1500], (heard_a, log[-2000:])
    assert dict(heard_a)[2000] >= 15 and dict(heard_a)[1500] >= 15, heard_a  # ≥ 3 s each
    heard_c = heard(workdir, "1003")
    assert [f for f, _ in heard_c] == [500, 1000], heard_c
    rows = [r for r in cdr_rows(pbx, want=2) if r["caller"] == "1001"]
    assert len(rows) == 1 and rows[0]["callee"] == "1003", rows
    chain = [{k: t[k] for k in ("kind", "by", "from", "to")}
             for t in json.loads(rows[0]["transfers"])]
    assert chain == [{"kind": "attended", "by": "1002", "from": "1002", "to": "1003"}], rows


def test_cancel_code_brings_the_transferrer_back(switchboard_factory, workdir):
    pbx = pbx_with_codes(switchboard_factory, workdir)
    a = phone(workdir, pbx, "1001", tone(workdir / "a.wav", [(30.0, 1000)]))
    b = phone(workdir, pbx, "1002", tone(workdir / "b.wav", [(30.0, 500)]))
    c = phone(workdir, pbx, "1003", tone(workdir / "c.wav", [(30.0, 1500)]))
    try:
        registered(pbx, 3)
        connected(a, b, pbx)
        time.sleep(2.0)
        send_digits(b, "*21003#")
        assert c.wait_event("CALL_ESTABLISHED", 15), pbx.proc.output()[-3000:]
        time.sleep(3.0)
        send_digits(b, "*0")
        assert c.wait_event("CALL_CLOSED", 10), pbx.proc.output()[-3000:]
        time.sleep(4.0)  # A and B talk again
        a.command("hangup")
        assert b.wait_event("CALL_CLOSED", 10), b.proc.output()[-3000:]
    finally:
        a.stop()
        b.stop()
        c.stop()
    heard_a = heard(workdir, "1001")
    assert [f for f, _ in heard_a] == [500, 2000, 500], heard_a
    assert heard_a[-1][1] >= 15, heard_a
    heard_b = heard(workdir, "1002")
    assert [f for f, _ in heard_b] == [1000, 1500, 1000], heard_b
    assert "goes back to the held party" in pbx.proc.output()


def test_three_way_code_puts_all_three_into_one_room(switchboard_factory, workdir):
    pbx = pbx_with_codes(switchboard_factory, workdir)
    phones = {ext: phone(workdir, pbx, ext, tone(workdir / f"{ext}.wav", [(40.0, hz)]))
              for ext, hz in PARTIES.items()}
    a, b, c = phones["1001"], phones["1002"], phones["1003"]
    try:
        registered(pbx, 3)
        connected(a, b, pbx)
        time.sleep(2.0)
        send_digits(b, "*31003#")
        assert c.wait_event("CALL_ESTABLISHED", 15), pbx.proc.output()[-3000:]
        assert wait_until(lambda: len(pbx.get("/api/v1/calls")[1]["calls"]) == 3, 10), \
            pbx.proc.output()[-3000:]
        time.sleep(7.0)
        for p in phones.values():
            p.command("hangup")
        for p in phones.values():
            assert p.wait_event("CALL_CLOSED", 10), p.proc.output()[-3000:]
    finally:
        for p in phones.values():
            p.stop()
    log = pbx.proc.output()
    assert "three-way call of 1002, 1003 and 1001" in log, log[-3000:]
    report = {}
    for ext, own in PARTIES.items():
        rec = next((workdir / f"phone-{ext}" / "rec").glob("*-dec.wav"))
        report[ext] = levels = heard_levels(rec)
        others = [levels[hz] for hz in PARTIES.values() if hz != own]
        assert min(others) >= OTHERS_MIN_DBFS, (ext, report, log[-2000:])
        assert levels[own] <= min(others) - OWN_BELOW_DB, (ext, report)
    print("levels heard (dBFS):", report)
