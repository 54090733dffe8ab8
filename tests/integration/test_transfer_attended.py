"""Issue 7 §2: attended transfer (REFER with Replaces) and INVITE with Replaces
through the real binary, with real audio.

Debian's baresip 1.0 cannot do attended transfer and SIPp holds one dialog per
scenario, so the party that needs two dialogs (the transferrer, the replacing
phone) is our scripted UA (tests/harness/sip_ua.py); the parties whose audio
is checked are baresip phones that record what they hear. Every party plays
its own tone, so each recording tells who was heard, and when:

  1001 → 1000 Hz   1002 → 500 Hz   1003 → 1500 Hz
"""
import re
import time
from pathlib import Path

import pytest

from calls_helpers import PW, cdr_rows, start_pbx, wait_until
from harness.sip_ua import SipUA
from test_calls_audio import phone, tone
from api_client import WebSocket
from transfer_helpers import (blocks, dominant_runs, received_blocks, recording, tone_stats,
                              tones_of, total)

MD5 = "security:\n  digest_algorithms: [MD5]\n"
TONE = {"1001": 1000, "1002": 500, "1003": 1500}


def _registrations(pbx) -> int:
    return len(pbx.get("/api/v1/registrations")[1]["registrations"])


def _ua(pbx, workdir: Path, ext: str, **kw) -> SipUA:
    ua = SipUA(ext, PW[ext], pbx.sip_port, log_path=workdir / f"ua-{ext}.log", **kw)
    resp = ua.register()
    assert resp.status == 200, (resp, ua.trace_text())
    return ua


def _subscribe_transfers(pbx) -> WebSocket:
    """A WebSocket on /api/v1/events that receives call.transferred only."""
    ws = WebSocket(pbx.http_port, "/api/v1/events", pbx.token, timeout=5)
    assert ws.status == 101, ws.status
    ws.send_json({"action": "subscribe", "types": ["call.transferred"]})
    ack = ws.recv_json()
    assert ack["type"] == "subscribed", ack
    return ws


def _transfer_event(ws: WebSocket) -> dict:
    e = ws.recv_json()  # the socket's 5 s timeout bounds the wait
    ws.close()
    assert e and e["type"] == "call.transferred", e
    return e["data"]


def _report(name: str, samples: list[float], hz: int) -> tuple[int, float, float]:
    n, fraction, rms = tone_stats(samples, hz)
    print(f"{name}: {hz} Hz in {n} blocks ({n * 0.2:.1f} s), mean fraction {fraction:.3f}, "
          f"RMS {rms:.3f}")
    return n, fraction, rms


def _relay_range(pbx) -> range:
    cfg = pbx.config_path.read_text()
    start = int(re.search(r"rtp_port_range_start: (\d+)", cfg).group(1))
    end = int(re.search(r"rtp_port_range_end: (\d+)", cfg).group(1))
    return range(start, end + 1)


def _reinvites_seen_by(phone_) -> int:
    """re-INVITEs a baresip phone received: baresip 1.0 logs each one as
    'call: got re-INVITE (SDP Offer)' (its SIP trace is off)."""
    return phone_.proc.output().count("got re-INVITE")


@pytest.mark.parametrize("first_call,c_law", [("ua_calls_1002", "PCMU"),
                                              ("1002_calls_ua", "PCMU"),
                                              ("ua_calls_1002", "PCMA")])
def test_attended_transfer_joins_the_far_parties_with_audio(switchboard_factory, workdir,
                                                            first_call, c_law):
    """The UA (1001) is in a call with 1002 (as its caller, or as the callee
    that answered 1002), calls 1003, then sends REFER in the first dialog with
    Replaces naming the second: 1003 is re-INVITEd into the first call's
    relay, 1002's phone sees no SIP at all, and the two hear each other. Then
    one of them hangs up (1002 in one case, the moved 1003 in the other) and
    the other's phone is hung up too."""
    pbx = start_pbx(switchboard_factory, MD5)
    b = phone(workdir, pbx, "1002", tone(workdir / "b.wav", [(30.0, TONE["1002"])]))
    # With a PCMA-only 1003 the first call's relay transcodes after the join.
    c = phone(workdir, pbx, "1003", tone(workdir / "c.wav", [(30.0, TONE["1003"])]), c_law)
    ua = None
    try:
        ua = _ua(pbx, workdir, "1001", answer_tone_hz=TONE["1001"])
        assert wait_until(lambda: _registrations(pbx) == 3, 15), pbx.get("/api/v1/registrations")

        if first_call == "ua_calls_1002":
            first = ua.invite("1002", tone_hz=TONE["1001"])
            assert first.status == 200, ua.trace_text()
        else:
            b.command("dial", f"sip:1001@127.0.0.1:{pbx.sip_port}")
            assert ua.wait_for(lambda: ua.dialogs and ua.dialogs[0].ack_received.is_set(), 10)
            first = ua.dialogs[0]
        assert b.wait_event("CALL_ESTABLISHED", 10), b.proc.output()[-3000:]
        time.sleep(2.5)
        second = ua.invite("1003", tone_hz=TONE["1001"])
        assert second.status == 200, ua.trace_text()
        assert c.wait_event("CALL_ESTABLISHED", 10), c.proc.output()[-3000:]
        time.sleep(2.5)
        b_invites_before = _reinvites_seen_by(b)
        events = _subscribe_transfers(pbx)

        t_refer = time.monotonic()
        resp = ua.refer(first, ua.attended_refer_to("1003", second))
        assert resp.status == 202, ua.trace_text()
        # NOTIFY 100, NOTIFY 200 (subscription over), then BYE on both dialogs.
        done = ua.wait_for(lambda: len(first.notifies) >= 2 and first.received("BYE")
                           and second.received("BYE"), 10)
        t_done = time.monotonic()
        assert done, ua.trace_text()
        assert first.sipfrags() == ["SIP/2.0 100 Trying", "SIP/2.0 200 OK"], ua.trace_text()
        assert all(n.get("event", "").startswith("refer") for n in first.notifies)
        assert first.notifies[0].get("subscription-state", "").startswith("active")
        assert first.notifies[1].get("subscription-state", "").startswith("terminated")
        assert len(first.received("BYE")) == 1 and len(second.received("BYE")) == 1
        assert not second.notifies  # progress goes to the REFER's dialog only
        # BYEs come after the final NOTIFY.
        assert first.received("BYE")[0].at >= first.notifies[1].at
        print(f"attended transfer: REFER → final NOTIFY + both BYEs in {t_done - t_refer:.3f} s")
        event = _transfer_event(events)
        # 1003 takes 1001's place (caller or callee) in the first call.
        expected = ("1003", "1002") if first_call == "ua_calls_1002" else ("1002", "1003")
        assert (event["caller"], event["callee"]) == expected, event
        assert [(t["kind"], t["by"], t["from"], t["to"]) for t in event["transfers"]] == [
            ("attended", "1001", "1001", "1003")], event

        # One call is left (the consultation call ended), between the far parties.
        calls = pbx.get("/api/v1/calls")[1]["calls"]
        assert [(x["caller"], x["callee"], x["state"]) for x in calls] == [
            expected + ("answered",)], calls
        time.sleep(3.0)  # the two far parties talk
        # Neither phone hung up during the transfer.
        assert not b.wait_event("CALL_CLOSED", 0.3), b.events
        assert not c.wait_event("CALL_CLOSED", 0.3), c.events
        b_invites_after = _reinvites_seen_by(b)
        # The BYE of either party reaches the other through the joined call.
        hanging_up = b if first_call == "ua_calls_1002" else c
        hanging_up.command("hangup")
        assert b.wait_event("CALL_CLOSED", 10), b.proc.output()[-3000:]
        assert c.wait_event("CALL_CLOSED", 10), c.proc.output()[-3000:]
        # The call is over on the PBX too.
        assert wait_until(lambda: pbx.get("/api/v1/calls")[1]["calls"] == [], 5), \
            pbx.get("/api/v1/calls")
    finally:
        b.stop()
        c.stop()
        if ua:
            ua.close()

    log = pbx.proc.output()
    assert re.search(r"1003 replaced 1001 \(attended\)", log), log[-4000:]
    # Two CDRs: the joined call between the far parties, and the consultation
    # call ended by the system for the transfer.
    rows = cdr_rows(pbx, want=2)
    joined = [r for r in rows if r["hangup_cause"] != "attended transfer"]
    consult = [r for r in rows if r["hangup_cause"] == "attended transfer"]
    assert len(joined) == 1 and len(consult) == 1, rows
    j = joined[0]
    assert (j["caller"], j["callee"], j["disposition"]) == expected + ("ANSWERED",), j
    law = {"caller": "PCMU", "callee": "PCMU"}
    law["caller" if expected[0] == "1003" else "callee"] = c_law
    codec = (f"{law['caller']}/8000" if law["caller"] == law["callee"]
             else f"{law['caller']}/8000 <-> {law['callee']}/8000")
    assert j["codec"] == codec, j
    # ~8 s of 20 ms packets from both sides through the first call's relay.
    assert j["packets_caller"] > 300 and j["packets_callee"] > 300, j
    assert (consult[0]["caller"], consult[0]["callee"], consult[0]["hangup_side"]) == (
        "1001", "1003", "system"), consult
    # 1002's phone saw no SIP from the transfer; 1003's was re-INVITEd (once).
    assert b_invites_before == b_invites_after == 0, b.proc.output()[-3000:]
    assert _reinvites_seen_by(c) == 1, c.proc.output()[-3000:]

    b_rec, c_rec = recording(workdir, "1002"), recording(workdir, "1003")
    b_heard, c_heard = blocks(b_rec), blocks(c_rec)
    b_tones, c_tones = tones_of(b_heard), tones_of(c_heard)
    print("1002 heard", dominant_runs(b_heard), "\n1003 heard", dominant_runs(c_heard))
    for name, rec, hz in (("1002", b_rec, TONE["1001"]), ("1002", b_rec, TONE["1003"]),
                          ("1003", c_rec, TONE["1001"]), ("1003", c_rec, TONE["1002"])):
        n, fraction, rms = _report(name, rec, hz)
        # Sent at -6 dBFS (RMS 0.35) and carried as G.711: level and purity kept.
        assert fraction > 0.9 and 0.2 < rms < 0.5, (name, hz, n, fraction, rms)
    # Before: the transferrer's 1 kHz; after: the other far party, ≥ 1.5 s.
    assert b_tones[:2] == [TONE["1001"], TONE["1003"]], dominant_runs(b_heard)
    assert c_tones[:2] == [TONE["1001"], TONE["1002"]], dominant_runs(c_heard)
    assert total(b_heard, TONE["1003"]) >= 8, dominant_runs(b_heard)
    assert total(c_heard, TONE["1002"]) >= 8, dominant_runs(c_heard)
    # Nobody heard their own tone, and the other far party only after the transfer.
    assert TONE["1002"] not in b_tones and TONE["1003"] not in c_tones
    assert TONE["1001"] not in b_tones[1:] and TONE["1001"] not in c_tones[1:]
    # Not a single block of the other far party before the transferrer's last one.
    for heard, other in ((b_heard, TONE["1003"]), (c_heard, TONE["1002"])):
        last_x = max(i for i, f in enumerate(heard) if f == TONE["1001"])
        assert last_x < heard.index(other), dominant_runs(heard)


def test_refer_with_replaces_naming_no_dialog_is_481_and_the_call_goes_on(
        switchboard_factory, workdir):
    pbx = start_pbx(switchboard_factory, MD5)
    b = phone(workdir, pbx, "1002", tone(workdir / "b.wav", [(30.0, TONE["1002"])]))
    ua = None
    try:
        ua = _ua(pbx, workdir, "1001")
        assert wait_until(lambda: _registrations(pbx) == 2, 15)
        d = ua.invite("1002", tone_hz=TONE["1001"])
        assert d.status == 200, ua.trace_text()
        assert b.wait_event("CALL_ESTABLISHED", 10), b.proc.output()[-3000:]
        time.sleep(1.0)

        # A dialog nobody has …
        bogus = "nonexistent-call%3Bto-tag%3Ddeadbeef%3Bfrom-tag%3Dcafebabe"
        resp = ua.refer(d, f"sip:1003@{ua.domain}?Replaces={bogus}")
        assert resp.status == 481, ua.trace_text()
        # … and the REFER's own dialog (a call cannot replace itself).
        resp = ua.refer(d, ua.attended_refer_to("1003", d))
        assert resp.status == 481, ua.trace_text()
        # An INVITE with Replaces naming no dialog is refused the same way
        # (after the digest challenge: the UA answers the 407 first).
        bad = ua.invite("1002", tone_hz=TONE["1001"], extra_headers=[
            "Replaces: nonexistent-call;to-tag=deadbeef;from-tag=cafebabe"])
        assert bad.status == 481, ua.trace_text()
        t_rejected = time.monotonic()

        time.sleep(2.0)
        assert not d.notifies and not d.received("BYE"), ua.trace_text()
        assert not b.wait_event("CALL_CLOSED", 0.3), b.events
        # The call still carries 1002's tone to the UA after the refusals.
        after = received_blocks(d.rtp, since=t_rejected + 0.3)
        assert total(after, TONE["1002"]) >= 6, dominant_runs(after)
        resp = ua.bye(d)
        assert resp.status == 200, ua.trace_text()
        assert b.wait_event("CALL_CLOSED", 10), b.proc.output()[-3000:]
    finally:
        b.stop()
        if ua:
            ua.close()


@pytest.mark.parametrize("replaced_side", ["callee", "caller"])
def test_invite_with_replaces_takes_over_a_connected_call(switchboard_factory, workdir,
                                                          replaced_side):
    """baresip 1001 and the scripted UA 1002 are connected (1001 calling 1002,
    or 1002 calling 1001); a second UA registered as 1003 sends INVITE with
    Replaces naming the PBX↔1002 dialog: it takes 1002's place (200 with SDP
    toward the same relay port), 1002 gets BYE and 1001's phone hears 500 Hz
    then 1500 Hz without any SIP of its own. Then one side hangs up (1001 in
    one case, the new phone in the other) and the other gets the BYE."""
    pbx = start_pbx(switchboard_factory, MD5)
    a = phone(workdir, pbx, "1001", tone(workdir / "a.wav", [(30.0, TONE["1001"])]))
    ua2 = ua3 = None
    try:
        ua2 = _ua(pbx, workdir, "1002", answer_tone_hz=TONE["1002"])
        ua3 = _ua(pbx, workdir, "1003")
        assert wait_until(lambda: _registrations(pbx) == 3, 15)
        if replaced_side == "callee":
            a.command("dial", f"sip:1002@127.0.0.1:{pbx.sip_port}")
            assert ua2.wait_for(lambda: ua2.dialogs and ua2.dialogs[0].ack_received.is_set(), 10)
            replaced = ua2.dialogs[0]
        else:
            replaced = ua2.invite("1001", tone_hz=TONE["1002"])
            assert replaced.status == 200, ua2.trace_text()
        assert a.wait_event("CALL_ESTABLISHED", 15), a.proc.output()[-3000:]
        relay_port = int(re.search(r"^m=audio (\d+)", replaced.remote_sdp, re.M).group(1))
        assert relay_port in _relay_range(pbx), replaced.remote_sdp
        time.sleep(2.5)
        a_invites_before = _reinvites_seen_by(a)
        events = _subscribe_transfers(pbx)

        t_replace = time.monotonic()
        w = ua3.invite("1002", tone_hz=TONE["1003"],
                       extra_headers=[f"Replaces: {replaced.replaces_value()}"])
        assert w.status == 200, ua3.trace_text()
        # The answer points at the relay port that faced 1002.
        m = re.search(r"^m=audio (\d+) RTP/AVP ([\d ]+)", w.remote_sdp, re.M)
        assert m and int(m.group(1)) == relay_port, w.remote_sdp
        assert m.group(2).split()[0] == "0", w.remote_sdp  # PCMU, as 1001 talks
        assert ua2.wait_for(lambda: replaced.received("BYE"), 5), ua2.trace_text()
        print(f"INVITE with Replaces ({replaced_side}): 200 after "
              f"{w.invite_response.at - t_replace:.3f} s")
        event = _transfer_event(events)
        expected = ("1001", "1003") if replaced_side == "callee" else ("1003", "1001")
        assert (event["caller"], event["callee"]) == expected, event
        assert [(t["kind"], t["by"], t["from"], t["to"]) for t in event["transfers"]] == [
            ("replaces", "1003", "1002", "1003")], event
        calls = pbx.get("/api/v1/calls")[1]["calls"]
        assert [(x["caller"], x["callee"], x["state"]) for x in calls] == [
            expected + ("answered",)], calls

        time.sleep(3.0)
        assert not a.wait_event("CALL_CLOSED", 0.3), a.events
        assert not w.received("BYE"), ua3.trace_text()
        a_invites_after = _reinvites_seen_by(a)
        # The new phone hears 1001.
        got = received_blocks(w.rtp, since=t_replace + 0.5)
        assert total(got, TONE["1001"]) >= 8, dominant_runs(got)
        if replaced_side == "callee":
            a.command("hangup")
            assert ua3.wait_for(lambda: w.received("BYE"), 10), ua3.trace_text()
        else:
            assert ua3.bye(w).status == 200, ua3.trace_text()
        assert a.wait_event("CALL_CLOSED", 10), a.proc.output()[-3000:]
        assert len(replaced.received("BYE")) == 1  # no second BYE to the replaced phone
        assert wait_until(lambda: pbx.get("/api/v1/calls")[1]["calls"] == [], 5), \
            pbx.get("/api/v1/calls")
    finally:
        a.stop()
        for ua in (ua2, ua3):
            if ua:
                ua.close()

    log = pbx.proc.output()
    assert "1003 replaces 1002 (INVITE with Replaces)" in log, log[-4000:]
    rows = cdr_rows(pbx, want=1)
    assert [(r["caller"], r["callee"], r["disposition"], r["codec"]) for r in rows] == [
        expected + ("ANSWERED", "PCMU/8000")], rows
    # ~5.5 s of 20 ms packets each way (1002's, then 1003's on its side).
    assert rows[0]["packets_caller"] > 200 and rows[0]["packets_callee"] > 200, rows
    assert a_invites_before == a_invites_after == 0, a.proc.output()[-3000:]
    a_rec = recording(workdir, "1001")
    a_heard = blocks(a_rec)
    print("1001 heard", dominant_runs(a_heard))
    for hz in (TONE["1002"], TONE["1003"]):
        n, fraction, rms = _report("1001", a_rec, hz)
        assert fraction > 0.9 and 0.2 < rms < 0.5, (hz, n, fraction, rms)
    a_tones = tones_of(a_heard)
    assert a_tones[:2] == [TONE["1002"], TONE["1003"]], dominant_runs(a_heard)
    assert total(a_heard, TONE["1003"]) >= 8, dominant_runs(a_heard)
    assert TONE["1001"] not in a_tones
    last_b = max(i for i, f in enumerate(a_heard) if f == TONE["1002"])
    assert last_b < a_heard.index(TONE["1003"]), dominant_runs(a_heard)
