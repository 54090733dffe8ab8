"""Issue 9: the WebSocket event stream against the real binary — subscribe
with filters, see registration events from SIPp REGISTERs with per-client
sequence numbers, ping/pong, authentication on the upgrade, a user confined
to their own extension, and a client that disconnects mid-stream."""
import time

import pytest

from api_client import Api, WebSocket
from conftest import free_port, minimal_config, wait_until
from harness.sipp import run_scenario, write_users
from test_api import make_token

PW = {n: f"Pass-word-{n}!" for n in ("1001", "1002")}


@pytest.fixture
def pbx(switchboard_factory, workdir):
    sip = free_port("both")
    sb = switchboard_factory(minimal_config(free_port(), sip)).start()
    sb.target = f"127.0.0.1:{sip}"
    sb.users = {n: write_users(workdir / f"u{n}.csv", [(n, PW[n])]) for n in PW}
    return sb


def register(sb, number: str):
    r = run_scenario("register_auth", sb.target, sb.workdir, sb.users[number],
                     keys={"expires": 600})
    assert r.returncode == 0, r.log


def register_and_unregister(sb, number: str):
    r = run_scenario("register_unregister", sb.target, sb.workdir, sb.users[number])
    assert r.returncode == 0, r.log


def subscribe(sb, token, **filters):
    ws = WebSocket(sb.http_port, "/api/v1/events", token)
    assert ws.status == 101
    ws.send_json({"action": "subscribe", **filters})
    ack = ws.recv_json()
    assert ack["type"] == "subscribed", ack
    return ws, ack


def test_events_filtered_by_type_and_extension_with_sequence(pbx):
    ws, ack = subscribe(pbx, pbx.token, types=["registration"], extensions=["1001"])
    assert ack["types"] == ["registration"] and ack["extensions"] == ["1001"]
    everything, _ = subscribe(pbx, pbx.token)
    register(pbx, "1002")  # filtered out for ws
    register_and_unregister(pbx, "1001")
    e = ws.recv_json()
    assert e["seq"] == 1 and e["type"] == "registration", e
    assert e["data"] == {"extension": "1001", "contacts": 1}
    e = ws.recv_json()
    assert e["seq"] == 2 and e["data"] == {"extension": "1001", "contacts": 0}, e
    # The unfiltered client saw all three, and the presence each one changed
    # (available, available, offline), numbered 1..6.
    seen = [everything.recv_json() for _ in range(6)]
    assert [x["seq"] for x in seen] == [1, 2, 3, 4, 5, 6]
    regs = [x["data"]["extension"] for x in seen if x["type"] == "registration"]
    assert regs == ["1002", "1001", "1001"]
    presence = [(x["data"]["extension"], x["data"]["state"]) for x in seen
                if x["type"] == "presence"]
    assert presence == [("1002", "available"), ("1001", "available"), ("1001", "offline")]
    ws.send_json({"action": "ping"})
    assert ws.recv_json() == {"type": "pong"}
    ws.close()
    everything.close()


def test_bad_subscriptions_are_answered_with_a_reason(pbx):
    ws, _ = subscribe(pbx, pbx.token)
    ws.send_json({"action": "subscribe", "types": ["weather"]})
    e = ws.recv_json()
    assert e["type"] == "error" and "unknown event type" in e["message"]
    ws.send_json({"action": "subscribe", "colour": "red"})
    assert "unknown field" in ws.recv_json()["message"]
    ws.send_frame(1, b"{not json")
    assert ws.recv_json()["type"] == "error"
    ws.close()


def test_upgrade_needs_credentials(pbx):
    ws = WebSocket(pbx.http_port, "/api/v1/events", None)
    assert ws.status == 401
    ws.close()
    ws = WebSocket(pbx.http_port, "/api/v1/events", "sbt_" + "1" * 64)
    assert ws.status == 401
    ws.close()
    # A plain GET (no upgrade) is told to upgrade.
    r = Api(pbx.http_port, pbx.token).get("/api/v1/events")
    assert r.status == 426


def test_user_sees_only_their_own_extension(pbx):
    tok = make_token(pbx, "user", "u1001", "1001")
    ws, ack = subscribe(pbx, tok, extensions=["1002"])
    assert ack["extensions"] == ["1001"]  # narrowed to their own
    register(pbx, "1002")
    register(pbx, "1001")
    e = ws.recv_json()
    assert e["data"]["extension"] == "1001" and e["seq"] == 1
    ws.close()


def test_client_disconnecting_mid_stream(pbx):
    api = Api(pbx.http_port, pbx.token)
    subscribers = lambda: [l for l in api.get("/metrics").body.decode().splitlines()  # noqa: E731
                           if l.startswith("switchboard_event_subscribers ")]
    ws, _ = subscribe(pbx, pbx.token)
    register(pbx, "1001")
    assert ws.recv_json()["seq"] == 1
    assert subscribers() == ["switchboard_event_subscribers 1"]
    ws.sock.close()  # no close frame: gone mid-stream
    register(pbx, "1002")  # events for the dead client
    register(pbx, "1001")
    assert wait_until(lambda: subscribers() == ["switchboard_event_subscribers 0"], timeout=5)
    # The server and the core carry on.
    assert api.get("/api/v1/status").status == 200
    ws2, _ = subscribe(pbx, pbx.token)
    register(pbx, "1002")
    e = ws2.recv_json()
    assert e["seq"] == 1 and e["data"] == {"extension": "1002", "contacts": 2}, e

    ws2.close()
