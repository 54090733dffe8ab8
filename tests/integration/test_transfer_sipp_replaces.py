"""Issue 7 §8: "INVITE with Replaces" and "REFER with Replaces" driven by real
SIPp (Debian's sipp 3.6.1, UDP, MD5 digest) against the real binary.

One SIPp scenario holds one dialog, so the party that needs two dialogs is
two SIPp instances: the first one's scenario (tests/sipp/call_uac_log_dialog.xml)
places a call with a From tag the test chose (-key ftag) and a Call-ID it
shaped (-cid_str: SIPp matches messages to calls by its own Call-ID), takes the
PBX's To tag from the 200 with <ereg> and writes the three with <log>
(-trace_logs); the test reads that line and only then starts the second SIPp
with them as -key values. The parties whose audio is checked are baresip
phones that record what they hear; every party plays its own tone:

  1001 → 1000 Hz   1002 → 500 Hz   1003 → 1500 Hz

test_sipp_invite_with_replaces_takes_over_the_call:
  SIPp 1001 calls baresip 1002; SIPp 1003 (tests/sipp/call_uac_replaces.xml)
  sends INVITE with "Replaces: <call-id>;to-tag=<PBX's tag>;from-tag=<SIPp
  1001's tag>" (RFC 3891: the tags as seen by the PBX, which receives it;
  a second case swaps them, which the PBX's find_replaced also accepts) and
  an SDP offer, expects 200 with SDP and ACKs, streams 1500 Hz for 6 s,
  then hangs up. Checked: both SIPp scenarios complete (exit 0) — SIPp 1001
  got the PBX's BYE, SIPp 1003 its 200 + its BYE's 200; baresip 1002 never hung up
  before SIPp 1003's BYE and then closed; its recording holds 1000 Hz then
  1500 Hz (≥ 1.6 s) and never 1000 Hz after 1500 Hz; the PBX logs
  "1003 replaces 1001"; one CDR row, 1003 → 1002 (1003 took the caller's
  place), with the transfer chain entry kind "replaces" by 1003 from 1001
  to 1003.

test_sipp_refer_with_replaces_attended_transfer:
  The transferrer 1002 is two SIPp instances. X2 calls baresip 1003 and logs
  its dialog; X1 (tests/sipp/call_uac_refer_replaces.xml) calls baresip 1001
  and, after the call is up, sends in-dialog REFER with
  "Refer-To: <sip:1003@PBX?Replaces=<call-id>%3Bto-tag%3D<PBX's tag>%3Bfrom-tag%3D<X2's tag>>",
  expects 202, NOTIFY "SIP/2.0 100 Trying" then NOTIFY "SIP/2.0 200 OK" with
  Subscription-State terminated (both answered 200), then the PBX's BYE.
  Checked: both SIPp scenarios exit 0 (so X1 and X2 each got a BYE), the
  two baresip phones stay up and hear each other (1001: 500 Hz then 1500 Hz;
  1003: 500 Hz then 1000 Hz, each ≥ 1.6 s, no transferrer tone afterwards),
  the PBX lists one call 1003 → 1001, a hang-up by 1001 reaches 1003, the
  CDR of the joined call carries the transfer chain entry kind "attended" by
  1002 from 1002 to 1003, and X2's call has its own CDR row ended by the
  transfer.
"""
import json
import re
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from calls_helpers import PW, cdr_rows, sipp_argv, start_pbx, wait_until
from conftest import _procs_for_report, free_port
from harness.procs import Proc
from harness.sipp import SCENARIOS, write_users
from test_calls_audio import phone, tone
from transfer_helpers import blocks, dominant_runs, recording, tones_of, total

MD5 = ("security:\n  digest_algorithms: [MD5]\n"
       "features:\n  voicemail: false\n  music_on_hold: false\n")
TONE = {"1001": 1000, "1002": 500, "1003": 1500}
DIALOG_RE = re.compile(r"dialog call-id=(\S+) from-tag=(\S+) to-tag=(\S+)")
_runs: list["SippRun"] = []


@pytest.fixture(autouse=True)
def _stop_sipp():
    """Every SIPp started by a test is stopped when it ends, pass or fail."""
    yield
    while _runs:
        _runs.pop().stop()


class SippRun(Proc):
    """A SIPp scenario running in the background from its own directory (with
    tone.wav, the µ-law tone it streams). Its output, as shown on failure,
    includes the message trace, the <log> lines and the errors file."""

    def __init__(self, pbx, workdir: Path, name: str, scenario: str, ext: str, callee: str,
                 hz: int, keys: dict, delay_ms: int = 0, timeout: float = 30,
                 extra: list[str] | None = None):
        self.dir = workdir / f"{name}-{free_port()}"
        self.dir.mkdir(parents=True)
        subprocess.run(["sox", "-n", "-r", "8000", "-c", "1", "-e", "mu-law",
                        str(self.dir / "tone.wav"), "synth", "40", "sine", str(hz), "gain", "-6"],
                       check=True)
        users = write_users(self.dir / "users.csv", [(ext, PW[ext])])
        self.logfile = self.dir / "dialog.log"
        argv = sipp_argv(SCENARIOS / f"{scenario}.xml", pbx.target, self.dir, free_port("both"),
                         {"callee": callee, **keys}, users, timeout=timeout,
                         extra=["-d", str(delay_ms), "-auth_uri", f"{callee}@{pbx.target}",
                                "-trace_logs", "-log_file", str(self.logfile)] + (extra or []))
        super().__init__(f"sipp-{name}", argv, self.dir / "sipp.log", cwd=self.dir)
        _procs_for_report.append(self)
        _runs.append(self)

    def output(self) -> str:
        extra = ""
        for f in sorted(self.dir.glob("*.log")):
            if f.name != "sipp.log":
                extra += f"\n--- {f.name} ---\n" + f.read_text(errors="replace")[-6000:]
        return super().output()[-3000:] + extra

    def messages(self) -> str:
        return "".join(f.read_text(errors="replace") for f in self.dir.glob("*_messages.log"))

    def dialog(self, timeout: float = 15) -> tuple[str, str, str]:
        """(Call-ID, its From tag, the PBX's To tag) from the scenario's <log>."""
        def found():
            try:
                return DIALOG_RE.search(self.logfile.read_text(errors="replace"))
            except OSError:
                return None
        wait_until(lambda: found() or not self.alive(), timeout)
        m = found()
        assert m, self.output()
        return m.group(1), m.group(2), m.group(3)


def _registrations(pbx) -> int:
    return len(pbx.get("/api/v1/registrations")[1]["registrations"])


def _transfers(row: dict) -> list[tuple]:
    return [(t["kind"], t["by"], t["from"], t["to"]) for t in json.loads(row["transfers"])]


def _dialog_keys(prefix: str) -> tuple[dict, list[str], str]:
    """-key ftag (the From tag) and -cid_str (SIPp's Call-ID pattern, "%u"
    = call number 1) for a scenario whose dialog the test names later."""
    cid = f"{prefix}-{uuid.uuid4().hex[:12]}"
    return {"ftag": f"{prefix}t{uuid.uuid4().hex[:8]}"}, ["-cid_str", f"{cid}-%u"], f"{cid}-1"


@pytest.mark.parametrize("tag_order", ["rfc3891", "swapped"])
def test_sipp_invite_with_replaces_takes_over_the_call(switchboard_factory, workdir,
                                                        tag_order):
    pbx = start_pbx(switchboard_factory, MD5)
    b = phone(workdir, pbx, "1002", tone(workdir / "b.wav", [(30.0, TONE["1002"])]))
    try:
        assert wait_until(lambda: _registrations(pbx) == 1, 15), pbx.get("/api/v1/registrations")
        keys1, cid_str, cid1 = _dialog_keys("sipp1")
        s1 = SippRun(pbx, workdir, "s1", "call_uac_log_dialog", "1001", "1002", TONE["1001"],
                     keys1, extra=cid_str)
        call_id, from_tag, to_tag = s1.dialog()
        assert (call_id, from_tag) == (cid1, keys1["ftag"]), s1.output()
        assert to_tag and to_tag != from_tag, s1.output()
        assert b.wait_event("CALL_ESTABLISHED", 10), b.proc.output()[-3000:]
        time.sleep(2.5)  # 1002 hears SIPp 1001's 1 kHz

        # Replaces as the PBX (its recipient) sees the dialog: to-tag is its
        # own (RFC 3891 §3); the PBX also accepts the tags the other way round.
        tags = {"rtotag": to_tag, "rftag": from_tag}
        if tag_order == "swapped":
            tags = {"rtotag": from_tag, "rftag": to_tag}
        s2 = SippRun(pbx, workdir, "s2", "call_uac_replaces", "1003", "1002", TONE["1003"],
                     {"rcid": call_id, **tags}, delay_ms=6000)
        # The replaced SIPp gets the PBX's BYE (its scenario ends with it).
        assert s1.wait(10) == 0, s1.output()
        assert f"Call-ID: {call_id}" in s1.messages()
        assert re.search(r"^BYE sip:", s1.messages(), re.M), s1.output()
        # 1002's phone stays in the call while SIPp 1003 streams for 6 s …
        assert not b.wait_event("CALL_CLOSED", 2.5), b.events
        # … then SIPp 1003 hangs up (BYE answered 200) and the phone is hung up.
        assert s2.wait(15) == 0, s2.output()
        assert re.search(r"^SIP/2.0 200 OK", s2.messages(), re.M), s2.output()
        assert b.wait_event("CALL_CLOSED", 10), b.proc.output()[-3000:]
        assert wait_until(lambda: pbx.get("/api/v1/calls")[1]["calls"] == [], 5), \
            pbx.get("/api/v1/calls")
    finally:
        b.stop()

    log = pbx.proc.output()
    assert "1003 replaces 1001 (INVITE with Replaces)" in log, log[-4000:]
    rows = cdr_rows(pbx, want=1)
    assert len(rows) == 1, rows
    row = rows[0]
    assert (row["caller"], row["callee"], row["disposition"]) == ("1003", "1002", "ANSWERED"), row
    assert _transfers(row) == [("replaces", "1003", "1001", "1003")], row
    heard = blocks(recording(workdir, "1002"))
    print("1002 heard", dominant_runs(heard))
    assert tones_of(heard)[:2] == [TONE["1001"], TONE["1003"]], dominant_runs(heard)
    # The relay passes SSRC/sequence/timestamps through, so 1002's phone sees
    # a new stream without any SIP; baresip 1.0 records only about half of
    # SIPp 1003's 6 s (≈ 3 s, though the CDR counts every packet): ≥ 1.6 s.
    assert total(heard, TONE["1003"]) >= 8, dominant_runs(heard)
    last_x = max(i for i, f in enumerate(heard) if f == TONE["1001"])
    assert last_x < heard.index(TONE["1003"]), dominant_runs(heard)


def test_sipp_refer_with_replaces_attended_transfer(switchboard_factory, workdir):
    pbx = start_pbx(switchboard_factory, MD5)
    a = phone(workdir, pbx, "1001", tone(workdir / "a.wav", [(40.0, TONE["1001"])]))
    c = phone(workdir, pbx, "1003", tone(workdir / "c.wav", [(40.0, TONE["1003"])]))
    try:
        assert wait_until(lambda: _registrations(pbx) == 2, 15), pbx.get("/api/v1/registrations")
        # X2 (1002) calls 1003: the consultation call, whose dialog X1 names.
        keys2, cid_str, cid2 = _dialog_keys("x2")
        x2 = SippRun(pbx, workdir, "x2", "call_uac_log_dialog", "1002", "1003", TONE["1002"],
                     keys2, extra=cid_str)
        call_id, from_tag, to_tag = x2.dialog()
        assert (call_id, from_tag) == (cid2, keys2["ftag"]), x2.output()
        assert c.wait_event("CALL_ESTABLISHED", 10), c.proc.output()[-3000:]

        # X1 (1002 too) calls 1001, and after 3 s REFERs 1001 to 1003 with
        # Replaces naming X2's dialog as the PBX sees it.
        x1 = SippRun(pbx, workdir, "x1", "call_uac_refer_replaces", "1002", "1001",
                     TONE["1002"], {"target": "1003", "rcid": call_id, "rtotag": to_tag,
                                    "rftag": from_tag}, delay_ms=3000)
        assert a.wait_event("CALL_ESTABLISHED", 10), a.proc.output()[-3000:]
        # X1: 202, NOTIFY 100 Trying, NOTIFY 200 OK (terminated), BYE — all
        # checked by its scenario, which exits 0 only after answering the BYE.
        assert x1.wait(15) == 0, x1.output()
        msgs = x1.messages()
        assert re.search(r"^SIP/2.0 202 ", msgs, re.M), x1.output()
        # The NOTIFYs X1 received (a retransmission counted once, by CSeq).
        notifies = list({re.search(r"^CSeq:.*$", n, re.M).group(0): n for n in re.findall(
            r"^NOTIFY .*?(?=^-{20}|\Z)", msgs, re.M | re.S)}.values())
        assert len(notifies) == 2, x1.output()
        assert "SIP/2.0 100 Trying" in notifies[0], notifies
        assert "SIP/2.0 200 OK" in notifies[1], notifies
        assert re.search(r"^Subscription-State: *terminated", notifies[1], re.M), notifies
        # The BYE came after the final NOTIFY.
        assert msgs.index(notifies[1]) < msgs.rindex("\nBYE sip:"), x1.output()
        assert re.search(r"^BYE sip:", msgs, re.M), x1.output()
        # X2's dialog was replaced: the PBX hung it up.
        assert x2.wait(5) == 0, x2.output()
        assert re.search(r"^BYE sip:", x2.messages(), re.M), x2.output()
        calls = pbx.get("/api/v1/calls")[1]["calls"]
        assert [(x["caller"], x["callee"], x["state"]) for x in calls] == [
            ("1003", "1001", "answered")], calls

        time.sleep(4.0)  # the two far parties talk
        assert not a.wait_event("CALL_CLOSED", 0.3), a.events
        assert not c.wait_event("CALL_CLOSED", 0.3), c.events
        a.command("hangup")
        assert c.wait_event("CALL_CLOSED", 10), c.proc.output()[-3000:]
        assert a.wait_event("CALL_CLOSED", 10), a.proc.output()[-3000:]
        assert wait_until(lambda: pbx.get("/api/v1/calls")[1]["calls"] == [], 5), \
            pbx.get("/api/v1/calls")
    finally:
        a.stop()
        c.stop()

    log = pbx.proc.output()
    assert re.search(r"1003 replaced 1002 \(attended\)", log), log[-4000:]
    rows = cdr_rows(pbx, want=2)
    joined = [r for r in rows if r["hangup_cause"] != "attended transfer"]
    consult = [r for r in rows if r["hangup_cause"] == "attended transfer"]
    assert len(joined) == 1 and len(consult) == 1, rows
    j = joined[0]
    assert (j["caller"], j["callee"], j["disposition"]) == ("1003", "1001", "ANSWERED"), j
    assert _transfers(j) == [("attended", "1002", "1002", "1003")], j
    assert (consult[0]["caller"], consult[0]["callee"], consult[0]["call_id"]) == (
        "1002", "1003", call_id), consult

    for ext, far in (("1001", "1003"), ("1003", "1001")):
        heard = blocks(recording(workdir, ext))
        print(ext, "heard", dominant_runs(heard))
        # First the transferrer's 500 Hz, then the other far party's tone.
        assert tones_of(heard)[:2] == [TONE["1002"], TONE[far]], (ext, dominant_runs(heard))
        assert total(heard, TONE[far]) >= 8, (ext, dominant_runs(heard))
        last_x = max(i for i, f in enumerate(heard) if f == TONE["1002"])
        assert last_x < heard.index(TONE[far]), (ext, dominant_runs(heard))
        assert TONE[ext] not in tones_of(heard), (ext, dominant_runs(heard))
