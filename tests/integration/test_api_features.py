"""Issue 9 against the real binary, the endpoints beyond calls: voicemail on
the store (list, paginate, download the WAV, mark read/unread, move, delete
row and file; voicemail.read/deleted events; a user only in their own
mailbox), presence (set and read, derived offline/busy from SIPp
registrations and a real baresip call, presence events, kept across a
restart), queues with their agents' state, parked calls (empty until the
parking feature plugs in), the /metrics series added for them (voicemail,
queues, CPS, RTP, SIP transactions) and a slow WebSocket consumer that is
dropped while another client keeps receiving. Every JSON response is
validated against the server's OpenAPI document."""
import socket
import sqlite3
import time
import wave
from pathlib import Path

import pytest

from api_client import Api, OpenApi, WebSocket
from calls_helpers import PW, cdr_rows, start_pbx
from conftest import free_port, minimal_config, wait_until
from harness.baresip import Baresip, make_tone_wav
from harness.sipp import run_scenario, write_users
from test_api import make_token

QUEUES = ("queues:\n- number: '8001'\n  name: Support\n  strategy: round_robin\n"
          "  max_wait_time: 120\n  agents: ['1001', '1002']\n"
          "- number: '8002'\n  name: Sales\n  agents: ['1002']\n")


def metrics(api: Api) -> dict:
    out = {}
    for line in api.get("/metrics").body.decode().splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            out[name] = float(value)
    return out


@pytest.fixture
def pbx(switchboard_factory, workdir):
    sip = free_port("both")
    vm = workdir / "vm"
    extra = f"voicemail:\n  storage_path: {vm}\n" + QUEUES
    sb = switchboard_factory(minimal_config(free_port(), sip, ("1001", "1002", "1003"),
                                            extra=extra)).start()
    sb.target = f"127.0.0.1:{sip}"
    sb.vm = vm
    sb.openapi = OpenApi(Api(sb.http_port).get("/api/v1/openapi.json").json)
    sb.api = {
        "admin": Api(sb.http_port, sb.token, openapi=sb.openapi),
        "operator": Api(sb.http_port, make_token(sb, "operator", "op"), openapi=sb.openapi),
        "user": Api(sb.http_port, make_token(sb, "user", "u1001", "1001"), openapi=sb.openapi),
    }
    sb.user_token = sb.api["user"].token
    return sb


def register(sb, ext: str, scenario: str = "register_auth"):
    users = write_users(sb.workdir / f"u{ext}-{time.monotonic_ns()}.csv",
                        [(ext, f"Pass-word-{ext}!")])
    r = run_scenario(scenario, sb.target, sb.workdir, users, keys={"expires": 600})
    assert r.returncode == 0, r.log


def subscribe(sb, token, **filters) -> WebSocket:
    ws = WebSocket(sb.http_port, "/api/v1/events", token)
    assert ws.status == 101
    ws.send_json({"action": "subscribe", **filters})
    assert ws.recv_json()["type"] == "subscribed"
    return ws


# ---------------------------------------------------------------- voicemail

def wav(path: Path, seconds: float, hz: int = 440) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    make_tone_wav(path, seconds, hz)
    return path.read_bytes()


def add_message(sb, mailbox: str, received: str, file: Path, folder: str = "new",
                read: int = 0, caller: str = "1002") -> int:
    db = sqlite3.connect(sb.workdir / "var" / "switchboard.db")
    cur = db.execute(
        "INSERT INTO voicemail_messages (mailbox, caller_id, caller_name, received_at,"
        " duration_ms, folder, is_read, file_path) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (mailbox, caller, f"Caller {caller}", received, 1500, folder, read, str(file)))
    db.commit()
    rid = cur.lastrowid
    db.close()
    return rid


def row(sb, rid: int):
    db = sqlite3.connect(sb.workdir / "var" / "switchboard.db")
    r = db.execute("SELECT folder, is_read FROM voicemail_messages WHERE id = ?", (rid,)).fetchone()
    db.close()
    return r


def test_voicemail_list_download_mark_and_delete(pbx):
    f1, f2, f3 = (pbx.vm / "1001" / f"msg-{i}.wav" for i in (1, 2, 3))
    audio = {1: wav(f1, 1.0, 440), 2: wav(f2, 1.5, 880), 3: wav(f3, 0.5, 300)}
    ids = {1: add_message(pbx, "1001", "2026-05-01T10:00:00.000Z", f1),
           2: add_message(pbx, "1001", "2026-05-02T10:00:00.000Z", f2, read=1),
           3: add_message(pbx, "1001", "2026-05-03T10:00:00.000Z", f3, folder="saved", read=1)}
    other = add_message(pbx, "1002", "2026-05-01T11:00:00.000Z",
                        pbx.vm / "1002" / "msg-9.wav")
    wav(pbx.vm / "1002" / "msg-9.wav", 0.3)
    user, operator, admin = pbx.api["user"], pbx.api["operator"], pbx.api["admin"]
    base = "/api/v1/voicemail/1001/messages"

    r = user.get(base)
    assert r.status == 200, r
    assert [m["id"] for m in r.json["messages"]] == [ids[3], ids[2], ids[1]]  # newest first
    assert r.json["total"] == 3 and r.json["counts"] == {"new": 2, "saved": 1}
    m1 = r.json["messages"][2]
    assert m1["caller_id"] == "1002" and m1["duration_ms"] == 1500 and m1["read"] is False
    r = user.get(base + "?folder=new&limit=1&offset=1")
    assert [m["id"] for m in r.json["messages"]] == [ids[1]] and r.json["total"] == 2
    assert user.get(base + "?folder=trash").status == 400
    assert user.get(base + "?limit=0").json["details"]["field"] == "limit"
    assert user.get(base + "?limit=x").status == 400
    # A user reaches only their own mailbox; an operator reaches any.
    assert user.get("/api/v1/voicemail/1002/messages").status == 403
    assert operator.get("/api/v1/voicemail/1002/messages").json["total"] == 1
    # A message of another mailbox is not found through this one.
    assert operator.get(f"{base}/{other}").status == 404
    assert admin.get("/api/v1/voicemail/9999/messages").status == 404  # no such extension
    assert user.get(f"{base}/abc").status == 400
    assert user.get(f"{base}/{ids[1]}").json["id"] == ids[1]

    # The WAV, byte for byte.
    r = user.get(f"{base}/{ids[2]}/audio")
    assert r.status == 200 and r.header("Content-Type") == "audio/wav"
    assert r.body == audio[2] and r.body[:4] == b"RIFF"
    assert "attachment" in r.header("Content-Disposition")
    assert user.get(f"/api/v1/voicemail/1002/messages/{other}/audio").status == 403

    ws = subscribe(pbx, pbx.user_token, types=["voicemail.read", "voicemail.deleted"])
    # Mark read, unread, move.
    r = user.request("PATCH", f"{base}/{ids[1]}", body={"read": True})
    assert r.status == 200 and r.json["read"] is True and row(pbx, ids[1]) == ("new", 1)
    e = ws.recv_json()
    assert e["type"] == "voicemail.read" and e["seq"] == 1
    assert e["data"] == {"mailbox": "1001", "id": ids[1], "read": True, "folder": "new"}
    r = user.request("PATCH", f"{base}/{ids[1]}", body={"read": False, "folder": "saved"})
    assert r.json["read"] is False and r.json["folder"] == "saved"
    assert row(pbx, ids[1]) == ("saved", 0)
    assert ws.recv_json()["data"]["read"] is False
    for bad in ({}, {"read": "yes"}, {"folder": "trash"}, {"read": True, "colour": "red"}):
        r = user.request("PATCH", f"{base}/{ids[1]}", body=bad)
        assert r.status == 400 and r.json["error"] == "validation_failed", (bad, r)
    assert user.request("PATCH", f"/api/v1/voicemail/1002/messages/{other}",
                        body={"read": True}).status == 403

    # Delete: the row and the file go, the event says so, a second delete is 404.
    r = user.request("DELETE", f"{base}/{ids[2]}")
    assert r.status == 204 and r.body == b""
    assert row(pbx, ids[2]) is None and not f2.exists()
    e = ws.recv_json()
    assert e["type"] == "voicemail.deleted" and e["seq"] == 3
    assert e["data"]["id"] == ids[2] and e["data"]["mailbox"] == "1001"
    assert user.request("DELETE", f"{base}/{ids[2]}").status == 404
    assert user.get(f"{base}/{ids[2]}/audio").status == 404
    assert user.get(base).json["total"] == 2
    ws.close()

    # The store's counts in /metrics: 1001 has 0 new + 2 saved, 1002 one new.
    m = metrics(operator)
    assert m['switchboard_voicemail_messages{folder="new"}'] == 1
    assert m['switchboard_voicemail_messages{folder="saved"}'] == 2
    # Audited: who changed what.
    audit = admin.get("/api/v1/audit?actor=token:u1001").json["entries"]
    actions = [(e["action"], e["details"]["status"]) for e in audit]
    assert ("DELETE /api/v1/voicemail/{mailbox}/messages/{id}", 204) in actions
    assert ("PATCH /api/v1/voicemail/{mailbox}/messages/{id}", 200) in actions
    assert ("PATCH /api/v1/voicemail/{mailbox}/messages/{id}", 403) in actions


def test_voicemail_files_outside_the_storage_are_never_served_or_removed(pbx, workdir):
    secret = workdir / "not-voicemail.wav"
    secret.write_bytes(b"RIFF-secret")
    rid = add_message(pbx, "1001", "2026-05-01T10:00:00.000Z", secret)
    sneaky = add_message(pbx, "1001", "2026-05-02T10:00:00.000Z",
                         pbx.vm / "1001" / ".." / ".." / "not-voicemail.wav")
    user = pbx.api["user"]
    for i in (rid, sneaky):
        r = user.get(f"/api/v1/voicemail/1001/messages/{i}/audio")
        assert r.status == 404 and b"secret" not in r.body, r
    assert user.request("DELETE", f"/api/v1/voicemail/1001/messages/{rid}").status == 204
    assert secret.read_bytes() == b"RIFF-secret"  # the row went, the file stayed
    missing = add_message(pbx, "1001", "2026-05-03T10:00:00.000Z", pbx.vm / "1001" / "gone.wav")
    assert user.get(f"/api/v1/voicemail/1001/messages/{missing}/audio").status == 404


# ----------------------------------------------------------------- presence

def test_presence_set_read_derived_and_published(pbx, switchboard_factory):
    user, operator = pbx.api["user"], pbx.api["operator"]
    ws = subscribe(pbx, pbx.token, types=["presence"])
    # Nobody registered: everyone offline, nothing set yet.
    r = operator.get("/api/v1/presence")
    assert {p["extension"]: p["state"] for p in r.json["presence"]} == {
        "1001": "offline", "1002": "offline", "1003": "offline"}
    assert r.json["presence"][0]["updated_at"] is None
    assert [p["extension"] for p in user.get("/api/v1/presence").json["presence"]] == ["1001"]

    register(pbx, "1001")  # offline -> available, published
    e = ws.recv_json()
    assert e["type"] == "presence" and e["seq"] == 1
    assert e["data"]["extension"] == "1001" and e["data"]["state"] == "available"
    assert e["data"]["registered"] is True

    r = user.request("PUT", "/api/v1/presence/1001", body={"status": "away", "note": "lunch"})
    assert r.status == 200 and r.json["state"] == "away" and r.json["note"] == "lunch", r
    e = ws.recv_json()
    assert e["seq"] == 2 and e["data"]["state"] == "away" and e["data"]["note"] == "lunch"
    # A user sets only their own; an operator any; 1002 is offline whatever it set.
    assert user.request("PUT", "/api/v1/presence/1002", body={"status": "dnd"}).status == 403
    assert user.get("/api/v1/presence/1002").status == 403
    r = operator.request("PUT", "/api/v1/presence/1002", body={"status": "dnd"})
    assert r.json["state"] == "offline" and r.json["status"] == "dnd"
    assert ws.recv_json()["data"]["extension"] == "1002"
    assert operator.request("PUT", "/api/v1/presence/9999", body={"status": "dnd"}).status == 404
    for bad, field in (({"status": "busy"}, "status"), ({"status": "offline"}, "status"),
                       ({"note": "x"}, "status"), ({"status": "away", "note": "x" * 257}, "note"),
                       ({"status": "away", "mood": "happy"}, "mood"),
                       ({"status": 1}, "status")):
        r = user.request("PUT", "/api/v1/presence/1001", body=bad)
        assert r.status == 400 and r.json["details"]["field"] == field, (bad, r)

    register(pbx, "1002")  # registered now, but dnd: dnd
    e = ws.recv_json()
    assert e["data"]["extension"] == "1002" and e["data"]["state"] == "dnd"
    users = write_users(pbx.workdir / "unreg.csv", [("1003", "Pass-word-1003!")])
    assert run_scenario("register_unregister", pbx.target, pbx.workdir, users).returncode == 0
    seen = [ws.recv_json()["data"] for _ in range(2)]  # 1003 available, then offline
    assert [(d["extension"], d["state"]) for d in seen] == [("1003", "available"),
                                                           ("1003", "offline")]
    ws.close()
    db = sqlite3.connect(pbx.workdir / "var" / "switchboard.db")
    stored = db.execute("SELECT extension, status, note, updated_by FROM presence"
                        " ORDER BY extension").fetchall()
    assert stored == [("1001", "away", "lunch", "token:u1001"), ("1002", "dnd", "", "token:op")]
    db.close()
    audit = pbx.api["admin"].get("/api/v1/audit?action=PUT%20/api/v1/presence/%7Bextension%7D")
    assert sorted(e["details"]["status"] for e in audit.json["entries"]) == [
        200, 200, 400, 400, 400, 400, 400, 400, 403, 404]

    # An API-created extension's presence goes with it.
    admin = pbx.api["admin"]
    assert admin.post("/api/v1/extensions", {"number": "1050", "name": "Temp",
                                             "password": "Temp-desk-1050!"}).status == 201
    assert admin.request("PUT", "/api/v1/presence/1050", body={"status": "away"}).status == 200
    assert admin.request("DELETE", "/api/v1/extensions/1050").status == 204
    assert admin.get("/api/v1/presence/1050").status == 404
    db = sqlite3.connect(pbx.workdir / "var" / "switchboard.db")
    assert db.execute("SELECT COUNT(*) FROM presence WHERE extension = '1050'").fetchone() == (0,)
    db.close()

    # What was set survives a restart (the registrations too, from the store).
    pbx.stop()
    again = switchboard_factory(pbx.config_path.read_text()).start()
    api = Api(again.http_port, again.token)
    p = api.get("/api/v1/presence/1001").json
    assert (p["status"], p["note"]) == ("away", "lunch")


def test_busy_on_a_real_call_with_rtp_cps_and_transactions_in_metrics(switchboard_factory,
                                                                       workdir):
    pbx = start_pbx(switchboard_factory, "security:\n  digest_algorithms: [MD5]\n")
    admin = Api(pbx.http_port, pbx.token)
    phones = {}
    for ext in ("1001", "1002"):
        phones[ext] = Baresip(workdir / f"phone-{ext}",
                              account=(f"<sip:{ext}@127.0.0.1:{pbx.sip_port}>;auth_pass={PW[ext]};"
                                       "regint=60;audio_codecs=PCMU"),
                              audio=make_tone_wav(workdir / f"tone-{ext}.wav", 2.0, 440))
    try:
        assert wait_until(lambda: all(
            admin.get(f"/api/v1/presence/{e}").json["state"] == "available"
            for e in ("1001", "1002")), 15)
        ws = subscribe(pbx, pbx.token, types=["presence"])
        phones["1001"].command("dial", f"sip:1002@127.0.0.1:{pbx.sip_port}")
        assert phones["1001"].wait_event("CALL_ESTABLISHED", 15)
        # The caller is busy from the start, the callee once it answers.
        busy = {ws.recv_json()["data"]["extension"] for _ in range(2)}
        assert busy == {"1001", "1002"}
        states = {e: admin.get(f"/api/v1/presence/{e}").json for e in ("1001", "1002")}
        assert all(s["state"] == "busy" and s["on_call"] for s in states.values()), states
        assert phones["1001"].wait_event("CALL_CLOSED", 20)  # the tone file ends the call
        back = [ws.recv_json()["data"] for _ in range(2)]
        assert {(d["extension"], d["state"]) for d in back} == {("1001", "available"),
                                                               ("1002", "available")}
        ws.close()
    finally:
        for p in phones.values():
            p.stop()
    row = cdr_rows(pbx)[0]
    m = metrics(admin)
    # The relay's counters of the finished call, as the CDR has them.
    assert m["switchboard_rtp_packets_total"] == row["packets_caller"] + row["packets_callee"]
    assert m["switchboard_rtp_packets_total"] > 100
    assert m["switchboard_rtp_packets_lost_total"] == row["packets_lost"]
    assert m["switchboard_calls_per_second"] == pytest.approx(1 / 60)
    assert m['switchboard_sip_messages_total{kind="request"}'] >= 6  # REGISTERs, INVITE, ACK, BYE
    assert m['switchboard_sip_messages_total{kind="response"}'] >= 2
    assert 'switchboard_sip_transactions{kind="server"}' in m
    assert m["switchboard_sip_parse_errors_total"] == 0
    assert m["switchboard_events_published_total"] >= 8


# ------------------------------------------------------- queues and parking

def test_queues_with_agent_state_and_parked_calls(pbx):
    register(pbx, "1001")
    operator, user = pbx.api["operator"], pbx.api["user"]
    pbx.api["operator"].request("PUT", "/api/v1/presence/1002", body={"status": "away"})
    q = {x["number"]: x for x in operator.get("/api/v1/queues").json["queues"]}
    assert set(q) == {"8001", "8002"}
    support = q["8001"]
    assert (support["name"], support["strategy"], support["max_wait_time"]) == (
        "Support", "round_robin", 120)
    assert support["agents"] == [
        {"extension": "1001", "registered": True, "presence": "available"},
        {"extension": "1002", "registered": False, "presence": "offline"}]
    assert support["agents_available"] == 1 and q["8002"]["agents_available"] == 0
    # A user sees the queues they answer.
    assert [x["number"] for x in user.get("/api/v1/queues").json["queues"]] == ["8001"]
    u3 = Api(pbx.http_port, make_token(pbx, "user", "u1003", "1003"), openapi=pbx.openapi)
    assert u3.get("/api/v1/queues").json["queues"] == []
    m = metrics(operator)
    assert m["switchboard_queues"] == 2
    assert m['switchboard_queue_agents{queue="8001",state="configured"}'] == 2
    assert m['switchboard_queue_agents{queue="8001",state="registered"}'] == 1
    assert m['switchboard_queue_agents{queue="8002",state="registered"}'] == 0
    # Parked calls: nothing parked (no parking source yet), the configured slots.
    r = user.get("/api/v1/parked")
    assert r.status == 200 and r.json == {"parked": [], "slots": {"first": 70, "last": 79}}


# ------------------------------------------------------------- robustness

def test_slow_consumer_is_dropped_while_others_keep_receiving(pbx):
    operator = pbx.api["operator"]
    # A client that never reads, with a tiny receive window.
    slow = socket.socket()
    slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
    slow.settimeout(10)
    slow.connect(("127.0.0.1", pbx.http_port))
    ws_slow = WebSocket.__new__(WebSocket)
    ws_slow.sock = slow
    ws_slow.buffer = b""
    import base64
    import os
    key = base64.b64encode(os.urandom(16)).decode()
    slow.sendall((f"GET /api/v1/events HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                  f"Sec-WebSocket-Version: 13\r\nAuthorization: Bearer {pbx.token}\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += slow.recv(1)
    assert b" 101 " in head
    ws_slow.send_json({"action": "subscribe", "types": ["presence"]})
    good = subscribe(pbx, pbx.token, types=["presence"])
    assert wait_until(lambda: metrics(operator)["switchboard_event_subscribers"] == 2, 5)

    conn = operator.connection()
    note = "n" * 250
    sent = 0
    received = []
    while metrics(operator)["switchboard_event_subscribers_dropped_total"] < 1:
        for _ in range(100):
            r = operator.request("PUT", "/api/v1/presence/1002",
                                 body={"status": "away", "note": f"{note}{sent}"}, conn=conn)
            assert r.status == 200
            sent += 1
            received.append(good.recv_json())  # the good client keeps up
        assert sent < 20000, "the slow client was never dropped"
    conn.close()
    assert metrics(operator)["switchboard_event_subscribers"] == 1
    # The reader saw every event in order, none lost.
    assert [e["seq"] for e in received] == list(range(1, sent + 1))
    assert received[-1]["data"]["note"] == f"{note}{sent - 1}"
    # The dropped client is sent a close frame, 1008 (policy violation),
    # after what its socket still held.
    slow.settimeout(10)
    while True:
        op, payload = ws_slow.recv_frame()
        if op == 8:
            break
        assert op == 1, op
    assert int.from_bytes(payload[:2], "big") == 1008, payload
    # And the server carries on.
    r = operator.request("PUT", "/api/v1/presence/1002", body={"status": "available"})
    assert r.status == 200 and good.recv_json()["seq"] == sent + 1
    good.close()
    slow.close()


def test_abrupt_disconnects_and_garbage_leave_the_server_serving(pbx):
    admin = pbx.api["admin"]
    # A half-sent request, a WebSocket that vanishes after subscribing, a
    # frame of garbage, a connection closed mid-body: the server stays up.
    for payload in (b"GET /api/v1/status HTTP/1.1\r\nHost: x\r\n",
                    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(200),
                    b"PUT /api/v1/presence/1001 HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n"
                    b"Content-Type: application/json\r\n\r\n{\"status\":"):
        with socket.create_connection(("127.0.0.1", pbx.http_port), timeout=5) as s:
            s.sendall(payload)
    ws = subscribe(pbx, pbx.token)
    ws.sock.shutdown(socket.SHUT_RDWR)
    ws.close()
    r = admin.request("PUT", "/api/v1/presence/1001", raw=b'{"status": "away"', 
                      headers={"Content-Type": "application/json"})
    assert r.status == 400 and r.json["error"] == "invalid_json"
    r = admin.request("PUT", "/api/v1/presence/1001", body=["away"])
    assert r.status == 400 and r.json["error"] == "validation_failed"
    for tok in ("sbt_" + "f" * 64, "", "Bearer", "\u00e9t\u00e9"):
        r = admin.get("/api/v1/presence", token=None,
                      headers={"Authorization": f"Bearer {tok}".encode().decode("latin-1")})
        assert r.status == 401 and r.json["error"] == "unauthorized"
    assert wait_until(lambda: metrics(admin)["switchboard_event_subscribers"] == 0, 5)
    assert admin.get("/health").status == 200
    assert admin.get("/api/v1/presence/1001").status == 200
