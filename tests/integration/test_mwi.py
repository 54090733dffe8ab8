"""Issue 8 §6 with real peers: message-waiting indication. SIPp subscribes to
message-summary (RFC 6665/3842) with digest auth against the real binary and
checks every NOTIFY; counts come from voicemail rows in the SQLite store; a
phone that never subscribes gets unsolicited NOTIFYs when the config asks."""
import re
import time
import sqlite3
from pathlib import Path

from conftest import free_port, minimal_config, wait_until
from harness.sipp import SCENARIOS, run_scenario, write_users

PW = {n: f"Pass-word-{n}!" for n in ("1001", "1002")}  # as minimal_config writes them
OOC = SCENARIOS / "mwi_ooc_notify.xml"  # answers out-of-dialog NOTIFYs


def start_pbx(factory, extra: str = ""):
    sip = free_port("both")
    sb = factory(minimal_config(free_port(), sip, extra=extra)).start()
    sb.sip_port = sip
    sb.target = f"127.0.0.1:{sip}"
    return sb


def add_messages(sb, mailbox: str, folder: str, n: int) -> None:
    """Voicemail rows as the voicemail feature stores them (the PBX has
    migrated the store at start-up; SQLite lets a second writer in)."""
    db = sqlite3.connect(sb.workdir / "var" / "switchboard.db", timeout=10)
    with db:
        for i in range(n):
            db.execute(
                "INSERT INTO voicemail_messages (mailbox, caller_id, caller_name, received_at,"
                " duration_ms, folder, is_read, file_path) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (mailbox, "1002", "User 1002", f"2026-11-24T10:0{i % 10}:00.000Z", 4000, folder,
                 1 if folder == "saved" else 0, f"voicemail/{mailbox}/msg{folder}{i}.wav"))
    db.close()


def received(message_log: Path) -> list[str]:
    """The messages SIPp received, from its -trace_msg file."""
    text = message_log.read_text(errors="replace")
    parts = re.split(r"^-{10,}.*$", text, flags=re.M)
    out = []
    for p in parts:
        m = re.search(r"message received \[\d+\] bytes :\s*\n\n(.*)", p, flags=re.S)
        if m:
            out.append(m.group(1).strip("\n").replace("\r\n", "\n"))
    return out


def header(msg: str, name: str) -> str | None:
    m = re.search(rf"^{re.escape(name)}:\s*(.*)$", msg, flags=re.M | re.I)
    return m.group(1).strip() if m else None


def body(msg: str) -> str:
    """The body without its final line break (the message log trims it)."""
    return msg.split("\n\n", 1)[1].rstrip("\n") if "\n\n" in msg else ""


def notifies(message_log: Path) -> list[str]:
    return [m for m in received(message_log) if m.startswith("NOTIFY ")]


def summary(account: str, new: int, old: int) -> str:
    waiting = "yes" if new > 0 else "no"
    return (f"Messages-Waiting: {waiting}\nMessage-Account: {account}\n"
            f"Voice-Message: {new}/{old} (0/0)")


def subscribe_run(sb, workdir: Path, name: str = "mwi_subscribe", user: str = "1001",
                  keys: dict | None = None, mailbox: str | None = None):
    users = write_users(workdir / f"users-{user}.csv", [(user, PW[user])])
    log = workdir / f"{name}-{free_port()}-messages.log"
    r = run_scenario(name, sb.target, workdir, users, keys=keys,
                     extra=["-auth_uri", f"{mailbox or user}@{sb.target}", "-trace_msg",
                            "-message_file", str(log)])
    return r, log


def test_subscribe_notify_refresh_unsubscribe(switchboard_factory, workdir):
    sb = start_pbx(switchboard_factory)
    add_messages(sb, "1001", "new", 2)
    add_messages(sb, "1001", "saved", 3)
    add_messages(sb, "1002", "new", 4)  # somebody else's: must not show
    add_messages(sb, "1001", "deleted", 1)  # not counted
    users = write_users(workdir / "reg.csv", [("1001", PW["1001"])])
    reg = run_scenario("register_auth", sb.target, workdir, users, keys={"expires": 600})
    assert reg.returncode == 0, reg.log

    r, log = subscribe_run(sb, workdir)
    assert r.returncode == 0 and r.count("SuccessfulCall(C)") == 1, r.log
    n = notifies(log)
    assert len(n) == 3, n  # subscribe, refresh, unsubscribe (no change in between)
    account = "sip:1001@127.0.0.1"
    for m in n:
        assert header(m, "Event") == "message-summary"
        assert header(m, "Content-Type") == "application/simple-message-summary"
        assert body(m) == summary(account, 2, 3), m
    assert re.fullmatch(r"active;expires=(600|599)", header(n[0], "Subscription-State"))
    assert re.fullmatch(r"active;expires=(300|299)", header(n[1], "Subscription-State"))
    assert header(n[2], "Subscription-State") == "terminated;reason=timeout"
    cseqs = [int(header(m, "CSeq").split()[0]) for m in n]
    assert cseqs == sorted(cseqs) and len(set(cseqs)) == 3, cseqs  # one dialog, CSeq grows
    assert len({header(m, "Call-ID") for m in n}) == 1
    assert "message-summary subscription 1 by 1001 to 1001" in sb.proc.output()
    assert "unsubscribed" in sb.proc.output()


def test_counts_follow_the_store_on_each_subscribe(switchboard_factory, workdir):
    sb = start_pbx(switchboard_factory)
    r, log = subscribe_run(sb, workdir)
    assert r.returncode == 0, r.log
    assert body(notifies(log)[0]) == summary("sip:1001@127.0.0.1", 0, 0)
    add_messages(sb, "1001", "new", 1)
    r, log = subscribe_run(sb, workdir)
    assert r.returncode == 0, r.log
    assert body(notifies(log)[0]) == summary("sip:1001@127.0.0.1", 1, 0)


def test_refusals(switchboard_factory, workdir):
    sb = start_pbx(switchboard_factory)
    cases = [  # (mailbox, event, expires, status)
        ("1002", "message-summary", 600, 403),  # somebody else's mailbox
        ("1001", "x-no-such-package", 600, 489),
        ("1001", "message-summary", 10, 423),
    ]
    for mailbox, event, expires, status in cases:
        r, log = subscribe_run(sb, workdir, "mwi_subscribe_refused", mailbox=mailbox,
                               keys={"mailbox": mailbox, "event": event, "expires": expires})
        assert r.returncode == 0, r.log
        final = [m for m in received(log) if m.startswith("SIP/2.0 ")][-1]
        assert final.startswith(f"SIP/2.0 {status} "), final
        if status == 489:
            assert "message-summary" in header(final, "Allow-Events")
        if status == 423:
            assert header(final, "Min-Expires") == "60"
    assert "refused 403" in sb.proc.output()


def test_unsolicited_notify_for_phones_that_never_subscribe(switchboard_factory, workdir):
    sb = start_pbx(switchboard_factory,
                   extra="voicemail:\n  mwi:\n    unsolicited_notify: true\n")
    add_messages(sb, "1001", "new", 1)
    add_messages(sb, "1001", "saved", 2)
    users = write_users(workdir / "reg.csv", [("1001", PW["1001"])])
    log = workdir / "unsolicited-messages.log"
    r = run_scenario("mwi_unsolicited", sb.target, workdir, users,
                     extra=["-trace_msg", "-message_file", str(log), "-oocsf", str(OOC)])
    assert r.returncode == 0, r.log
    n = notifies(log)
    assert n, received(log)
    assert header(n[0], "To") == "<sip:1001@127.0.0.1>"
    assert body(n[0]) == summary("sip:1001@127.0.0.1", 1, 2)


def test_no_unsolicited_notify_by_default(switchboard_factory, workdir):
    sb = start_pbx(switchboard_factory)
    add_messages(sb, "1001", "new", 1)
    users = write_users(workdir / "reg.csv", [("1001", PW["1001"])])
    log = workdir / "default-messages.log"
    r = run_scenario("mwi_unsolicited", sb.target, workdir, users,
                     extra=["-trace_msg", "-message_file", str(log), "-oocsf", str(OOC)])
    assert r.returncode == 0, r.log
    assert received(log), "the message log is read"  # the 401 and the 200 at least
    assert notifies(log) == []  # 2.5 s after registering: none came


def test_baresip_mwi_module_gets_the_counts(switchboard_factory, workdir):
    """baresip's mwi module subscribes to message-summary once registered
    (with its account's credentials) and reports each NOTIFY body as an
    MWI_NOTIFY event."""
    from harness.baresip import Baresip

    # baresip 1.0 answers only an MD5 challenge it finds first (see test_registrar).
    sb = start_pbx(switchboard_factory, "security:\n  digest_algorithms: [MD5]\n")
    add_messages(sb, "1001", "new", 3)
    add_messages(sb, "1001", "saved", 1)
    phone = Baresip(workdir / "baresip", extra=["module mwi.so"])
    try:
        phone.command("uanew",
                      f"<sip:1001@127.0.0.1:{sb.sip_port}>;auth_pass={PW['1001']};regint=600")
        # Waiting for MWI_NOTIFY itself: Baresip.wait_event() leaves events that
        # came in the same read as the one it waited for unparsed.
        ev = phone.wait_event("MWI_NOTIFY", timeout=20)
        assert ev is not None, phone.proc.output() + sb.proc.output()[-5000:]
        assert any(e.get("type") == "REGISTER_OK" for e in phone.events), phone.events
        text = ev.get("param", "").replace("\r\n", "\n")
        assert "Messages-Waiting: yes" in text and "Voice-Message: 3/1 (0/0)" in text, ev
        assert wait_until(lambda: "message-summary subscription" in sb.proc.output(), 5)
    finally:
        phone.stop()


def test_a_message_left_lights_the_lamp(switchboard_factory, workdir):
    """The whole path: baresip 1002 (mwi module) is subscribed and sees 0/0;
    1001 calls it, nobody answers, 1001 leaves a spoken message; 1002 gets a
    NOTIFY with 1 new message."""
    from calls_helpers import PW as CALL_PW
    from harness.baresip import Baresip
    from test_voicemail import messages, phone, speech_after_silence, start_vm_pbx

    pbx = start_vm_pbx(switchboard_factory, "  no_answer_timeout: 2\n")
    lamp = Baresip(workdir / "lamp", extra=["module mwi.so"])
    # Added once ctrl_tcp listens, so no event is lost; it rings, nobody answers.
    lamp.command("uanew", f"<sip:1002@127.0.0.1:{pbx.sip_port}>;auth_pass={CALL_PW['1002']};"
                          "regint=60;answermode=manual")
    # Speech from the start for about 30 s: whatever the greeting's length,
    # speech follows the beep (no silence ends the recording early).
    audio = speech_after_silence(workdir / "caller.wav", 0.5, " ".join(
        ["Hello, this is Ada calling about the quarterly report and the budget."] * 6), 1.0)
    caller = None
    try:
        first = lamp.wait_event("MWI_NOTIFY", timeout=20)
        assert first is not None, lamp.proc.output() + pbx.proc.output()[-3000:]
        assert "Voice-Message: 0/0 (0/0)" in first.get("param", ""), first
        lamp.events = [e for e in lamp.events if e.get("type") != "MWI_NOTIFY"]
        caller = phone(workdir, pbx, "1001", audio)
        assert wait_until(lambda: len(pbx.get("/api/v1/registrations")[1]["registrations"]) >= 2,
                          15)
        caller.command("dial", f"sip:1002@127.0.0.1:{pbx.sip_port}")
        assert caller.wait_event("CALL_ESTABLISHED", 20), caller.proc.output()[-3000:]
        assert caller.wait_event("CALL_CLOSED", 45), caller.proc.output()[-3000:]
        assert wait_until(lambda: messages(pbx, "1002"), 10), pbx.proc.output()[-3000:]
        lit = lamp.wait_event("MWI_NOTIFY", timeout=15)
        assert lit is not None, lamp.proc.output() + pbx.proc.output()[-3000:]
        text = lit.get("param", "").replace("\r\n", "\n")
        assert "Messages-Waiting: yes" in text and "Voice-Message: 1/0 (0/0)" in text, lit
    finally:
        if caller:
            caller.stop()
        lamp.stop()


def test_messages_changed_through_the_api_update_the_lamp(switchboard_factory, workdir):
    """Issue 8 §6 "on every change": a message marked read (moved to saved)
    and one deleted through the REST API each bring a NOTIFY with the new
    counts to the subscribed baresip."""
    from api_client import Api
    from harness.baresip import Baresip

    sb = start_pbx(switchboard_factory, "security:\n  digest_algorithms: [MD5]\n")
    add_messages(sb, "1001", "new", 2)
    api = Api(sb.http_port, sb.token)
    ids = [m["id"] for m in api.get("/api/v1/voicemail/1001/messages").json["messages"]]
    assert len(ids) == 2, ids
    phone = Baresip(workdir / "baresip", extra=["module mwi.so"])

    def summary_with(text, timeout=10):
        """The first NOTIFY body carrying `text` (earlier ones may repeat the
        previous counts: the initial NOTIFY of a refresh)."""
        seen = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ev = phone.wait_event("MWI_NOTIFY", timeout=max(0.1, deadline - time.monotonic()))
            if ev is None:
                break
            phone.events.remove(ev)  # wait_event() returns the first one it kept
            body = ev.get("param", "").replace("\r\n", "\n")
            if text in body:
                return body
            seen.append(body)
        raise AssertionError((text, seen[-5:], sb.proc.output()[-3000:]))

    try:
        phone.command("uanew",
                      f"<sip:1001@127.0.0.1:{sb.sip_port}>;auth_pass={PW['1001']};regint=600")
        summary_with("Voice-Message: 2/0 (0/0)", 20)
        r = api.request("PATCH", f"/api/v1/voicemail/1001/messages/{ids[0]}",
                        body={"read": True, "folder": "saved"})
        assert r.status == 200, r
        summary_with("Voice-Message: 1/1 (0/0)")
        assert api.request("DELETE", f"/api/v1/voicemail/1001/messages/{ids[1]}").status == 204
        text = summary_with("Voice-Message: 0/1 (0/0)")
        assert "Messages-Waiting: no" in text, text
    finally:
        phone.stop()
