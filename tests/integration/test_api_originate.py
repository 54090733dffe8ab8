"""Issue 9 §2 and §8: call control through the API with real phones. Two
baresip phones register as 1001 and 1002 (auto-answer). POST /api/v1/calls
rings 1001, then 1002; the call shows in GET /api/v1/calls; the API puts 1002
on hold (it hears the music-on-hold class, a 1500 Hz file) and resumes it;
DELETE hangs up. The WebSocket stream carries the call's events in order and
the CDR row records the call; users may only originate from their own
extension."""
import time

from api_client import Api
from calls_helpers import cdr_rows, start_pbx, wait_until
from test_api import make_token
from test_api_events import subscribe
from test_calls_audio import phone, tone
from test_hold_moh import dominant, runs


def test_click_to_dial_hold_and_hangup_through_the_api(switchboard_factory, workdir):
    moh = workdir / "moh" / "default"
    moh.mkdir(parents=True)
    tone(moh / "music.wav", [(3.0, 1500)])
    pbx = start_pbx(switchboard_factory,
                    "security:\n  digest_algorithms: [MD5]\n"
                    f"music_on_hold:\n  directory: {workdir / 'moh'}\n")
    api = Api(pbx.http_port, pbx.token)
    a = phone(workdir, pbx, "1001", tone(workdir / "a.wav", [(30.0, 1000)]))
    b = phone(workdir, pbx, "1002", tone(workdir / "b.wav", [(30.0, 500)]))
    ws, _ = subscribe(pbx, pbx.token, types=["call.started", "call.answered", "call.held",
                                             "call.resumed", "call.ended"])
    try:
        regs = lambda: pbx.get("/api/v1/registrations")[1]["registrations"]  # noqa: E731
        assert wait_until(lambda: len(regs()) == 2, 15), regs()
        # A user may only click-to-dial from their own extension.
        user = Api(pbx.http_port, make_token(pbx, "user", "u1002", "1002"))
        r = user.post("/api/v1/calls", {"from": "1001", "to": "1002"})
        assert r.status == 403 and r.json["error"] == "forbidden", r
        r = api.post("/api/v1/calls", {"from": "1001"})
        assert r.status == 400, r
        r = api.post("/api/v1/calls", {"from": "1003", "to": "1002"})  # not registered
        assert r.status == 404 and r.json["error"] == "not_found", r

        r = api.post("/api/v1/calls", {"from": "1001", "to": "1002"})
        assert r.status == 201, r
        call_id = r.json["call_id"]
        assert a.wait_event("CALL_ESTABLISHED", 15), a.proc.output()[-3000:]
        assert b.wait_event("CALL_ESTABLISHED", 15), b.proc.output()[-3000:]
        calls = api.get("/api/v1/calls").json["calls"]
        assert [c["call_id"] for c in calls] == [call_id], calls
        time.sleep(2.0)
        assert api.post(f"/api/v1/calls/{call_id}/hold", {"party": "callee"}).status == 204
        r = api.post(f"/api/v1/calls/{call_id}/hold", {"party": "callee"})
        assert r.status == 409, r  # already held
        time.sleep(3.0)
        assert api.post(f"/api/v1/calls/{call_id}/resume").status == 204
        time.sleep(2.0)
        assert api.request("DELETE", f"/api/v1/calls/{call_id}").status == 204
        assert a.wait_event("CALL_CLOSED", 10), a.proc.output()[-3000:]
        assert b.wait_event("CALL_CLOSED", 10), b.proc.output()[-3000:]
        events = []
        while len(events) < 5:
            e = ws.recv_json()
            if e["data"].get("call_id") == call_id:
                events.append(e["type"])
        assert events == ["call.started", "call.answered", "call.held", "call.resumed",
                          "call.ended"], events
    finally:
        ws.close()
        a.stop()
        b.stop()
    heard = [(f, n) for f, n in runs(dominant(next((workdir / "phone-1002" / "rec")
                                                   .glob("*-dec.wav"))))
             if f and n >= 3]
    assert [f for f, _ in heard][:3] == [1000, 1500, 1000], heard
    row = [r for r in cdr_rows(pbx) if r["call_id"] == call_id][0]
    assert row["caller"] == "1001" and row["callee"] == "1002", row
    assert row["disposition"] == "ANSWERED" and row["billsec_s"] >= 5, row
