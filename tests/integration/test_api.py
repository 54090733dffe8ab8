"""Issue 9 against the real binary: the OpenAPI document against the routes,
the role × endpoint matrix walked in full, authentication (tokens, login,
cookie, lockout), request validation, limits, CORS, extensions CRUD applied
live (a SIPp REGISTER with the new extension), CDR/statistics/CSV, audit log,
metrics. Every JSON response is validated against the server's document."""
import json
import sqlite3
import subprocess

import pytest

from api_client import Api, OpenApi, WebSocket
from conftest import BINARY, free_port, minimal_config, wait_until
from harness.sipp import run_scenario, write_users

# The endpoints this build serves; a route added or removed without updating
# the document (or this list) fails test_openapi_matches_the_routes.
EXPECTED_ROUTES = {
    ("GET", "/health"), ("GET", "/api/v1/openapi.json"), ("GET", "/metrics"),
    ("POST", "/api/v1/auth/login"), ("POST", "/api/v1/auth/logout"), ("GET", "/api/v1/auth/me"),
    ("GET", "/api/v1/status"), ("GET", "/api/v1/config"), ("GET", "/api/v1/audit"),
    ("GET", "/api/v1/extensions"), ("POST", "/api/v1/extensions"),
    ("GET", "/api/v1/extensions/{number}"), ("PATCH", "/api/v1/extensions/{number}"),
    ("DELETE", "/api/v1/extensions/{number}"),
    ("GET", "/api/v1/registrations"), ("GET", "/api/v1/calls"),
    ("DELETE", "/api/v1/calls/{call_id}"), ("POST", "/api/v1/calls"),
    ("POST", "/api/v1/calls/{call_id}/hold"), ("POST", "/api/v1/calls/{call_id}/resume"),
    ("POST", "/api/v1/calls/{call_id}/recording"), ("DELETE", "/api/v1/calls/{call_id}/recording"),
    ("POST", "/api/v1/calls/{call_id}/transfer"), ("POST", "/api/v1/calls/{call_id}/park"),
    ("POST", "/api/v1/calls/{call_id}/consult"),
    ("POST", "/api/v1/calls/{call_id}/consult/complete"),
    ("POST", "/api/v1/calls/{call_id}/consult/cancel"),
    ("POST", "/api/v1/calls/{call_id}/consult/merge"),
    ("GET", "/api/v1/voicemail-lockouts"),
    ("DELETE", "/api/v1/voicemail-lockouts/{scope}/{subject}"),
    ("GET", "/api/v1/cdr"), ("GET", "/api/v1/cdr/export"), ("GET", "/api/v1/statistics"),
    ("GET", "/api/v1/events"),
    ("GET", "/api/v1/voicemail/{mailbox}/messages"),
    ("GET", "/api/v1/voicemail/{mailbox}/messages/{id}"),
    ("GET", "/api/v1/voicemail/{mailbox}/messages/{id}/audio"),
    ("PATCH", "/api/v1/voicemail/{mailbox}/messages/{id}"),
    ("DELETE", "/api/v1/voicemail/{mailbox}/messages/{id}"),
    ("GET", "/api/v1/presence"), ("GET", "/api/v1/presence/{extension}"),
    ("PUT", "/api/v1/presence/{extension}"),
    ("GET", "/api/v1/queues"), ("GET", "/api/v1/parked"),
}

# The permission matrix as the issue states it, written independently of the
# server's table: which roles may use each permission.
MATRIX = {
    "status:read": {"admin", "operator", "user"},
    "extensions:read": {"admin", "operator", "user"},
    "registrations:read": {"admin", "operator", "user"},
    "calls:read": {"admin", "operator", "user"},
    "cdr:read": {"admin", "operator", "user"},
    "events:read": {"admin", "operator", "user"},
    "presence:read": {"admin", "operator", "user"},
    "presence:write": {"admin", "operator", "user"},
    "voicemail:read": {"admin", "operator", "user"},
    "voicemail:write": {"admin", "operator", "user"},
    "queues:read": {"admin", "operator", "user"},
    "calls:control": {"admin", "operator"},
    "calls:originate": {"admin", "operator", "user"},
    "calls:record": {"admin", "operator", "user"},
    "calls:transfer": {"admin", "operator", "user"},
    "voicemail:admin": {"admin", "operator"},
    "stats:read": {"admin", "operator"},
    "metrics:read": {"admin", "operator"},
    "extensions:write": {"admin"},
    "config:read": {"admin"},
    "audit:read": {"admin"},
}

PW = {n: f"Pass-word-{n}!" for n in ("1001", "1002")}


def cli(sb, *args, stdin: str | None = None):
    return subprocess.run([str(BINARY), *args, "-c", str(sb.config_path)], cwd=sb.workdir,
                          env=sb.env, capture_output=True, text=True, input=stdin, timeout=30)


def make_token(sb, role: str, name: str, extension: str | None = None) -> str:
    args = ["token", "create", "--role", role, "--name", name]
    if extension:
        args += ["--extension", extension]
    r = cli(sb, *args)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


@pytest.fixture
def pbx(switchboard_factory):
    sip = free_port("both")
    sb = switchboard_factory(minimal_config(free_port(), sip)).start()
    sb.sip_port = sip
    raw = Api(sb.http_port).get("/api/v1/openapi.json")
    assert raw.status == 200
    sb.openapi = OpenApi(raw.json)
    sb.tokens = {"admin": sb.token, "operator": make_token(sb, "operator", "op"),
                 "user": make_token(sb, "user", "u1001", "1001")}
    sb.api = {role: Api(sb.http_port, tok, openapi=sb.openapi) for role, tok in sb.tokens.items()}
    sb.anon = Api(sb.http_port, None, openapi=sb.openapi)
    return sb


def concrete(path: str) -> str:
    """A path a user of extension 1001 may use: their own extension and mailbox."""
    return (path.replace("{number}", "1001").replace("{call_id}", "no-such-call")
            .replace("{extension}", "1001").replace("{mailbox}", "1001").replace("{id}", "1"))


def test_openapi_matches_the_routes(pbx):
    doc = pbx.openapi.doc
    assert doc["openapi"].startswith("3.")
    documented = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    assert documented == EXPECTED_ROUTES
    # Every documented operation is served (the router answers "no_route"
    # for paths it does not have), with a non-GET that exists under GET too.
    for method, path in documented:
        r = pbx.api["admin"].request(method, concrete(path),
                                     body={} if method in ("POST", "PATCH", "PUT") else None)
        assert not (r.status == 404 and r.json.get("error") == "no_route"), (method, path, r)
        assert r.status != 405, (method, path, r)
    # And an undocumented one is not.
    r = pbx.api["admin"].get("/api/v1/voicemail")
    assert r.status == 404 and r.json["error"] == "no_route"
    assert pbx.openapi.checked > 10


def test_role_matrix_walked_in_full(pbx):
    doc = pbx.openapi.doc
    walked = 0
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            perm = op["x-permission"]
            body = {} if method in ("post", "patch", "put") else None
            if perm == "public":
                r = pbx.anon.request(method.upper(), concrete(path), body=body)
                assert r.status not in (401, 403), (method, path, r)
                continue
            r = pbx.anon.request(method.upper(), concrete(path), body=body)
            assert r.status == 401 and r.json["error"] == "unauthorized", (method, path, r)
            for role, api in pbx.api.items():
                if method == "post" and path.endswith("/logout"):
                    continue  # would end nothing for a token; covered in the login test
                r = api.request(method.upper(), concrete(path), body=body)
                if role in MATRIX[perm]:
                    assert r.status not in (401, 403), (role, method, path, r)
                else:
                    assert r.status == 403 and r.json["error"] == "forbidden", (role, method, path, r)
                walked += 1
    assert walked >= 3 * 15


def test_user_sees_only_their_own_extension(pbx):
    user = pbx.api["user"]
    exts = user.get("/api/v1/extensions").json["extensions"]
    assert [e["number"] for e in exts] == ["1001"]
    assert user.get("/api/v1/extensions/1002").status == 403
    assert user.get("/api/v1/extensions/1001").json["number"] == "1001"
    all_exts = pbx.api["operator"].get("/api/v1/extensions").json["extensions"]
    assert {e["number"] for e in all_exts} == {"1001", "1002"}


def test_bad_tokens_and_credentials(pbx):
    api = Api(pbx.http_port, openapi=pbx.openapi)
    for tok in ["sbt_" + "0" * 64, "garbage", "x" * 500, pbx.tokens["admin"] + "0"]:
        r = api.get("/api/v1/status", token=tok)
        assert r.status == 401 and r.header("WWW-Authenticate") == "Bearer", r
    r = api.get("/api/v1/status", token=None, headers={"Authorization": "Basic YWRtaW46YWRtaW4="})
    assert r.status == 401
    # A revoked token stops working at once.
    tok = make_token(pbx, "admin", "short-lived")
    assert api.get("/api/v1/status", token=tok).status == 200
    assert cli(pbx, "token", "revoke", "--name", "short-lived").returncode == 0
    assert api.get("/api/v1/status", token=tok).status == 401
    # Only hashes are stored.
    db = sqlite3.connect(pbx.workdir / "var" / "switchboard.db")
    hashes = [row[0] for row in db.execute("SELECT token_hash FROM api_tokens")]
    assert hashes and tok not in hashes and all(len(h) == 64 for h in hashes)
    m = Api(pbx.http_port, pbx.tokens["admin"]).get("/metrics").body.decode()
    assert "switchboard_api_rejected_credentials_total" in m


def test_malformed_requests_are_rejected_with_a_reason(pbx):
    admin = pbx.api["admin"]
    r = admin.post("/api/v1/extensions", raw=b'{"number": "1050",', token="default",
                   headers={"Content-Type": "application/json"})
    assert r.status == 400 and r.json["error"] == "invalid_json", r
    cases = [
        ({"number": 1050, "name": "X", "password": "long-enough"}, "number", "expected string"),
        ({"number": "1050", "name": "X", "password": "long-enough", "colour": "red"}, "colour",
         "unknown field"),
        ({"number": "1050", "name": "X"}, "password", "required"),
        ({"number": "10a0", "name": "X", "password": "long-enough"}, "number", "does not match"),
        ({"number": "1050", "name": "X", "password": "long-enough", "enabled": "yes"}, "enabled",
         "expected boolean"),
        ([1, 2], "", "expected a JSON object"),
    ]
    for body, field, reason in cases:
        r = admin.post("/api/v1/extensions", body=body)
        assert r.status == 400 and r.json["error"] == "validation_failed", (body, r)
        assert r.json["details"]["field"] == field and reason in r.json["details"]["reason"], r
    r = admin.post("/api/v1/extensions", raw=b"number=1050",
                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 415
    r = admin.get("/api/v1/cdr?limit=ten")
    assert r.status == 400 and r.json["details"] == {"field": "limit", "reason": "expected integer"}
    r = admin.get("/api/v1/cdr?colour=red")
    assert r.status == 400 and r.json["details"]["reason"] == "unknown query parameter"
    r = admin.get("/api/v1/cdr?limit=5000")
    assert r.status == 400 and r.json["details"]["field"] == "limit"
    r = admin.request("PUT", "/api/v1/status")
    assert r.status == 405 and r.json["error"] == "method_not_allowed"
    # Oversized: refused from the Content-Length alone, before the body is
    # read, and the connection closed; the next connection works.
    import socket
    with socket.create_connection(("127.0.0.1", pbx.http_port), timeout=5) as s:
        s.sendall(b"POST /api/v1/extensions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                  b"\r\nContent-Length: 2000000\r\n\r\n" + b"x" * 1000)
        reply = b""
        while chunk := s.recv(4096):
            reply += chunk
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413"), reply
    assert json.loads(body)["error"] == "payload_too_large"
    # Headers over 16 KiB: 413 as well.
    r = admin.get("/api/v1/status", headers={"X-Filler": "y" * 20000})
    assert r.status == 413
    assert admin.get("/health").status == 200


def test_keep_alive_serves_many_requests_on_one_connection(pbx):
    api = pbx.api["admin"]
    conn = api.connection()
    for _ in range(20):
        assert api.get("/api/v1/status", conn=conn).status == 200
    conn.close()


def test_login_cookie_session_and_lockout(pbx):
    r = cli(pbx, "user", "create", "--username", "ada", "--role", "operator", "--extension",
            "1001", stdin="Correct-horse-1\n")
    assert r.returncode == 0, r.stderr
    api = Api(pbx.http_port, openapi=pbx.openapi)
    r = api.post("/api/v1/auth/login", {"extension": "1001", "password": "Correct-horse-1"},
                 token=None)
    assert r.status == 200 and r.json["role"] == "operator", r
    cookie = r.header("Set-Cookie")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie
    session = cookie.split(";")[0]
    me = api.get("/api/v1/auth/me", token=None, headers={"Cookie": session})
    assert me.status == 200 and me.json == {"actor": "ada", "role": "operator",
                                            "extension": "1001"}
    assert api.get("/api/v1/calls", token=r.json["token"]).status == 200  # as Bearer too
    assert api.get("/api/v1/config", token=r.json["token"]).status == 403  # operator
    assert api.post("/api/v1/auth/logout", token=None, headers={"Cookie": session}).status == 204
    assert api.get("/api/v1/auth/me", token=None, headers={"Cookie": session}).status == 401
    # Five failures lock the account (and the source) out, the right password included.
    for _ in range(4):
        r = api.post("/api/v1/auth/login", {"extension": "1001", "password": "wrong-one"},
                     token=None)
        assert r.status == 401 and r.json["error"] == "bad_credentials"
    r = api.post("/api/v1/auth/login", {"extension": "1001", "password": "wrong-one"}, token=None)
    assert r.status == 401
    r = api.post("/api/v1/auth/login", {"extension": "1001", "password": "Correct-horse-1"},
                 token=None)
    assert r.status == 429 and int(r.header("Retry-After")) > 0, r
    audit = pbx.api["admin"].get("/api/v1/audit?action=auth.login").json
    results = [e["details"]["result"] for e in audit["entries"]]
    assert results.count("failed") == 5 and "ok" in results and "locked_out" in results
    m = Api(pbx.http_port, pbx.tokens["admin"]).get("/metrics").body.decode()
    assert "switchboard_api_lockouts_total 1" in m


def test_extensions_crud_applied_live(pbx):
    admin = pbx.api["admin"]
    r = admin.post("/api/v1/extensions", {"number": "1050", "name": "New Desk",
                                          "password": "New-desk-1050!"})
    assert r.status == 201 and r.json["source"] == "api", r
    assert admin.post("/api/v1/extensions", {"number": "1050", "name": "Again",
                                             "password": "New-desk-1050!"}).status == 409
    users = write_users(pbx.workdir / "u1050.csv", [("1050", "New-desk-1050!")])
    target = f"127.0.0.1:{pbx.sip_port}"
    ok = wait_until(lambda: run_scenario("register_auth", target, pbx.workdir, users,
                                         keys={"expires": 600}).returncode == 0, timeout=5)
    assert ok
    regs = admin.get("/api/v1/registrations?extension=1050").json["registrations"]
    assert [b["extension"] for b in regs] == ["1050"]
    r = admin.request("PATCH", "/api/v1/extensions/1050", body={"name": "Renamed"})
    assert r.status == 200 and r.json["name"] == "Renamed"
    r = admin.request("PATCH", "/api/v1/extensions/1001", body={"name": "Nope"})
    assert r.status == 409 and r.json["error"] == "read_only"
    assert admin.request("DELETE", "/api/v1/extensions/1050").status == 204
    assert admin.get("/api/v1/extensions/1050").status == 404
    assert wait_until(lambda: not admin.get("/api/v1/registrations?extension=1050")
                      .json["registrations"])
    actions = [e["action"] for e in admin.get("/api/v1/audit?actor=token:" +
                                              admin.get("/api/v1/auth/me").json["actor"][6:])
               .json["entries"]]
    assert "POST /api/v1/extensions" in actions and "DELETE /api/v1/extensions/{number}" in actions


def insert_cdr(db_path, rows):
    db = sqlite3.connect(db_path)
    for i, (caller, callee, start, disposition, billsec) in enumerate(rows):
        db.execute(
            "INSERT INTO cdr (call_id, caller, caller_name, callee, direction, start_time,"
            " answer_time, end_time, duration_s, billsec_s, disposition, hangup_cause, status)"
            " VALUES (?, ?, '', ?, 'internal', ?, ?, ?, ?, ?, ?, 'normal', 'complete')",
            (f"c{i}", caller, callee, start, start if billsec else None, start, billsec, billsec,
             disposition))
    db.commit()


def test_cdr_filters_pages_csv_and_statistics(pbx):
    insert_cdr(pbx.workdir / "var" / "switchboard.db", [
        ("1001", "1002", "2026-01-01T10:00:00.000Z", "ANSWERED", 60),
        ("1002", "1001", "2026-01-01T11:00:00.000Z", "NO_ANSWER", 0),
        ("1001", "1002", "2026-01-02T10:00:00.000Z", "ANSWERED", 30),
        ("1002", "1003", "2026-01-02T12:00:00.000Z", "BUSY", 0),
    ])
    admin = pbx.api["admin"]
    r = admin.get("/api/v1/cdr?from=2026-01-01T00:00:00Z&to=2026-01-03T00:00:00Z&limit=2")
    assert r.json["total"] == 4 and len(r.json["records"]) == 2
    assert r.json["records"][0]["call_id"] == "c3"  # newest first
    r2 = admin.get("/api/v1/cdr?from=2026-01-01T00:00:00Z&limit=2&offset=2")
    assert [x["call_id"] for x in r2.json["records"]] == ["c1", "c0"]
    assert admin.get("/api/v1/cdr?disposition=ANSWERED").json["total"] == 2
    assert admin.get("/api/v1/cdr?disposition=SOMETIMES").status == 400
    assert admin.get("/api/v1/cdr?from=yesterday").status == 400
    assert admin.get("/api/v1/cdr?extension=1003").json["total"] == 1
    # A user sees only calls of their own extension, whatever they ask.
    assert pbx.api["user"].get("/api/v1/cdr?extension=1003").json["total"] == 3
    csv = admin.get("/api/v1/cdr/export?disposition=ANSWERED")
    lines = csv.body.decode().strip().split("\r\n")
    assert lines[0].startswith("id,call_id,caller") and len(lines) == 3
    assert csv.header("Content-Type") == "text/csv"
    st = admin.get("/api/v1/statistics?from=2026-01-01T00:00:00Z&to=2026-01-03T00:00:00Z").json
    assert st["totals"] == {"total": 4, "answered": 2, "answer_rate": 0.5, "avg_billsec": 45.0}
    assert [d["day"] for d in st["daily"]] == ["2026-01-01", "2026-01-02"]
    per = {e["extension"]: e for e in st["extensions"]}
    assert per["1001"]["answered"] == 2


def test_config_is_redacted(pbx):
    cfg = pbx.api["admin"].get("/api/v1/config")
    text = cfg.body.decode()
    assert cfg.status == 200 and "Pass-word-1001!" not in text
    assert cfg.json["extensions"][0]["password"] == "********"


def test_metrics_in_prometheus_text(pbx):
    users = write_users(pbx.workdir / "users.csv", [("1001", PW["1001"])])
    r = run_scenario("register_auth", f"127.0.0.1:{pbx.sip_port}", pbx.workdir, users,
                     keys={"expires": 600})
    assert r.returncode == 0, r.log
    m = pbx.api["operator"].get("/metrics")
    assert m.status == 200 and m.header("Content-Type").startswith("text/plain; version=0.0.4")
    samples = {}
    for line in m.body.decode().splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    assert samples["switchboard_registrations"] == 1
    assert samples["switchboard_active_calls"] == 0
    assert 'switchboard_calls_total{disposition="answered"}' in samples
    assert "switchboard_sip_auth_failures_total" in samples
    assert samples["process_resident_memory_bytes"] > 1e6
    assert samples["process_cpu_seconds_total"] >= 0


def test_cors_allow_list(switchboard_factory):
    extra = "  enable_cors: true\n  cors_origins: ['https://console.example']\n"
    cfg = minimal_config(free_port(), free_port("both")).replace("api:\n", "api:\n" + extra, 1)
    sb = switchboard_factory(cfg).start()
    api = Api(sb.http_port, sb.token)
    pre = api.request("OPTIONS", "/api/v1/status", token=None,
                      headers={"Origin": "https://console.example",
                               "Access-Control-Request-Method": "GET"})
    assert pre.status == 204
    assert pre.header("Access-Control-Allow-Origin") == "https://console.example"
    assert "Authorization" in pre.header("Access-Control-Allow-Headers")
    bad = api.request("OPTIONS", "/api/v1/status", token=None,
                      headers={"Origin": "https://evil.example",
                               "Access-Control-Request-Method": "GET"})
    assert bad.status == 403 and bad.header("Access-Control-Allow-Origin") is None
    ok = api.get("/api/v1/status", headers={"Origin": "https://console.example"})
    assert ok.header("Access-Control-Allow-Origin") == "https://console.example"
    assert api.get("/api/v1/status", headers={"Origin": "https://evil.example"}).header(
        "Access-Control-Allow-Origin") is None


def test_cors_off_by_default(pbx):
    r = pbx.api["admin"].get("/api/v1/status", headers={"Origin": "https://console.example"})
    assert r.status == 200 and r.header("Access-Control-Allow-Origin") is None
