"""Issue 7 §2 with real peers: feature codes during a call. The relay finds
the digits (RFC 4733 from baresip's `sndcode`, or in-band tones in the audio
of a SIPp caller that offers no telephone-event) and the PBX acts:
`##<number>#` transfers the OTHER party blind (the sender leaves), `*70`
parks it, `*1` toggles the call's recording. Audio is checked by frequency: each phone
sends its own tone."""
import threading
import time
import wave

from calls_helpers import call, start_pbx, wait_until
from conftest import ROOT
from test_calls_audio import phone, tone
from test_hold_moh import dominant, runs
from test_voicemail import dtmf_track, rtp_pcap, send_digits

CODES = ("features:\n  voicemail: false\n  music_on_hold: false\n"
         "  call_codes:\n    enabled: true\n")


def pbx_with_codes(factory, extra: str = ""):
    return start_pbx(factory, "security:\n  digest_algorithms: [MD5]\n" + CODES + extra)


def registered(pbx, n: int) -> None:
    regs = lambda: pbx.get("/api/v1/registrations")[1]["registrations"]  # noqa: E731
    assert wait_until(lambda: len(regs()) == n, 15), regs()


def heard(workdir, ext: str, freqs=(500, 1000, 1500)):
    return runs(dominant(next((workdir / f"phone-{ext}" / "rec").glob("*-dec.wav")), freqs))


def test_rfc4733_blind_transfer_code_moves_the_other_party(switchboard_factory, workdir):
    pbx = pbx_with_codes(switchboard_factory)
    a = phone(workdir, pbx, "1001", tone(workdir / "a.wav", [(16.0, 1000)]))
    b = phone(workdir, pbx, "1002", tone(workdir / "b.wav", [(16.0, 500)]))
    c = phone(workdir, pbx, "1003", tone(workdir / "c.wav", [(16.0, 1500)]))
    try:
        registered(pbx, 3)
        a.command("dial", f"sip:1002@127.0.0.1:{pbx.sip_port}")
        assert a.wait_event("CALL_ESTABLISHED", 15), a.proc.output()[-3000:]
        assert b.wait_event("CALL_ESTABLISHED", 5), b.proc.output()[-3000:]
        time.sleep(2.5)
        send_digits(b, "##1003#")  # RFC 4733 events from the callee
        assert c.wait_event("CALL_ESTABLISHED", 15), (c.proc.output()[-2000:],
                                                      pbx.proc.output()[-3000:])
        assert b.wait_event("CALL_CLOSED", 10), b.proc.output()[-3000:]
        time.sleep(3.0)
        a.command("hangup")
        assert c.wait_event("CALL_CLOSED", 10), c.proc.output()[-3000:]
    finally:
        a.stop()
        b.stop()
        c.stop()
    log = pbx.proc.output()
    assert "side B transfers the other party to 1003" in log, log[-3000:]
    assert "transferred by 1002 to 1003 (blind)" in log, log[-3000:]  # the sender, not "api"
    heard_a = [(f, n) for f, n in heard(workdir, "1001") if f and n >= 3]
    # The caller heard 1002, then 1003 for ≥ 2 s.
    assert [f for f, _ in heard_a][:2] == [500, 1500], (heard_a, log[-2000:])
    assert sum(n for f, n in heard_a if f == 1500) >= 10, heard_a
    heard_c = [(f, n) for f, n in heard(workdir, "1003") if f and n >= 3]
    assert [f for f, _ in heard_c] == [1000], heard_c


def test_in_band_blind_transfer_code_from_a_caller_without_telephone_event(
        switchboard_factory, workdir):
    pbx = pbx_with_codes(switchboard_factory)
    b = phone(workdir, pbx, "1002", tone(workdir / "b.wav", [(25.0, 500)]))
    c = phone(workdir, pbx, "1003", tone(workdir / "c.wav", [(25.0, 1500)]))
    result = {}
    try:
        registered(pbx, 2)
        # The SIPp caller 1001 (PCMU, no telephone-event) plays silence with
        # "##1003#" as DTMF tones from 3 s on, then waits for the PBX's BYE:
        # it transferred 1002 to 1003 and leaves.
        track = dtmf_track(workdir / "dtmf.wav", [(3.0, "##1003#")], total=20.0)
        pcap = rtp_pcap(track, workdir / "dtmf.pcap")
        text = (ROOT / "tests" / "sipp" / "voicemail_inband_uac.xml").read_text().replace(
            "PCAP_FILE", str(pcap))
        t = threading.Thread(target=lambda: result.update(
            p=call(pbx, workdir, "voicemail_inband_uac", "1002", text=text, timeout=40)))
        t.start()
        assert b.wait_event("CALL_ESTABLISHED", 15), b.proc.output()[-3000:]
        assert c.wait_event("CALL_ESTABLISHED", 20), (c.proc.output()[-2000:],
                                                      pbx.proc.output()[-3000:])
        t.join(30)
        assert not t.is_alive()
        assert result["p"].returncode == 0, result["p"].log  # the PBX's BYE came
        time.sleep(3.0)
        b.command("hangup")
        assert c.wait_event("CALL_CLOSED", 10), c.proc.output()[-3000:]
    finally:
        b.stop()
        c.stop()
    log = pbx.proc.output()
    assert "side A transfers the other party to 1003" in log, log[-3000:]
    heard_b = [(f, n) for f, n in heard(workdir, "1002") if f and n >= 3]
    assert [f for f, _ in heard_b] == [1500], (heard_b, log[-2000:])
    assert heard_b[0][1] >= 10, heard_b
    heard_c = [(f, n) for f, n in heard(workdir, "1003") if f and n >= 3]
    assert [f for f, _ in heard_c] == [500], heard_c


def test_record_toggle_code_records_the_call(switchboard_factory, workdir):
    storage = workdir / "recordings"
    pbx = pbx_with_codes(switchboard_factory,
                         f"recording:\n  storage_path: {storage}\n  format: wav\n")
    a = phone(workdir, pbx, "1001", tone(workdir / "a.wav", [(20.0, 1000)]))
    b = phone(workdir, pbx, "1002", tone(workdir / "b.wav", [(20.0, 500)]))
    try:
        registered(pbx, 2)
        a.command("dial", f"sip:1002@127.0.0.1:{pbx.sip_port}")
        assert a.wait_event("CALL_ESTABLISHED", 15), a.proc.output()[-3000:]
        assert b.wait_event("CALL_ESTABLISHED", 5), b.proc.output()[-3000:]
        time.sleep(1.0)
        assert not list(storage.rglob("*.wav*"))  # nothing recorded before the code
        send_digits(b, "*1")
        time.sleep(3.0)
        send_digits(a, "*1")  # either party toggles: this one stops it
        files = lambda: [p for p in storage.rglob("*.wav")]  # noqa: E731
        assert wait_until(lambda: files(), 10), pbx.proc.output()[-3000:]
        time.sleep(1.0)
        a.command("hangup")
        assert b.wait_event("CALL_CLOSED", 10), b.proc.output()[-3000:]
    finally:
        a.stop()
        b.stop()
    log = pbx.proc.output()
    assert "side B starts recording" in log and "side A stops recording" in log, log[-3000:]
    recs = [p for p in storage.rglob("*.wav")]
    assert len(recs) == 1, recs
    assert not list(storage.rglob("*.part"))
    # About 3 s of the call (the toggle), not the whole call.
    with wave.open(str(recs[0])) as w:
        seconds = w.getnframes() / w.getframerate()
    assert 2.0 < seconds < 5.5, seconds


def test_park_code_parks_the_other_party(switchboard_factory, workdir):
    pbx = pbx_with_codes(switchboard_factory,
                         "parking:\n  range_start: 70\n  range_end: 79\n  timeout: 60\n")
    a = phone(workdir, pbx, "1001", tone(workdir / "a.wav", [(20.0, 1000)]))
    b = phone(workdir, pbx, "1002", tone(workdir / "b.wav", [(20.0, 500)]))
    parked = lambda: pbx.get("/api/v1/parked")[1]["parked"]  # noqa: E731
    try:
        registered(pbx, 2)
        a.command("dial", f"sip:1002@127.0.0.1:{pbx.sip_port}")
        assert a.wait_event("CALL_ESTABLISHED", 15), a.proc.output()[-3000:]
        assert b.wait_event("CALL_ESTABLISHED", 5), b.proc.output()[-3000:]
        time.sleep(1.5)
        assert parked() == []
        send_digits(b, "*70")
        assert b.wait_event("CALL_CLOSED", 10), (b.proc.output()[-2000:],
                                                 pbx.proc.output()[-3000:])
        assert wait_until(lambda: len(parked()) == 1, 10), (parked(), pbx.proc.output()[-3000:])
        slot = parked()[0]
        assert slot["slot"] == "71" and slot["parked"] == "1001", slot
        a.command("hangup")
        assert wait_until(lambda: parked() == [], 10), pbx.proc.output()[-3000:]
    finally:
        a.stop()
        b.stop()
    assert "side B parks the other party" in pbx.proc.output()
