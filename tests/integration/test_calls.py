"""Issue 5 with real peers: SIPp callers and callees through the real
binary's B2BUA — basic call, cancel, busy, no answer, callee hangs up, hold
from each side, 488, 404, 480, parallel forking — and the CDR row each call
leaves in the store."""
import pytest

from calls_helpers import (Callee, call, calls_status, cdr_rows, reject_scenario, start_pbx,
                           wait_until)


@pytest.fixture
def pbx(switchboard_factory):
    # Issue 5's call paths as such: no mailbox takes busy/unanswered calls
    # and hold re-INVITEs pass between the phones (without music on hold).
    return start_pbx(switchboard_factory, extra="voicemail:\n  no_answer_timeout: 2\n"
                                                "features:\n  voicemail: false\n"
                                                "  music_on_hold: false\n")


def test_basic_call_caller_hangs_up(pbx, workdir):
    callee = Callee(pbx, workdir, "1002", "call_uas")
    r = call(pbx, workdir, "call_uac", "1002", delay_ms=1100)
    assert r.returncode == 0, r.log + pbx.proc.output()[-3000:]
    assert callee.wait() == 0, callee.log()
    rows = cdr_rows(pbx)
    assert len(rows) == 1, rows
    c = rows[0]
    assert (c["caller"], c["callee"], c["disposition"], c["status"]) == (
        "1001", "1002", "ANSWERED", "complete"), c
    assert c["hangup_side"] == "caller" and c["codec"] == "PCMU/8000", c
    assert c["answer_time"] and c["billsec_s"] >= 1 and c["duration_s"] >= c["billsec_s"], c
    assert c["caller_user_agent"] == "SIPp-caller" and c["callee_user_agent"] == "SIPp-callee", c
    st = calls_status(pbx)
    assert st["answered"] == 1 and wait_until(lambda: calls_status(pbx)["active"] == 0)
    assert wait_until(lambda: calls_status(pbx)["media_sessions"] == 0)


def test_callee_hangs_up(pbx, workdir):
    callee = Callee(pbx, workdir, "1002", "call_uas_hangup", delay_ms=300)
    r = call(pbx, workdir, "call_uac_wait_bye", "1002")
    assert r.returncode == 0, r.log
    assert callee.wait() == 0, callee.log()
    c = cdr_rows(pbx)[0]
    assert c["disposition"] == "ANSWERED" and c["hangup_side"] == "callee", c


def test_caller_cancels(pbx, workdir):
    callee = Callee(pbx, workdir, "1002", "call_uas_ring")
    r = call(pbx, workdir, "call_uac_cancel", "1002")
    assert r.returncode == 0, r.log
    assert callee.wait() == 0, callee.log()  # the PBX cancelled the outgoing leg
    c = cdr_rows(pbx)[0]
    assert c["disposition"] == "CANCELLED" and c["hangup_side"] == "caller", c
    assert c["answer_time"] is None and c["billsec_s"] == 0, c


def test_callee_busy(pbx, workdir):
    callee = Callee(pbx, workdir, "1002", "call_uas_busy")
    r = call(pbx, workdir, "call_uac_reject", "1002", keys={"pt": 0, "codec": "PCMU/8000"},
             text=reject_scenario(486))
    assert r.returncode == 0, r.log
    assert callee.wait() == 0, callee.log()
    assert cdr_rows(pbx)[0]["disposition"] == "BUSY"


def test_no_answer_times_out(pbx, workdir):
    callee = Callee(pbx, workdir, "1002", "call_uas_ring")
    started = time.monotonic()
    r = call(pbx, workdir, "call_uac_reject", "1002", keys={"pt": 0, "codec": "PCMU/8000"},
             text=reject_scenario(480))
    assert r.returncode == 0, r.log
    assert 1.5 < time.monotonic() - started < 6  # voicemail.no_answer_timeout: 2
    assert callee.wait() == 0, callee.log()
    c = cdr_rows(pbx)[0]
    assert c["disposition"] == "NO_ANSWER" and c["hangup_cause"] == "no answer", c


def test_hold_and_resume_by_caller(pbx, workdir):
    callee = Callee(pbx, workdir, "1002", "call_uas_reinvite")
    r = call(pbx, workdir, "call_uac_hold", "1002")
    assert r.returncode == 0, r.log
    assert callee.wait() == 0, callee.log()


def test_hold_by_callee(pbx, workdir):
    callee = Callee(pbx, workdir, "1002", "call_uas_hold")
    r = call(pbx, workdir, "call_uac_held", "1002")
    assert r.returncode == 0, r.log
    assert callee.wait() == 0, callee.log()


def test_no_common_codec_is_488(pbx, workdir):
    Callee(pbx, workdir, "1002", "call_uas")  # registered, never called
    r = call(pbx, workdir, "call_uac_reject", "1002", keys={"pt": 3, "codec": "GSM/8000"},
             text=reject_scenario(488))
    assert r.returncode == 0, r.log
    c = cdr_rows(pbx)[0]
    assert c["disposition"] == "FAILED" and c["hangup_cause"] == "no common codec", c


def test_unregistered_target_is_480(pbx, workdir):
    r = call(pbx, workdir, "call_uac_reject", "1003", keys={"pt": 0, "codec": "PCMU/8000"},
             text=reject_scenario(480))
    assert r.returncode == 0, r.log
    c = cdr_rows(pbx)[0]
    assert c["disposition"] == "FAILED" and c["hangup_cause"] == "not registered", c


def test_unknown_extension_is_404(pbx, workdir):
    r = call(pbx, workdir, "call_uac_reject", "1999", keys={"pt": 0, "codec": "PCMU/8000"},
             text=reject_scenario(404))
    assert r.returncode == 0, r.log


def test_parallel_forking_first_answer_wins(pbx, workdir):
    loser = Callee(pbx, workdir, "1002", "call_uas_ring")
    winner = Callee(pbx, workdir, "1002", "call_uas", delay_ms=500)
    regs = pbx.get("/api/v1/registrations")[1]["registrations"]
    assert len([b for b in regs if b["extension"] == "1002"]) == 2, regs
    r = call(pbx, workdir, "call_uac", "1002", delay_ms=300)
    assert r.returncode == 0, r.log
    assert winner.wait() == 0, winner.log()
    assert loser.wait() == 0, loser.log()  # it got the CANCEL
    c = cdr_rows(pbx)[0]
    assert c["disposition"] == "ANSWERED", c


import time  # noqa: E402


def test_crash_mid_call_leaves_an_interrupted_row(switchboard_factory, workdir):
    import signal
    import subprocess

    from calls_helpers import PW, sipp_argv
    from harness.procs import Proc
    from harness.sipp import SCENARIOS, write_users
    from conftest import free_port

    pbx = start_pbx(switchboard_factory)
    callee = Callee(pbx, workdir, "1002", "call_uas")
    d = workdir / "long-caller"
    d.mkdir()
    users = write_users(d / "users.csv", [("1001", PW["1001"])])
    caller = Proc("sipp-caller", sipp_argv(SCENARIOS / "call_uac.xml", pbx.target, d,
                                           free_port("both"), {"callee": "1002"}, users,
                                           extra=["-d", "20000", "-auth_uri",
                                                  f"1002@{pbx.target}"]),
                  d / "sipp.log", cwd=d)
    try:
        assert wait_until(lambda: calls_status(pbx)["answered"] == 1, 10), caller.output()
        rows = cdr_rows(pbx, want=0)
        assert [r["status"] for r in rows] == ["open"], rows
        pbx.proc.signal(signal.SIGKILL)
        pbx.proc.wait(5)
    finally:
        caller.stop()
        callee.proc.stop()
    again = switchboard_factory(pbx.config_path.read_text()).start()
    assert "marked interrupted" in again.proc.output()
    rows = cdr_rows(again, want=1)
    assert len(rows) == 1 and rows[0]["status"] == "interrupted", rows
    assert rows[0]["caller"] == "1001" and rows[0]["callee"] == "1002", rows
