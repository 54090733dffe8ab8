"""Issue 4 with real peers: SIPp scenarios (tests/sipp/) and baresip register
with digest auth against the real binary; bans, keep-alive, persistence."""
import re
import socket
import time

import pytest

from conftest import free_port, minimal_config, wait_until
from harness.baresip import Baresip
from harness.sipp import run_scenario, write_users

PW = {n: f"Pass-word-{n}!" for n in ("1001", "1002")}  # as minimal_config writes them


def start_pbx(factory, extra: str = ""):
    sip = free_port("both")
    sb = factory(minimal_config(free_port(), sip, extra=extra)).start()
    sb.sip_port = sip
    sb.target = f"127.0.0.1:{sip}"
    return sb


def registrations(sb) -> list[dict]:
    return sb.get("/api/v1/registrations")[1]["registrations"]


@pytest.fixture
def pbx(switchboard_factory):
    return start_pbx(switchboard_factory)


@pytest.fixture
def users(workdir):
    return write_users(workdir / "users.csv", [("1001", PW["1001"])])


def test_register_with_auth(pbx, workdir, users):
    r = run_scenario("register_auth", pbx.target, workdir, users, keys={"expires": 600})
    assert r.returncode == 0 and r.count("SuccessfulCall(C)") == 1, r.log
    regs = registrations(pbx)
    assert len(regs) == 1, regs
    b = regs[0]
    assert b["extension"] == "1001" and b["transport"] == "UDP" and b["user_agent"] == "SIPp"
    assert b["source"].startswith("127.0.0.1:") and 590 <= b["expires_in"] <= 600
    sec = pbx.get("/api/v1/status")[1]["security"]
    assert sec["challenges"] >= 1 and sec["auth_ok"] == 1 and sec["auth_failures"] == 0


def test_register_over_tcp_keeps_the_connection(pbx, workdir, users):
    r = run_scenario("register_auth", pbx.target, workdir, users, keys={"expires": 600},
                     transport="t1")
    assert r.returncode == 0, r.log
    regs = registrations(pbx)
    assert [b["transport"] for b in regs] == ["TCP"], regs


def test_bad_password_is_forbidden(pbx, workdir):
    bad = write_users(workdir / "bad.csv", [("1001", "not-the-password")])
    r = run_scenario("register_bad_password", pbx.target, workdir, bad)
    assert r.returncode == 0 and r.count("SuccessfulCall(C)") == 1, r.log  # it got its 403
    assert registrations(pbx) == []
    assert pbx.get("/api/v1/status")[1]["security"]["auth_failures"] == 1
    assert re.search(r"\[security\].*authentication failed: source=127\.0\.0\.1 user=\"1001\"",
                     pbx.proc.output())
    # The right password still works: one failure is not a ban.
    good = write_users(workdir / "good.csv", [("1001", PW["1001"])])
    r = run_scenario("register_auth", pbx.target, workdir, good, keys={"expires": 600})
    assert r.returncode == 0, r.log


def test_refresh_keeps_one_binding(pbx, workdir, users):
    r = run_scenario("register_refresh", pbx.target, workdir, users)
    assert r.returncode == 0 and r.count("SuccessfulCall(C)") == 1, r.log
    regs = registrations(pbx)
    assert len(regs) == 1 and 290 <= regs[0]["expires_in"] <= 300, regs
    assert pbx.get("/api/v1/status")[1]["registrar"]["refreshes"] == 1


def test_unregister_one_contact(pbx, workdir, users):
    r = run_scenario("register_unregister", pbx.target, workdir, users)
    assert r.returncode == 0 and r.count("SuccessfulCall(C)") == 1, r.log
    assert registrations(pbx) == []


def test_unregister_all_with_star(pbx, workdir, users):
    r = run_scenario("register_unregister_all", pbx.target, workdir, users)
    assert r.returncode == 0 and r.count("SuccessfulCall(C)") == 1, r.log
    assert registrations(pbx) == []


def test_multiple_contacts_ring_together(pbx, workdir, users):
    r = run_scenario("register_two_contacts", pbx.target, workdir, users)
    assert r.returncode == 0, r.log
    # A third device: another SIPp on another port.
    r = run_scenario("register_auth", pbx.target, workdir, users, keys={"expires": 600})
    assert r.returncode == 0, r.log
    regs = registrations(pbx)
    assert len(regs) == 3, regs
    assert {b["extension"] for b in regs} == {"1001"}
    assert any(b["contact"].endswith(":5999;transport=tcp") for b in regs)


def test_too_brief_is_423(pbx, workdir, users):
    r = run_scenario("register_too_brief", pbx.target, workdir, users)
    assert r.returncode == 0 and r.count("SuccessfulCall(C)") == 1, r.log
    assert registrations(pbx) == []


def test_brute_force_ends_in_a_ban(switchboard_factory, workdir):
    sb = start_pbx(switchboard_factory,
                   "security:\n  max_failed_attempts: 3\n  ban_duration: 600\n")
    bad = write_users(workdir / "bad.csv", [("1001", f"guess-{i}") for i in range(8)])
    r = run_scenario("register_bad_password", sb.target, workdir, bad, calls=8, rate=4,
                     extra=["-recv_timeout", "2000"])
    # Three guesses got their 403; from then on the PBX does not answer at all.
    assert r.count("SuccessfulCall(C)") == 3, r
    assert r.count("FailedCall(C)") == 5, r
    sec = sb.get("/api/v1/status")[1]["security"]
    assert sec["bans"] == 1 and sec["active_bans"] == 1 and sec["auth_failures"] == 3, sec
    assert sec["dropped_banned"] >= 5, sec
    assert re.search(r"\[security\].*banned source=127\.0\.0\.1 for 600 s after 3 failed",
                     sb.proc.output())
    # Even the right password goes unheard from the banned address.
    good = write_users(workdir / "good.csv", [("1001", PW["1001"])])
    r = run_scenario("register_auth", sb.target, workdir, good, keys={"expires": 600},
                     extra=["-recv_timeout", "2000"])
    assert r.returncode != 0 and r.count("SuccessfulCall(C)") == 0, r
    assert registrations(sb) == []


def test_allow_listed_host_is_never_banned(switchboard_factory, workdir):
    sb = start_pbx(switchboard_factory, "security:\n  max_failed_attempts: 2\n"
                                        "  ip_allow_list: ['127.0.0.0/8', '::1']\n")
    bad = write_users(workdir / "bad.csv", [("1001", f"guess-{i}") for i in range(4)])
    r = run_scenario("register_bad_password", sb.target, workdir, bad, calls=4, rate=4,
                     extra=["-recv_timeout", "2000"])
    assert r.count("SuccessfulCall(C)") == 4, r  # every guess answered 403, no ban
    assert sb.get("/api/v1/status")[1]["security"]["bans"] == 0


def raw_request(port: int, text: str) -> str:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(5)
    s.bind(("127.0.0.1", 0))
    s.sendto(text.replace("PORT", str(s.getsockname()[1])).encode(), ("127.0.0.1", port))
    try:
        while True:  # skip 100 Trying
            reply = s.recv(65535).decode()
            if not reply.startswith("SIP/2.0 1"):
                return reply
    finally:
        s.close()


def request(method: str, user: str, port: int, call_id: str) -> str:
    ruri = f"sip:127.0.0.1:{port}" if method == "REGISTER" else f"sip:{user}@127.0.0.1:{port}"
    return (f"{method} {ruri} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP 127.0.0.1:PORT;branch=z9hG4bK{call_id};rport\r\n"
            f"Max-Forwards: 70\r\nFrom: <sip:{user}@127.0.0.1>;tag=f{call_id}\r\n"
            f"To: <sip:{user}@127.0.0.1>\r\nCall-ID: {call_id}\r\nCSeq: 1 {method}\r\n"
            f"Contact: <sip:{user}@127.0.0.1:PORT>\r\nContent-Length: 0\r\n\r\n")


def shape(reply: str) -> str:
    """A response with its per-request parts (tags, nonces, Via) blanked out."""
    lines = [l for l in reply.split("\r\n") if l and not l.startswith(("Via:", "From:", "To:",
                                                                      "Call-ID:", "CSeq:"))]
    return re.sub(r'nonce="[A-Za-z0-9+/]{64}"', "nonce=N", "\n".join(lines))


def test_unknown_extensions_cannot_be_told_apart(pbx):
    for method, code in (("REGISTER", "401"), ("INVITE", "407"), ("MESSAGE", "407")):
        known = raw_request(pbx.sip_port, request(method, "1001", pbx.sip_port, f"k{method}"))
        unknown = raw_request(pbx.sip_port, request(method, "1999", pbx.sip_port, f"u{method}"))
        assert known.startswith(f"SIP/2.0 {code} "), known
        assert shape(known) == shape(unknown), (known, unknown)
        assert "nonce=N" in shape(known) and 'algorithm=SHA-256' in known


def test_options_from_a_phone_is_challenged(pbx):
    reply = raw_request(pbx.sip_port, request("OPTIONS", "1001", pbx.sip_port, "opt1"))
    assert reply.startswith("SIP/2.0 407 "), reply


def test_bindings_survive_a_restart_and_expire_on_time(switchboard_factory, workdir, users):
    extra = "registrar:\n  min_expires: 1\n"
    sb = start_pbx(switchboard_factory, extra)
    r = run_scenario("register_two_contacts", sb.target, workdir, users)  # 3600 s
    assert r.returncode == 0, r.log
    short = write_users(workdir / "u2.csv", [("1002", PW["1002"])])
    r = run_scenario("register_auth", sb.target, workdir, short, keys={"expires": 4})
    assert r.returncode == 0, r.log
    assert len(registrations(sb)) == 3
    sb.stop()
    sb.start()
    regs = registrations(sb)
    assert sorted(b["extension"] for b in regs) == ["1001", "1001", "1002"], regs
    assert "3 binding(s) restored from the store" in sb.proc.output()
    # 1002's four seconds run out after the restart, as they would have before.
    assert wait_until(lambda: len(registrations(sb)) == 2, timeout=10), registrations(sb)
    sb.stop()
    sb.start()
    assert "2 binding(s) restored from the store" in sb.proc.output()


def test_keepalive_options_then_removal(switchboard_factory, workdir, users):
    sip = free_port("both")
    cfg = minimal_config(free_port(), sip,
                         extra="registrar:\n  keepalive_interval: 1\n  keepalive_misses: 2\n")
    cfg = cfg.replace(f"  sip_port: {sip}\n", f"  sip_port: {sip}\n  sip_timers:\n    t1: 50\n")
    sb = switchboard_factory(cfg).start()
    from harness.procs import Proc
    from harness.sipp import SCENARIOS
    port = free_port("both")
    sipp = Proc("sipp-keepalive", [
        "sipp", f"127.0.0.1:{sip}", "-sf", str(SCENARIOS / "register_keepalive.xml"),
        "-oocsf", str(SCENARIOS / "ooc_options.xml"), "-inf", str(users), "-key", "expires",
        "3600", "-m", "1", "-i", "127.0.0.1", "-p", str(port), "-mp", str(free_port("udp")),
        "-nostdin", "-trace_err", "-timeout", "20", "-timeout_error"],
        workdir / "sipp-keepalive.log", cwd=workdir)
    # While SIPp is there it answers the OPTIONS and stays registered.
    assert wait_until(lambda: len(registrations(sb)) == 1, timeout=5)
    time.sleep(2.5)
    regs = registrations(sb)
    assert len(regs) == 1 and regs[0]["state"] == "active", regs
    assert sb.get("/api/v1/status")[1]["registrar"]["keepalive_pings"] >= 2
    assert sipp.wait(15) == 0, sipp.output()
    # Gone: two unanswered OPTIONS (Timer F = 64 x 50 ms) and it is removed.
    assert wait_until(lambda: registrations(sb) == [], timeout=15), registrations(sb)
    assert f"sip:1001@127.0.0.1:{port} removed after 2 unanswered keep-alives" in sb.proc.output()


def test_baresip_registers_with_a_password(switchboard_factory, workdir):
    # baresip 1.0 (libre 1.0) gives up ("Function not implemented") when any
    # challenge in the 401 names an algorithm other than MD5, so this PBX is
    # configured to offer MD5 only (security.digest_algorithms).
    pbx = start_pbx(switchboard_factory, "security:\n  digest_algorithms: [MD5]\n")
    phone = Baresip(workdir / "baresip")  # starts with an account that does not register
    try:
        # The account is added once ctrl_tcp listens, so its event is not lost.
        phone.command("uanew",
                      f"<sip:1001@127.0.0.1:{pbx.sip_port}>;auth_pass={PW['1001']};regint=60")
        ev = phone.wait_event("REGISTER_OK", timeout=15)
        assert ev is not None, phone.proc.output()
        regs = registrations(pbx)
        assert len(regs) == 1 and regs[0]["extension"] == "1001", regs
        assert "baresip" in regs[0]["user_agent"].lower()
    finally:
        phone.stop()


def test_baresip_with_a_wrong_password_fails(switchboard_factory, workdir):
    pbx = start_pbx(switchboard_factory, "security:\n  digest_algorithms: [MD5]\n")
    phone = Baresip(workdir / "baresip")
    try:
        phone.command("uanew", f"<sip:1001@127.0.0.1:{pbx.sip_port}>;auth_pass=wrong-one;regint=60")
        ev = phone.wait_event("REGISTER_FAIL", timeout=15)
        assert ev is not None, phone.proc.output()
        assert registrations(pbx) == []
    finally:
        phone.stop()


def test_rate_limit_drops_a_flood(switchboard_factory):
    sb = start_pbx(switchboard_factory,
                   "security:\n  rate_limit_per_second: 5\n  rate_limit_burst: 5\n")
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.settimeout(1.0)
    for i in range(50):
        s.sendto(request("OPTIONS", "1001", sb.sip_port, f"flood{i}").replace(
            "PORT", str(s.getsockname()[1])).encode(), ("127.0.0.1", sb.sip_port))
    replies = 0
    try:
        while True:
            s.recv(65535)
            replies += 1
    except socket.timeout:
        pass
    s.close()
    assert 5 <= replies <= 12, replies  # the burst, plus what refilled meanwhile
    sec = sb.get("/api/v1/status")[1]["security"]
    assert sec["dropped_rate_limited"] >= 38, sec
    assert "rate limit: dropping packets from 127.0.0.1" in sb.proc.output()


def test_tcp_keepalive_uses_the_connection(switchboard_factory, workdir, users):
    """A TCP contact is pinged with CRLF on its own connection; once the phone
    closes it, the pings miss and the contact goes."""
    sb = start_pbx(switchboard_factory,
                   "registrar:\n  keepalive_interval: 1\n  keepalive_misses: 2\n")
    from harness.procs import Proc
    from harness.sipp import SCENARIOS
    sipp = Proc("sipp-tcp", [
        "sipp", sb.target, "-sf", str(SCENARIOS / "register_keepalive.xml"), "-t", "t1",
        "-oocsf", str(SCENARIOS / "ooc_options.xml"), "-inf", str(users), "-key", "expires",
        "3600", "-m", "1", "-i", "127.0.0.1", "-p", str(free_port("both")),
        "-mp", str(free_port("udp")), "-nostdin", "-timeout", "20", "-timeout_error"],
        workdir / "sipp-tcp.log", cwd=workdir)
    assert wait_until(lambda: len(registrations(sb)) == 1, timeout=5)
    time.sleep(2.5)
    regs = registrations(sb)
    assert len(regs) == 1 and regs[0]["transport"] == "TCP" and regs[0]["state"] == "active", regs
    assert sipp.wait(15) == 0, sipp.output()
    assert wait_until(lambda: registrations(sb) == [], timeout=10), registrations(sb)
