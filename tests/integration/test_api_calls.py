"""Issue 9 with a real call: SIPp caller 1001 → PBX → SIPp callee 1002. The
call appears in GET /api/v1/calls with its legs and state, the event stream
shows call.started/answered/ended, an operator hangs it up through the API
(BYE to both SIPp peers), a user may not, and the CDR row is served by
GET /api/v1/cdr."""
import threading
import urllib.parse

from api_client import Api, OpenApi, WebSocket
from calls_helpers import Callee, call, start_pbx
from conftest import wait_until
from test_api import make_token


def test_call_listed_streamed_hung_up_and_recorded(switchboard_factory, workdir):
    pbx = start_pbx(switchboard_factory)
    doc = OpenApi(Api(pbx.http_port).get("/api/v1/openapi.json").json)
    operator = Api(pbx.http_port, make_token(pbx, "operator", "op"), openapi=doc)
    user = Api(pbx.http_port, make_token(pbx, "user", "u1003", "1003"), openapi=doc)
    ws = WebSocket(pbx.http_port, "/api/v1/events", pbx.token)
    assert ws.status == 101
    ws.send_json({"action": "subscribe", "types": ["call.started", "call.answered", "call.ended"]})
    assert ws.recv_json()["type"] == "subscribed"

    callee = Callee(pbx, workdir, "1002", "call_uas")
    result = {}
    caller = threading.Thread(
        target=lambda: result.setdefault("r", call(pbx, workdir, "call_uac_wait_bye", "1002",
                                                   timeout=20)))
    caller.start()
    try:
        calls = wait_until(lambda: [c for c in operator.get("/api/v1/calls").json["calls"]
                                    if c["state"] == "answered"], timeout=10)
        assert calls, operator.get("/api/v1/calls")
        c = calls[0]
        assert (c["caller"], c["callee"]) == ("1001", "1002")
        assert [leg["party"] for leg in c["legs"]] == ["caller", "callee"]
        # A user sees only calls of their own extension and may not hang up.
        assert user.get("/api/v1/calls").json["calls"] == []
        path = "/api/v1/calls/" + urllib.parse.quote(c["call_id"], safe="")
        assert user.request("DELETE", path).status == 403
        r = operator.request("DELETE", path)
        assert r.status == 204, r
    finally:
        caller.join(30)
    assert result["r"].returncode == 0, result["r"].log  # the caller got the BYE
    assert callee.wait() == 0, callee.log()              # and so did the callee
    assert operator.request("DELETE", path).status == 404  # gone
    events = [ws.recv_json() for _ in range(3)]
    assert [e["type"] for e in events] == ["call.started", "call.answered", "call.ended"]
    assert [e["seq"] for e in events] == [1, 2, 3]
    assert events[2]["data"]["call_id"] == c["call_id"]
    assert events[2]["data"]["hangup_side"] == "system"
    ws.close()
    rows = wait_until(lambda: operator.get("/api/v1/cdr?extension=1002").json["records"])
    assert rows[0]["call_id"] == c["call_id"] and rows[0]["disposition"] == "ANSWERED"
    m = operator.get("/metrics").body.decode()
    assert 'switchboard_calls_total{disposition="answered"} 1' in m
    audit = Api(pbx.http_port, pbx.token).get("/api/v1/audit?action=DELETE%20/api/v1/calls/%7Bcall_id%7D")
    statuses = sorted(e["details"]["status"] for e in audit.json["entries"])
    assert statuses == [204, 403, 404]
