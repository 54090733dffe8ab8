"""Issue 9 (call control) and issue 7 §7 (transfers in the CDR) with real
phones: three baresip phones register as 1001 (1000 Hz), 1002 (500 Hz) and
1003 (2000 Hz), all auto-answering. 1001 calls 1002; an operator's API
client transfers the caller to 1003 (POST /api/v1/calls/{id}/transfer):
1003 rings and answers, 1002 is released (BYE), 1001 hears 1003 afterwards;
the event stream carries call.transferred and the CDR row the transfer
chain. POST /api/v1/calls/{id}/park parks the caller on the first free slot
(71), which 1003 retrieves by dialing it. Errors: an unknown call and a
user's request on someone else's call are 404, a bad body 400."""
import time

from api_client import Api
from calls_helpers import start_pbx, wait_until
from test_api import make_token
from test_api_events import subscribe
from test_calls_audio import phone, tone
from test_hold_moh import runs
from transfer_helpers import blocks, recording

FREQS = (500, 1000, 1500, 2000)


def transfer_pbx(factory, workdir):
    moh = workdir / "moh" / "default"
    moh.mkdir(parents=True)
    tone(moh / "music.wav", [(3.0, 1500)])
    return start_pbx(factory,
                     "security:\n  digest_algorithms: [MD5]\n"
                     "features:\n  voicemail: false\n"
                     f"music_on_hold:\n  directory: {workdir / 'moh'}\n  default_class: default\n"
                     "parking:\n  range_start: 70\n  range_end: 79\n  timeout: 120\n")


def heard(workdir, ext):
    """Runs of tones (>= 0.6 s) in all that phone `ext` recorded, in order."""
    return [(f, n) for f, n in runs(blocks(recording(workdir, ext), FREQS)) if f and n >= 3]


def three_phones(workdir, pbx):
    a = phone(workdir, pbx, "1001", tone(workdir / "a.wav", [(30.0, 1000)]))
    b = phone(workdir, pbx, "1002", tone(workdir / "b.wav", [(30.0, 500)]))
    c = phone(workdir, pbx, "1003", tone(workdir / "c.wav", [(30.0, 2000)]))
    return a, b, c


def call_1001_to_1002(pbx, api, a, b) -> str:
    regs = lambda: api.get("/api/v1/registrations").json["registrations"]  # noqa: E731
    assert wait_until(lambda: len(regs()) == 3, 15), regs()
    a.command("dial", f"sip:1002@127.0.0.1:{pbx.sip_port}")
    assert a.wait_event("CALL_ESTABLISHED", 15), a.proc.output()[-3000:]
    assert b.wait_event("CALL_ESTABLISHED", 15), b.proc.output()[-3000:]
    calls = api.get("/api/v1/calls").json["calls"]
    assert len(calls) == 1, calls
    return calls[0]["call_id"]


def cdr_row(api, call_id, timeout=10.0):
    found = {}

    def complete():
        rows = api.get("/api/v1/cdr?limit=50").json["records"]
        found.update(next((r for r in rows if r["call_id"] == call_id), {}))
        return found.get("status") == "complete"

    assert wait_until(complete, timeout), found
    return found


def test_api_blind_transfer_of_the_caller(switchboard_factory, workdir):
    pbx = transfer_pbx(switchboard_factory, workdir)
    op = Api(pbx.http_port, make_token(pbx, "operator", "op", None))
    user_1003 = Api(pbx.http_port, make_token(pbx, "user", "u1003", "1003"))
    user_1001 = Api(pbx.http_port, make_token(pbx, "user", "u1001", "1001"))
    a, b, c = three_phones(workdir, pbx)
    ws, _ = subscribe(pbx, pbx.token, types=["call.transferred"])
    try:
        call_id = call_1001_to_1002(pbx, op, a, b)
        url = f"/api/v1/calls/{call_id}/transfer"
        # Errors first; none of them changes the call.
        r = op.post("/api/v1/calls/no-such-call/transfer", {"target": "1003"})
        assert r.status == 404 and r.json["error"] == "not_found", r
        r = user_1003.post(url, {"target": "1003"})  # not their call
        assert r.status == 404 and r.json["error"] == "not_found", r
        r = user_1003.post(f"/api/v1/calls/{call_id}/park", {})
        assert r.status == 404, r
        for body in ({}, {"target": 1003}, {"target": "1003", "party": "both"},
                     {"target": "1003", "extra": True}, {"target": "x1003"}):
            r = user_1001.post(url, body)
            assert r.status == 400 and r.json["error"] == "validation_failed", (body, r)
            assert set(r.json) == {"error", "message", "details"}, r.json
        r = op.post(url, {"target": "1099"})  # no such extension
        assert r.status == 404, r
        time.sleep(2.0)
        assert op.get("/api/v1/calls").json["calls"][0]["call_id"] == call_id

        r = op.post(url, {"target": "1003", "party": "caller"})
        assert r.status == 202, r
        assert c.wait_event("CALL_ESTABLISHED", 15), c.proc.output()[-3000:]
        assert b.wait_event("CALL_CLOSED", 10), b.proc.output()[-3000:]
        e = ws.recv_json()
        assert e["type"] == "call.transferred", e
        assert e["data"]["call_id"] == call_id and e["data"]["callee"] == "1003", e
        assert e["data"]["caller"] == "1001", e
        # The same call (same id) is now 1001-1003: 1002 is gone from it.
        calls = op.get("/api/v1/calls").json["calls"]
        assert [(x["caller"], x["callee"]) for x in calls] == [("1001", "1003")], calls
        time.sleep(3.0)
        a.command("hangup")
        assert c.wait_event("CALL_CLOSED", 10), c.proc.output()[-3000:]
    finally:
        ws.close()
        a.stop()
        b.stop()
        c.stop()
    tones_a = [f for f, _ in heard(workdir, "1001")]
    assert tones_a[0] == 500 and tones_a[-1] == 2000, tones_a
    assert 2000 not in tones_a[:tones_a.index(500) + 1], tones_a
    tones_c = heard(workdir, "1003")
    assert [f for f, _ in tones_c] == [1000] and tones_c[0][1] >= 8, tones_c
    row = cdr_row(op, call_id)
    assert row["caller"] == "1001" and row["callee"] == "1003", row
    chain = [{k: t[k] for k in ("kind", "by", "from", "to")} for t in row["transfers"]]
    assert chain == [{"kind": "api", "by": "api", "from": "1002", "to": "1003"}], row
    assert row["transfers"][0]["at"] >= row["answer_time"], row
    csv = op.get("/api/v1/cdr/export").body.decode().strip().split("\r\n")
    assert csv[0].endswith(",recording,transfers"), csv[0]
    line = next(x for x in csv[1:] if call_id in x)
    assert line.endswith(',"api:1002>1003"'), line
    # Users see the chain of their own calls too.
    mine = user_1001.get("/api/v1/cdr").json["records"]
    assert [r["transfers"] for r in mine if r["call_id"] == call_id] == [row["transfers"]]


def test_api_park_and_retrieve_by_dialing_the_slot(switchboard_factory, workdir):
    pbx = transfer_pbx(switchboard_factory, workdir)
    admin = Api(pbx.http_port, pbx.token)
    a, b, c = three_phones(workdir, pbx)
    ws, _ = subscribe(pbx, pbx.token, types=["call.parked", "call.unparked"])
    try:
        call_id = call_1001_to_1002(pbx, admin, a, b)
        time.sleep(1.0)
        r = admin.post(f"/api/v1/calls/{call_id}/park", {"party": "bystander"})
        assert r.status == 400, r
        r = admin.post(f"/api/v1/calls/{call_id}/park", {"party": "caller"})
        assert r.status == 202 and r.json == {"park_extension": "70"}, r
        assert b.wait_event("CALL_CLOSED", 10), b.proc.output()[-3000:]
        parked = lambda: admin.get("/api/v1/parked").json["parked"]  # noqa: E731
        assert wait_until(lambda: len(parked()) == 1, 10), (parked(), pbx.proc.output()[-3000:])
        slot = parked()[0]
        assert slot["slot"] == "71" and slot["parked"] == "1001", slot
        e = ws.recv_json()
        assert e["type"] == "call.parked", e
        time.sleep(3.0)
        c.command("dial", f"sip:71@127.0.0.1:{pbx.sip_port}")
        assert c.wait_event("CALL_ESTABLISHED", 15), c.proc.output()[-3000:]
        assert wait_until(lambda: parked() == [], 10), pbx.proc.output()[-3000:]
        time.sleep(3.0)
        c.command("hangup")
        assert a.wait_event("CALL_CLOSED", 10), a.proc.output()[-3000:]
    finally:
        ws.close()
        a.stop()
        b.stop()
        c.stop()
    tones_a = [f for f, _ in heard(workdir, "1001")]
    # 1002, the music while parked, then 1003 who retrieved the call.
    assert tones_a[0] == 500 and 1500 in tones_a and tones_a[-1] == 2000, tones_a
    # The parked call's row ends at the retrieval: its callee the park
    # extension, its chain the API's park (1002 left for 70) and 1001 taken
    # from slot 71 into 1003's call, whose own row goes on with 1001.
    row = cdr_row(admin, call_id)
    rows = admin.get("/api/v1/cdr?limit=50").json["records"]
    assert row["caller"] == "1001" and row["callee"] == "70", rows
    assert row["hangup_cause"] == "retrieved" and row["disposition"] == "ANSWERED", row
    chain = [(t["kind"], t["by"], t["from"], t["to"]) for t in row["transfers"]]
    assert chain == [("api", "api", "1002", "70"), ("retrieved", "71", "71", "1001")], rows
    other = next(r for r in rows if r["call_id"] != call_id)
    assert other["caller"] == "1003" and other["callee"] == "1001", rows
    assert [t["kind"] for t in other["transfers"]] == ["retrieved"], rows


def test_a_user_transfers_the_callee_of_their_own_call(switchboard_factory, workdir):
    """party=callee: 1002 stays and is connected to 1003, the caller 1001 is
    released; a user may do it on a call of their own extension."""
    pbx = transfer_pbx(switchboard_factory, workdir)
    admin = Api(pbx.http_port, pbx.token)
    user_1002 = Api(pbx.http_port, make_token(pbx, "user", "u1002", "1002"))
    a, b, c = three_phones(workdir, pbx)
    try:
        call_id = call_1001_to_1002(pbx, admin, a, b)
        time.sleep(1.0)
        r = user_1002.post(f"/api/v1/calls/{call_id}/transfer",
                           {"target": "1003", "party": "callee"})
        assert r.status == 202, r
        assert c.wait_event("CALL_ESTABLISHED", 15), c.proc.output()[-3000:]
        assert a.wait_event("CALL_CLOSED", 10), a.proc.output()[-3000:]
        time.sleep(2.0)
        parties = [{x["caller"], x["callee"]} for x in admin.get("/api/v1/calls").json["calls"]]
        assert parties == [{"1002", "1003"}], parties
        time.sleep(1.0)
        b.command("hangup")
        assert c.wait_event("CALL_CLOSED", 10), c.proc.output()[-3000:]
    finally:
        a.stop()
        b.stop()
        c.stop()
    tones_b = [f for f, _ in heard(workdir, "1002")]
    assert tones_b[0] == 1000 and tones_b[-1] == 2000, tones_b
    row = cdr_row(admin, call_id)
    assert {row["caller"], row["callee"]} == {"1002", "1003"}, row
    chain = [(t["kind"], t["by"], t["from"], t["to"]) for t in row["transfers"]]
    assert chain == [("api", "api", "1001", "1003")], row


def test_api_attended_transfer_consults_then_completes(switchboard_factory, workdir):
    """POST /calls/{id}/consult: 1001 (the caller, waiting) hears music while
    1002's phone is moved into a consultation with 1003; /consult/complete
    releases 1002 and 1001 talks to 1003. Without a consultation, the steps
    are 404; a user may not consult on someone else's call."""
    pbx = transfer_pbx(switchboard_factory, workdir)
    op = Api(pbx.http_port, make_token(pbx, "operator", "op", None))
    user_1003 = Api(pbx.http_port, make_token(pbx, "user", "u1003", "1003"))
    a, b, c = three_phones(workdir, pbx)
    ws, _ = subscribe(pbx, pbx.token, types=["call.transferred"])
    try:
        call_id = call_1001_to_1002(pbx, op, a, b)
        for step in ("complete", "cancel", "merge"):
            r = op.post(f"/api/v1/calls/{call_id}/consult/{step}")
            assert r.status == 404 and r.json["error"] == "not_found", (step, r)
        r = user_1003.post(f"/api/v1/calls/{call_id}/consult", {"target": "1003"})
        assert r.status == 404, r
        r = op.post(f"/api/v1/calls/{call_id}/consult", {"target": "1003", "party": "nobody"})
        assert r.status == 400 and r.json["error"] == "validation_failed", r
        time.sleep(2.0)
        r = op.post(f"/api/v1/calls/{call_id}/consult", {"target": "1003", "party": "caller"})
        assert r.status == 202, r
        assert c.wait_event("CALL_ESTABLISHED", 15), c.proc.output()[-3000:]
        calls = lambda: op.get("/api/v1/calls").json["calls"]  # noqa: E731
        assert wait_until(lambda: len(calls()) == 2, 5), calls()
        assert sorted((x["caller"], x["callee"]) for x in calls()) == \
            [("1001", "1002"), ("1002", "1003")], calls()
        time.sleep(3.0)  # 1002 talks to 1003, 1001 hears music
        r = op.post(f"/api/v1/calls/{call_id}/consult/complete")
        assert r.status == 202, r
        assert b.wait_event("CALL_CLOSED", 10), b.proc.output()[-3000:]
        e = ws.recv_json()
        assert e["type"] == "call.transferred" and e["data"]["call_id"] == call_id, e
        assert wait_until(lambda: [(x["caller"], x["callee"]) for x in calls()] ==
                          [("1001", "1003")], 5), calls()
        time.sleep(3.0)
        a.command("hangup")
        assert c.wait_event("CALL_CLOSED", 10), c.proc.output()[-3000:]
    finally:
        ws.close()
        a.stop()
        b.stop()
        c.stop()
    tones_a = [f for f, _ in heard(workdir, "1001")]
    assert tones_a == [500, 1500, 2000], tones_a
    row = cdr_row(op, call_id)
    chain = [(t["kind"], t["by"], t["from"], t["to"]) for t in row["transfers"]]
    assert chain == [("attended", "1002", "1002", "1003")], row
