"""The running switchboard speaks SIP on its configured addresses (issue 3 §3)."""
import re
import socket

import pytest

from conftest import free_port, minimal_config


def options(branch: str, transport: str, port: int) -> bytes:
    return (f"OPTIONS sip:pbx@127.0.0.1:{port} SIP/2.0\r\n"
            f"Via: SIP/2.0/{transport} 127.0.0.1:9;branch=z9hG4bK{branch};rport\r\n"
            "Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=p1\r\n"
            f"To: <sip:pbx@127.0.0.1>\r\nCall-ID: {branch}@probe\r\nCSeq: 1 OPTIONS\r\n"
            "Content-Length: 0\r\n\r\n").encode()


@pytest.fixture
def pbx(switchboard_factory):
    # The probe plays a trusted host (Kamailio, a trunk): its OPTIONS need no
    # authentication. From phones they are challenged (test_registrar.py).
    sip = free_port("both")
    sb = switchboard_factory(minimal_config(
        free_port(), sip, extra="security:\n  ip_allow_list: [127.0.0.1/32]\n")).start()
    sb.sip_port = sip
    return sb


def test_listeners_are_logged_and_reported(pbx):
    out = pbx.proc.output()
    assert f"SIP listening on UDP 127.0.0.1:{pbx.sip_port}" in out
    assert f"SIP listening on TCP 127.0.0.1:{pbx.sip_port}" in out
    _, status = pbx.get("/api/v1/status")
    assert f"UDP 127.0.0.1:{pbx.sip_port}" in status["sip"]


def test_options_over_udp(pbx):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(5)
    s.bind(("127.0.0.1", 0))
    s.sendto(options("udp1", "UDP", pbx.sip_port), ("127.0.0.1", pbx.sip_port))
    reply = s.recv(65535).decode()
    assert reply.startswith("SIP/2.0 200 OK\r\n"), reply
    assert re.search(r"(?m)^Allow: .*OPTIONS", reply)
    assert "Accept: application/sdp" in reply and "Supported:" in reply
    # RFC 3581: the response came back to our port and says where from.
    assert f"rport={s.getsockname()[1]}" in reply and "received=127.0.0.1" in reply


def test_options_over_tcp_and_keepalive(pbx):
    with socket.create_connection(("127.0.0.1", pbx.sip_port), timeout=5) as s:
        s.sendall(b"\r\n\r\n")  # RFC 5626 ping
        assert s.recv(2) == b"\r\n"
        s.sendall(options("tcp1", "TCP", pbx.sip_port))
        reply = s.recv(65535).decode()
    assert reply.startswith("SIP/2.0 200 OK\r\n"), reply


def test_malformed_request_gets_400_and_server_survives(pbx):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(5)
    bad = options("bad1", "UDP", pbx.sip_port).replace(b"Content-Length: 0", b"Content-Length: 99")
    s.sendto(bad, ("127.0.0.1", pbx.sip_port))
    reply = s.recv(65535).decode()
    assert reply.startswith("SIP/2.0 400 "), reply
    s.sendto(b"\x00\xffgarbage", ("127.0.0.1", pbx.sip_port))
    s.sendto(options("ok2", "UDP", pbx.sip_port), ("127.0.0.1", pbx.sip_port))
    assert s.recv(65535).decode().startswith("SIP/2.0 200 OK")
    assert pbx.proc.alive()


def test_sip_port_in_use_is_a_clear_error(switchboard_factory):
    blocker = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    blocker.bind(("127.0.0.1", 0))
    port = blocker.getsockname()[1]
    try:
        sb = switchboard_factory(minimal_config(free_port(), port))
        sb.start(expect_ready=False)
        assert sb.proc.wait(10) == 1
        assert f"cannot listen on UDP 127.0.0.1:{port}" in sb.proc.output()
    finally:
        blocker.close()
