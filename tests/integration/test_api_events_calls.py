"""Issue 9 §4 with real peers: the WebSocket event stream carries
`call.bridged` when the PBX connects two baresip phones, then one
`call.dtmf` per digit either phone sends (RFC 4733 from baresip's
`sndcode`), in order, with the sender's party and number — without call
codes configured. Subscribers filtering on another extension see none of it.
A call answered by an application (voicemail) is not bridged, and the PIN
keyed into it is the application's, not an event."""
import socket
import time

from api_client import WebSocket
from calls_helpers import start_pbx, wait_until
from test_calls_audio import phone, tone
from test_voicemail import PINS, send_digits, start_vm_pbx

TYPES = ["call.bridged", "call.dtmf"]


def subscribe(pbx, **filters) -> WebSocket:
    ws = WebSocket(pbx.http_port, "/api/v1/events", pbx.token)
    assert ws.status == 101
    ws.send_json({"action": "subscribe", **filters})
    ack = ws.recv_json()
    assert ack["type"] == "subscribed", ack
    return ws


def receive(ws: WebSocket, n: int) -> list[dict]:
    return [ws.recv_json() for _ in range(n)]


def nothing_more(ws: WebSocket, wait: float = 1.5) -> bool:
    ws.sock.settimeout(wait)
    try:
        return ws.recv_json() is None
    except (socket.timeout, TimeoutError):
        return True


def test_bridged_then_dtmf_of_both_parties_in_order(switchboard_factory, workdir):
    pbx = start_pbx(switchboard_factory,
                    "security:\n  digest_algorithms: [MD5]\n"
                    "features:\n  voicemail: false\n  music_on_hold: false\n")
    everything = subscribe(pbx, types=TYPES)
    callee_only = subscribe(pbx, types=TYPES, extensions=["1002"])
    someone_else = subscribe(pbx, types=TYPES, extensions=["1003"])
    a = phone(workdir, pbx, "1001", tone(workdir / "a.wav", [(20.0, 1000)]))
    b = phone(workdir, pbx, "1002", tone(workdir / "b.wav", [(20.0, 500)]))
    try:
        regs = lambda: pbx.get("/api/v1/registrations")[1]["registrations"]  # noqa: E731
        assert wait_until(lambda: len(regs()) == 2, 15), regs()
        a.command("dial", f"sip:1002@127.0.0.1:{pbx.sip_port}")
        assert a.wait_event("CALL_ESTABLISHED", 15), a.proc.output()[-3000:]
        assert b.wait_event("CALL_ESTABLISHED", 5), b.proc.output()[-3000:]
        time.sleep(2.5)  # RTP flowing both ways (baresip drops events sent before)
        send_digits(a, "12#")
        send_digits(b, "*9")
        time.sleep(1.0)
        a.command("hangup")
        assert b.wait_event("CALL_CLOSED", 10), b.proc.output()[-3000:]
    finally:
        a.stop()
        b.stop()

    log = pbx.proc.output()[-3000:]
    for ws in (everything, callee_only):
        got = receive(ws, 6)
        assert [e["seq"] for e in got] == [1, 2, 3, 4, 5, 6], got
        bridged, digits = got[0], got[1:]
        assert bridged["type"] == "call.bridged", (got, log)
        call_id = bridged["data"]["call_id"]
        assert call_id and bridged["data"]["caller"] == "1001", bridged
        assert bridged["data"]["callee"] == "1002" and bridged["data"]["reason"] == "answer"
        assert all(e["type"] == "call.dtmf" and e["data"]["call_id"] == call_id
                   for e in digits), got
        assert [(e["data"]["party"], e["data"]["number"], e["data"]["digit"]) for e in digits] == [
            ("caller", "1001", "1"), ("caller", "1001", "2"), ("caller", "1001", "#"),
            ("callee", "1002", "*"), ("callee", "1002", "9")], (digits, log)
        assert nothing_more(ws), "one event per digit"
    assert nothing_more(someone_else), "a call of 1001 and 1002 is not 1003's"
    for ws in (everything, callee_only, someone_else):
        ws.close()


def test_an_application_call_is_not_bridged_and_its_digits_stay_private(
        switchboard_factory, workdir):
    pbx = start_vm_pbx(switchboard_factory)
    ws = subscribe(pbx, types=["call.answered"] + TYPES)
    a = phone(workdir, pbx, "1001", tone(workdir / "a.wav", [(20.0, 0)]))
    try:
        regs = lambda: pbx.get("/api/v1/registrations")[1]["registrations"]  # noqa: E731
        assert wait_until(lambda: len(regs()) == 1, 15), regs()
        a.command("dial", f"sip:*1001@127.0.0.1:{pbx.sip_port}")
        assert a.wait_event("CALL_ESTABLISHED", 15), a.proc.output()[-3000:]
        time.sleep(4.5)  # RTP flowing; the mailbox prompt runs
        send_digits(a, PINS["1001"] + "#")
        # The digits did reach the voicemail application: it logged in.
        assert wait_until(lambda: "mailbox 1001: login" in pbx.proc.output(), 5), \
            pbx.proc.output()[-3000:]
        a.command("hangup")
        assert a.wait_event("CALL_CLOSED", 10), a.proc.output()[-3000:]
    finally:
        a.stop()
    answered = ws.recv_json()
    assert answered["type"] == "call.answered" and answered["data"]["callee"] == "1001", answered
    assert nothing_more(ws), "no call.bridged, no call.dtmf for a voicemail call"
    ws.close()
