"""Issue 7 §3, call forwarding, with real peers against the real binary:
SIPp callers and callees (tests/sipp) and baresip phones.

- unconditional (config): calling 1001 rings 1002's phone, never 1001's;
  the CDR says 1001 forwarded it and the event stream has call.forwarded;
- busy: 1001's phone answers 486, the call goes on to 1002 (with a
  Diversion header);
- no answer after the extension's own ringing time (3 s, while
  voicemail.no_answer_timeout is 10 s), measured from the CDR;
- feature codes from a baresip phone: *72 1003 then a call to 1001 lands on
  1003; *73 and 1001's phone rings again; *72 to an outside number without
  allow_external is refused;
- loops: 1001 ↔ 1002 unconditionally ends up ringing one phone, and busy
  rules pointing at each other ring each phone exactly once;
- a SIGHUP reload replaces the configured rule.
"""
import signal
import sqlite3
import time
from datetime import datetime
from pathlib import Path

from api_client import WebSocket
from calls_helpers import PW, Callee, call, cdr_rows
from conftest import free_port, minimal_config, wait_until
from harness.baresip import Baresip
from harness.sipp import SCENARIOS


def start_pbx(factory, forward: dict[str, str] | None = None, extra: str = ""):
    """Extensions 1001-1003 (1001 without allow_external), `forward` as
    extensions[].forward blocks (YAML text per extension)."""
    sip = free_port("both")
    rtp = free_port("udp") // 2 * 2
    base = 20000 + (rtp % 20000) // 100 * 100
    cfg = minimal_config(free_port(), sip, extensions=("1001", "1002", "1003"),
                         extra="security:\n  digest_algorithms: [MD5]\n"  # baresip 1.0
                               "dialplan:\n  external_pattern: ^0[0-9]{5,}$\n"
                               "voicemail:\n  no_answer_timeout: 10\n"
                               "features:\n  voicemail: false\n  music_on_hold: false\n" + extra)
    for ext, block in (forward or {}).items():
        cfg = cfg.replace(f"  name: User {ext}\n", f"  name: User {ext}\n  forward:\n{block}")
    cfg = cfg.replace("server:\n", f"server:\n  rtp_port_range_start: {base}\n"
                                   f"  rtp_port_range_end: {base + 99}\n", 1)
    sb = factory(cfg).start()
    sb.sip_port = sip
    sb.target = f"127.0.0.1:{sip}"
    return sb


def forwarded_caller() -> str:
    """call_uac.xml that also takes 181 Call Is Being Forwarded (and a second 180)."""
    text = (SCENARIOS / "call_uac.xml").read_text()
    ringing = '  <recv response="180" optional="true"/>\n'
    assert text.count(ringing) == 1
    return text.replace(ringing, ringing + '  <recv response="181" optional="true"/>\n' + ringing)


def invites(callee: Callee) -> int:
    """INVITEs the SIPp callee received (its -trace_msg log)."""
    n = 0
    for log in callee.dir.glob("*_messages.log"):
        n += sum(1 for line in log.read_text(errors="replace").splitlines()
                 if line.startswith("INVITE sip:"))
    return n


def header_lines(callee: Callee, name: str) -> list[str]:
    """The `name` header lines in what the SIPp callee received."""
    return [line for log in callee.dir.glob("*_messages.log")
            for line in log.read_text(errors="replace").splitlines()
            if line.lower().startswith(name.lower() + ":")]


def db_rows(pbx, sql: str) -> list[dict]:
    con = sqlite3.connect(f"file:{pbx.workdir / 'var' / 'switchboard.db'}?mode=ro", uri=True,
                          timeout=5)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute(sql)]
    finally:
        con.close()


def iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def phone(workdir: Path, pbx, ext: str) -> Baresip:
    d = workdir / f"phone-{ext}-{time.monotonic_ns()}"
    return Baresip(d, account=f"<sip:{ext}@127.0.0.1:{pbx.sip_port}>;auth_pass={PW[ext]};"
                              f"regint=60;audio_codecs=PCMU")


def registered(pbx, ext: str) -> bool:
    regs = pbx.get("/api/v1/registrations")[1]["registrations"]
    return any(r.get("extension") == ext for r in regs)


def test_unconditional_forward_rings_the_target_and_is_recorded(switchboard_factory, workdir):
    pbx = start_pbx(switchboard_factory, {"1001": "    always: '1002'\n"})
    ws = WebSocket(pbx.http_port, "/api/v1/events", pbx.token)
    assert ws.status == 101
    # Filtered on 1001, which is neither caller nor final callee: the
    # event concerns the forwarding extension too.
    ws.send_json({"action": "subscribe", "types": ["call.forwarded"], "extensions": ["1001"]})
    assert ws.recv_json()["type"] == "subscribed"
    own = Callee(pbx, workdir, "1001", "call_uas_ring")
    target = Callee(pbx, workdir, "1002", "call_uas")
    r = call(pbx, workdir, "call_uac", "1001", caller="1003", text=forwarded_caller(),
             delay_ms=500)
    assert r.returncode == 0, r.log + pbx.proc.output()[-3000:]
    assert target.wait() == 0, target.log()
    own.proc.stop()
    assert invites(own) == 0 and invites(target) == 1
    e = ws.recv_json()
    assert e["type"] == "call.forwarded", e
    assert (e["data"]["forwarded_from"], e["data"]["callee"], e["data"]["forward_reason"],
            e["data"]["dialed"]) == ("1001", "1002", "always", "1001"), e
    c = cdr_rows(pbx)[0]
    assert (c["caller"], c["callee"], c["forwarded_from"], c["forward_reason"],
            c["forward_loop"], c["disposition"]) == ("1003", "1002", "1001", "always", 0,
                                                     "ANSWERED"), c
    # The REST API lists it among 1001's calls, saying so.
    _, page = pbx.get("/api/v1/cdr?extension=1001")
    assert [(x["callee"], x["forwarded_from"], x["forward_reason"]) for x in page["records"]] == [
        ("1002", "1001", "always")], page


def test_busy_forward(switchboard_factory, workdir):
    pbx = start_pbx(switchboard_factory, {"1001": "    busy: '1002'\n"})
    busy = Callee(pbx, workdir, "1001", "call_uas_busy")
    target = Callee(pbx, workdir, "1002", "call_uas")
    r = call(pbx, workdir, "call_uac", "1001", caller="1003", text=forwarded_caller(),
             delay_ms=500)
    assert r.returncode == 0, r.log + pbx.proc.output()[-3000:]
    assert busy.wait() == 0, busy.log()
    assert target.wait() == 0, target.log()
    assert invites(busy) == 1 and invites(target) == 1
    # RFC 5806: the new target's phone learns whom the call was for, and why.
    assert header_lines(busy, "Diversion") == []
    div = header_lines(target, "Diversion")
    assert len(div) == 1 and "<sip:1001@" in div[0] and "reason=user-busy" in div[0], div
    c = cdr_rows(pbx)[0]
    assert (c["callee"], c["forwarded_from"], c["forward_reason"], c["disposition"]) == (
        "1002", "1001", "busy", "ANSWERED"), c


def test_no_answer_forward_after_its_own_timeout(switchboard_factory, workdir):
    pbx = start_pbx(switchboard_factory,
                    {"1001": "    no_answer: '1002'\n    no_answer_timeout: 3\n"})
    ringing = Callee(pbx, workdir, "1001", "call_uas_ring")
    target = Callee(pbx, workdir, "1002", "call_uas")
    r = call(pbx, workdir, "call_uac", "1001", caller="1003", text=forwarded_caller(),
             delay_ms=500)
    assert r.returncode == 0, r.log + pbx.proc.output()[-3000:]
    assert ringing.wait() == 0, ringing.log()  # cancelled by the PBX
    assert target.wait() == 0, target.log()
    c = cdr_rows(pbx)[0]
    assert (c["callee"], c["forwarded_from"], c["forward_reason"]) == ("1002", "1001",
                                                                       "no_answer"), c
    rang = (iso(c["answer_time"]) - iso(c["start_time"])).total_seconds()
    print(f"no-answer forward: answered by 1002 {rang:.3f} s after the call started "
          f"(own timeout 3 s, voicemail.no_answer_timeout 10 s)")
    assert 3.0 <= rang < 4.5, rang


def test_feature_codes_from_a_phone(switchboard_factory, workdir):
    pbx = start_pbx(switchboard_factory)
    p = phone(workdir, pbx, "1001")
    try:
        assert wait_until(lambda: registered(pbx, "1001"), 15)
        # *72 1003: confirmed by a prompt, then the PBX hangs up.
        p.command("dial", f"sip:*721003@127.0.0.1:{pbx.sip_port}")
        assert p.wait_event("CALL_ESTABLISHED", 10), p.proc.output()[-3000:]
        assert p.wait_event("CALL_CLOSED", 20), p.proc.output()[-3000:]
        rows = wait_until(lambda: db_rows(pbx, "SELECT * FROM call_forwarding"), 5)
        assert [(x["extension"], x["forward_on"], x["target"]) for x in rows] == [
            ("1001", "always", "1003")], rows
        target = Callee(pbx, workdir, "1003", "call_uas")
        r = call(pbx, workdir, "call_uac", "1001", caller="1002", text=forwarded_caller(),
                 delay_ms=500)
        assert r.returncode == 0, r.log + pbx.proc.output()[-3000:]
        assert target.wait() == 0, target.log()
        assert p.wait_event("CALL_INCOMING", 1.0) is None, p.events  # 1001's phone stayed quiet
        # *73: off again; a call to 1001 rings 1001's phone (which answers).
        p.events.clear()
        p.command("dial", f"sip:*73@127.0.0.1:{pbx.sip_port}")
        assert p.wait_event("CALL_ESTABLISHED", 10), p.proc.output()[-3000:]
        assert p.wait_event("CALL_CLOSED", 20), p.proc.output()[-3000:]
        assert wait_until(lambda: db_rows(pbx, "SELECT target FROM call_forwarding")
                          == [{"target": ""}], 5)
        p.events.clear()
        r = call(pbx, workdir, "call_uac", "1001", caller="1002", delay_ms=500)
        assert r.returncode == 0, r.log + pbx.proc.output()[-3000:]
        assert p.wait_event("CALL_INCOMING", 5) or p.wait_event("CALL_ESTABLISHED", 5), p.events
        # An outside number: 1001 has no allow_external — refused, nothing stored.
        p.events.clear()
        p.command("dial", f"sip:*72004930123456@127.0.0.1:{pbx.sip_port}")
        assert p.wait_event("CALL_ESTABLISHED", 10), p.proc.output()[-3000:]
        assert p.wait_event("CALL_CLOSED", 20), p.proc.output()[-3000:]
        assert db_rows(pbx, "SELECT target FROM call_forwarding") == [{"target": ""}]
        assert "may not call outside" in pbx.proc.output()
    finally:
        p.stop()


def test_unconditional_loop_rings_one_phone(switchboard_factory, workdir):
    pbx = start_pbx(switchboard_factory, {"1001": "    always: '1002'\n",
                                          "1002": "    always: '1001'\n"})
    a = Callee(pbx, workdir, "1001", "call_uas_ring")
    b = Callee(pbx, workdir, "1002", "call_uas")
    r = call(pbx, workdir, "call_uac", "1001", caller="1003", text=forwarded_caller(),
             delay_ms=500)
    assert r.returncode == 0, r.log + pbx.proc.output()[-3000:]
    assert b.wait() == 0, b.log()
    time.sleep(0.5)
    a.proc.stop()
    assert (invites(a), invites(b)) == (0, 1)
    c = cdr_rows(pbx)[0]
    assert (c["callee"], c["forwarded_from"], c["forward_loop"]) == ("1002", "1001", 1), c
    assert "forwarding loop" in pbx.proc.output()


def test_busy_loop_rings_each_phone_once(switchboard_factory, workdir):
    pbx = start_pbx(switchboard_factory, {"1001": "    busy: '1002'\n",
                                          "1002": "    busy: '1001'\n"})
    a = Callee(pbx, workdir, "1001", "call_uas_busy")
    b = Callee(pbx, workdir, "1002", "call_uas_busy")
    reject = (SCENARIOS / "call_uac_reject.xml").read_text().replace("@STATUS@", "486")
    ringing = '  <recv response="180" optional="true"/>\n'
    assert reject.count(ringing) == 1
    reject = reject.replace(ringing, ringing + '  <recv response="181" optional="true"/>\n')
    r = call(pbx, workdir, "call_uac_reject", "1001", caller="1003", text=reject,
             keys={"pt": 0, "codec": "PCMU/8000"})
    assert r.returncode == 0, r.log + pbx.proc.output()[-3000:]
    assert a.wait() == 0, a.log()
    assert b.wait() == 0, b.log()
    assert (invites(a), invites(b)) == (1, 1)
    c = cdr_rows(pbx)[0]
    assert (c["disposition"], c["forwarded_from"], c["forward_loop"]) == ("BUSY", "1001", 1), c


def test_reload_changes_the_configured_rule(switchboard_factory, workdir):
    pbx = start_pbx(switchboard_factory, {"1001": "    always: '1002'\n"})
    # SIGHUP with the rule now on busy: 1001's own phone rings again.
    text = pbx.config_path.read_text().replace("    always: '1002'\n", "    busy: '1002'\n")
    assert "busy: '1002'" in text
    pbx.config_path.write_text(text)
    pbx.signal(signal.SIGHUP)
    assert pbx.proc.wait_for_output("configuration reloaded", 10), pbx.proc.output()[-2000:]
    own = Callee(pbx, workdir, "1001", "call_uas_busy")
    target = Callee(pbx, workdir, "1002", "call_uas")
    r = call(pbx, workdir, "call_uac", "1001", caller="1003", text=forwarded_caller(),
             delay_ms=500)
    assert r.returncode == 0, r.log + pbx.proc.output()[-3000:]
    assert own.wait() == 0, own.log()
    assert target.wait() == 0, target.log()
    assert (invites(own), invites(target)) == (1, 1)
    c = cdr_rows(pbx)[0]
    assert (c["callee"], c["forward_reason"]) == ("1002", "busy"), c
